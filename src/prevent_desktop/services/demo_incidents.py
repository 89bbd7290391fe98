"""Demo incident plans: local contacts filled in (with invented numbers from the ranges
Ofcom keeps for drama), past drills, and one closed incident."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.services.workspace import Workspace

LOCAL_CONTACTS = {
    "police_prevent": ("PC Sarah Collins", "Riverside Police Prevent team", "01632 960 481"),
    "la_prevent": ("Mark Bennett", "Riverside Council Prevent coordinator", "01632 960 517"),
    "lado": ("Julie Ahmed", "Riverside Council LADO", "01632 960 530"),
    "head_office_dsl": ("Helen Carter", "Head office safeguarding", "01632 960 602"),
    "site_dsl": ("Priya Shah", "Riverside Apprenticeship Centre", "01632 960 711"),
    # Building security is left for the site to fill in, so the warning shows in the demo.
}

# (plan title, days ago, kind, steps done, note, outcome)
DRILLS = [
    (
        "Dynamic lockdown (Run, Hide, Tell)",
        200,
        LogKind.DRILL,
        "Drill announced at the start of the session; two rooms slow to lock.",
        "All rooms secured in 4 minutes. Workshop door lock to be replaced.",
    ),
    (
        "Dynamic lockdown (Run, Hide, Tell)",
        20,
        LogKind.DRILL,
        "Unannounced drill during the afternoon break.",
        "All secured in 2 minutes 40 seconds. Workshop lock fixed since last drill.",
    ),
    (
        "Evacuation and invacuation",
        90,
        LogKind.DRILL,
        "Fire alarm used; assembly at the rear car park.",
        "Everyone accounted for in 6 minutes. Visitor book was not taken out: add to steps.",
    ),
    (
        "Extremist material, graffiti or leaflets found on site",
        45,
        LogKind.INCIDENT,
        "Stickers found in the ground-floor toilets at 09:40; photographed and removed.",
        "Reported to the police Prevent team; no apprentice linked. Cleaner briefed.",
    ),
]


def build_demo_incidents(workspace: Workspace, today: date) -> None:
    incidents = workspace.incidents
    for contact in incidents.contacts():
        if contact.key in LOCAL_CONTACTS:
            name, organisation, phone = LOCAL_CONTACTS[contact.key]
            incidents.save_contact(
                contact.id,
                replace(contact.as_input(), name=name, organisation=organisation, phone=phone),
            )
    plans = {plan.title: plan for plan in incidents.plans()}
    for title, days_ago, kind, note, outcome in DRILLS:
        started = datetime.combine(today - timedelta(days=days_ago), time(14, 5), UTC)
        log_id = incidents.start(plans[title].id, kind, at=started).ids[0]
        log = incidents.log(log_id)
        for minute, step in enumerate(log.steps[: max(3, len(log.steps) - 2)], start=1):
            incidents.tick(step.id, at=started + timedelta(minutes=minute))
        incidents.add_note(log_id, note, at=started + timedelta(minutes=1))
        incidents.close(log_id, outcome, at=started + timedelta(minutes=45))
    reviewed = today - timedelta(days=300)
    incidents.record_review(plans["Dynamic lockdown (Run, Hide, Tell)"].id, reviewed)
    incidents.record_review(plans["Bomb threat received by phone"].id, today - timedelta(days=400))
