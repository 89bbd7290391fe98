"""Realistic demo data, so a new team can try every tab before entering their own.

Each tab's issue adds its part here. Sizes: small (a single site), medium, large (head-office
scale, for benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from prevent_desktop.domain.risk import ActionStatus, RiskStatus
from prevent_desktop.domain.roles import Role
from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import UsageError
from prevent_desktop.services.demo_concerns import build_demo_concerns
from prevent_desktop.services.demo_incidents import build_demo_incidents
from prevent_desktop.services.demo_large import DemoTotals, grow_demo
from prevent_desktop.services.demo_training import build_demo_training
from prevent_desktop.services.risk_views import ActionInput
from prevent_desktop.services.workspace import Workspace

SIZES = ("small", "medium", "large")
# The medium and large demos grow the small one to these totals (services/demo_large.py).
GROWN = {"medium": DemoTotals().scaled(0.1), "large": DemoTotals()}

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


def build_demo(
    path: Path,
    passphrase: str,
    size: str = "small",
    *,
    progress: Callable[[str], None] | None = None,
) -> Workspace:
    """A new database full of demo data; every demo user gets `passphrase`. Returns it open
    as the demo manager. `progress` hears a line per stage of a medium or large demo."""
    if size not in SIZES:
        raise UsageError(f"Unknown demo size {size!r}; use one of {', '.join(SIZES)}.")
    return build_grown_demo(path, passphrase, GROWN.get(size), progress=progress)


def build_grown_demo(
    path: Path,
    passphrase: str,
    totals: DemoTotals | None,
    *,
    progress: Callable[[str], None] | None = None,
) -> Workspace:
    """The small demo, grown to `totals` when given (tests and benchmarks may ask for any
    size, e.g. DemoTotals().scaled(0.01))."""
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
        # As on a real site, each signs in once and chooses their own passphrase (here the
        # same one); the lead's first sign-in makes the site's safeguarding key.
        user, _kek = Workspace.sign_in(path, demo_login, passphrase)
        try:
            user.users.change_own_passphrase(passphrase, passphrase)
        finally:
            user.close()
    for level, effective_on, note in THREAT_HISTORY:
        workspace.site.set_threat_level(level, effective_on, note)
    _demo_register(workspace, date.today())
    build_demo_concerns(path, passphrase, "pshah", date.today())
    build_demo_training(workspace, date.today())
    build_demo_incidents(workspace, date.today())
    if totals is not None:
        try:
            lead_login = next(login for login, _name, _role, is_lead in DEMO_USERS if is_lead)
            grow_demo(workspace, path, passphrase, lead_login, totals, progress)
        except BaseException:
            workspace.close()
            raise
    return workspace


# (reference, status, reviewed how many days ago (None: never, then the days until its first
# review is due instead), the review's comment, new residual (likelihood, impact) or None).
# Overdue reviews follow from the review frequency, as they would on a real site.
_REGISTER_STATES: list[tuple[str, RiskStatus, int | None, int, str, tuple[int, int] | None]] = [
    (
        "R-001",
        RiskStatus.MONITORING,
        140,
        0,
        "Values week held; learner forum meets monthly.",
        None,
    ),
    ("R-002", RiskStatus.OPEN, None, -12, "", None),
    (
        "R-003",
        RiskStatus.OPEN,
        120,
        0,
        "Four new assessors have not done Prevent awareness yet: likelihood raised.",
        (3, 4),
    ),
    ("R-004", RiskStatus.MONITORING, 215, 0, "British values mapped into every programme.", None),
    ("R-005", RiskStatus.OPEN, 70, 0, "Filtering logs reviewed with the IT provider.", (2, 3)),
    (
        "R-006",
        RiskStatus.CLOSED,
        160,
        0,
        "External speaker policy adopted and in use for a year.",
        (1, 3),
    ),
    ("R-007", RiskStatus.OPEN, 30, 0, "Two referrals this year handled within timescales.", None),
    ("R-008", RiskStatus.MONITORING, None, -3, "", None),
    ("R-009", RiskStatus.OPEN, None, 90, "", None),
    ("R-010", RiskStatus.OPEN, 150, 0, "Lockdown drill run; invacuation drill still to do.", None),
]

# (reference, description, owner, days until due, status, evidence)
_ACTIONS = [
    (
        "R-003",
        "All delivery staff complete Home Office Prevent awareness e-learning",
        "Priya Shah",
        -20,
        ActionStatus.IN_PROGRESS,
        "Training matrix: 14 of 18 complete",
    ),
    (
        "R-003",
        "Add Prevent to the new-starter induction checklist",
        "Alex Morgan",
        -60,
        ActionStatus.DONE,
        "Induction checklist v4",
    ),
    (
        "R-005",
        "Confirm web filtering categories with the IT provider",
        "Alex Morgan",
        -5,
        ActionStatus.NOT_STARTED,
        "",
    ),
    (
        "R-005",
        "Publish the acceptable use policy in the learner handbook",
        "Chidi Obi",
        25,
        ActionStatus.IN_PROGRESS,
        "",
    ),
    (
        "R-007",
        "Set up a termly welfare check-in for every apprentice",
        "Priya Shah",
        45,
        ActionStatus.IN_PROGRESS,
        "",
    ),
    (
        "R-009",
        "Brief employers on Prevent at the next employer forum",
        "Chidi Obi",
        -2,
        ActionStatus.NOT_STARTED,
        "",
    ),
    ("R-010", "Run an invacuation drill", "Alex Morgan", 14, ActionStatus.NOT_STARTED, ""),
    (
        "R-006",
        "Write an external speaker policy",
        "Alex Morgan",
        -300,
        ActionStatus.DONE,
        "Policy approved by head office",
    ),
]


def _demo_register(workspace: Workspace, today: date) -> None:
    """Open, monitored and closed risks, with overdue reviews and actions among them."""
    risks = {risk.reference: risk for risk in workspace.risks.list_risks()}
    for reference, status, reviewed_days_ago, first_due_in, comment, residual in _REGISTER_STATES:
        risk_id = risks[reference].id
        if reviewed_days_ago is not None:
            likelihood, impact = residual or (None, None)
            workspace.risks.record_review(
                risk_id,
                comment=comment,
                reviewed_on=today - timedelta(reviewed_days_ago),
                residual_likelihood=likelihood,
                residual_impact=impact,
            )
        current = workspace.risks.get_risk(risk_id).as_input()
        next_review_on = (
            current.next_review_on
            if reviewed_days_ago is not None
            else today + timedelta(first_due_in)
        )
        workspace.risks.update_risk(
            risk_id, replace(current, status=status, next_review_on=next_review_on)
        )
    for reference, description, owner, days, action_status, evidence in _ACTIONS:
        due = today + timedelta(days)
        workspace.risks.add_action(
            risks[reference].id,
            ActionInput(
                description=description,
                owner=owner,
                due_on=due,
                status=action_status,
                completed_on=due if action_status is ActionStatus.DONE else None,
                evidence=evidence,
            ),
        )
