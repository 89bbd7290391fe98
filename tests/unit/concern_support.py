"""Shared set-up for the concern log's tests: sign-ins for each role and a sample concern."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prevent_desktop.domain.concern import ImmediateRisk, SubjectKind
from prevent_desktop.services.concern_views import ConcernDetails, ConcernInput, PersonDetails
from prevent_desktop.services.workspace import Workspace
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE

ACCOUNT = 'In the canteen Kyle said "they all deserve what is coming to them" about his neighbours.'
PERSON = PersonDetails(
    kind=SubjectKind.APPRENTICE,
    name="Kyle Whitmore",
    learner_reference="L-20417",
    date_of_birth=date(2006, 3, 14),
    employer="Northway Logistics",
    programme="Level 2 Warehouse Operative",
    stage="In learning",
)

PASSPHRASES = {"sam": PASSPHRASE, "dana": LEAD_PASSPHRASE, "tom": STAFF_PASSPHRASE}


def sign_in(path: Path, login: str) -> Workspace:
    workspace, _kek = Workspace.sign_in(path, login, PASSPHRASES[login])
    return workspace


def sample_input(
    person: PersonDetails = PERSON, account: str = ACCOUNT, concern_type: str = "Extreme right-wing"
) -> ConcernInput:
    return ConcernInput(
        observed_at=datetime.now(UTC) - timedelta(hours=2),
        concern_type=concern_type,
        immediate_risk=ImmediateRisk.MEDIUM,
        details=ConcernDetails(
            person=person,
            account=account,
            location="Canteen, ground floor",
            context="Lunch break, group of six apprentices",
            others_present="Two other apprentices; the canteen supervisor",
            indicators=("Grievance or injustice narrative", "Threats of violence"),
        ),
    )
