"""The Risk register tab: the site's Prevent risk assessment and action plan."""

from __future__ import annotations

from prevent_desktop.ui.tabs.tab_page import TabPage


class RiskRegisterTab(TabPage):
    title = "Risk register"
    purpose = (
        "The site's Prevent risk assessment and action plan: each risk scored for likelihood "
        "and impact before and after its controls, with an owner, further actions and a "
        "review date."
    )
    evidence = (
        "Evidence for area 5 of the strategy, Managing Risks and Responding to Events: "
        "understanding and managing potential risks within the programme."
    )
