"""The Incident plan tab: how the site responds to a threat or an incident."""

from __future__ import annotations

from prevent_desktop.ui.tabs.tab_page import TabPage


class IncidentPlanTab(TabPage):
    title = "Incident plan"
    purpose = (
        "The site's plans for a threat or incident in and out of hours (evacuation, "
        "invacuation, lockdown, suspicious items and bomb threats) with local and national "
        "contacts."
    )
    evidence = (
        "Evidence for area 5 of the strategy: plans in place to respond appropriately to a "
        "threat or incident within the programme."
    )
