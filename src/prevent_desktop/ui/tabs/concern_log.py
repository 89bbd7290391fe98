"""The Concern log tab: concerns about apprentices and what was decided about them."""

from __future__ import annotations

from prevent_desktop.ui.tabs.tab_page import TabPage


class ConcernLogTab(TabPage):
    title = "Concern log"
    purpose = (
        "Concerns that staff notice and share about apprentices, with the safeguarding lead's "
        "follow-up, referrals, decisions and outcomes, and the reasons for each decision."
    )
    evidence = (
        "Evidence for area 4 of the strategy, Apprentice Support: supporting at-risk "
        "apprentices through safeguarding processes."
    )
