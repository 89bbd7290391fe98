"""Realistic demo data, so a new team can try every tab before entering their own.

Each tab's issue adds its part here. Sizes: small (a single site), medium, large (head-office
scale, for benchmarks).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prevent_desktop.domain.roles import Role
from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import UsageError
from prevent_desktop.services.workspace import Workspace

SIZES = ("small", "medium", "large")

DEMO_MANAGER = ("amorgan", "Alex Morgan")
DEMO_USERS = [
    ("pshah", "Priya Shah", Role.SAFEGUARDING_LEAD, True),
    ("jbrown", "Jordan Brown", Role.STAFF, False),
    ("lwhite", "Lee White", Role.STAFF, False),
    ("cobi", "Chidi Obi", Role.MANAGER, False),
]

# The national level's real recent history, so the history view has something to show.
THREAT_HISTORY = [
    (ThreatLevel.SEVERE, date(2021, 11, 15), "Raised after the Liverpool Women's Hospital attack."),
    (ThreatLevel.SUBSTANTIAL, date(2022, 2, 9), "Lowered by JTAC."),
]


def build_demo(path: Path, passphrase: str, size: str = "small") -> Workspace:
    """A new database full of demo data; every demo user gets `passphrase`."""
    if size not in SIZES:
        raise UsageError(f"Unknown demo size {size!r}; use one of {', '.join(SIZES)}.")
    login, name = DEMO_MANAGER
    workspace = Workspace.create_site(
        path,
        site_name="Riverside Apprenticeship Centre",
        site_code="RAC",
        login=login,
        display_name=name,
        passphrase=passphrase,
        safeguarding_lead=False,
        threat_level_date=date(2021, 1, 1),
    )
    for demo_login, demo_name, role, lead in DEMO_USERS:
        workspace.users.add_user(
            login=demo_login,
            display_name=demo_name,
            role=role,
            is_safeguarding_lead=lead,
            passphrase=passphrase,
        )
    for level, effective_on, note in THREAT_HISTORY:
        workspace.site.set_threat_level(level, effective_on, note)
    return workspace
