"""The grown demos (medium, large) at a small size: exact totals, real application data
(stamps, audit entries, sealing a lead and a reporter can open), and a database `check` is
happy with. Never the large size here: it takes minutes."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prevent_desktop.domain.concern import ConcernStatus, check_transition
from prevent_desktop.domain.risk import ActionStatus
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services import demo_large_batches
from prevent_desktop.services.demo import GROWN, build_grown_demo
from prevent_desktop.services.demo_large import DemoTotals
from prevent_desktop.services.demo_large_batches import prepared_ahead
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.concern_models import Concern, ConcernEntry, ConcernStep
from prevent_desktop.store.models import AuditEntry, utc_now
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.training_models import TrainingRecord
from tests.conftest import PASSPHRASE

TOTALS = DemoTotals(
    concerns=400, entries=2000, staff=60, training_records=1800, risks=40, actions=120, plans=13
)


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("grown") / "demo.db"
    lines: list[str] = []
    workspace = build_grown_demo(path, PASSPHRASE, TOTALS, progress=lines.append)
    workspace.close()
    # A line per stage, with its counts and time, then the total.
    stages = [line.split(":")[0] for line in lines]
    assert stages == ["training", "risk register", "incident plans", "concerns", stages[-1]]
    assert lines[-1].startswith("demo data complete in ")
    yield path


@pytest.fixture
def manager(grown: Path) -> Iterator[Workspace]:
    workspace, _kek = Workspace.sign_in(grown, "amorgan", PASSPHRASE)
    yield workspace
    workspace.close()


@pytest.fixture
def lead(grown: Path) -> Iterator[Workspace]:
    workspace, _kek = Workspace.sign_in(grown, "pshah", PASSPHRASE)
    yield workspace
    workspace.close()


def test_sizes_are_a_tenth_and_the_whole_of_the_issue() -> None:
    assert GROWN["large"] == DemoTotals(50_000, 250_000, 5_000, 150_000, 5_000, 15_000, 200)
    assert GROWN["medium"] == DemoTotals(5_000, 25_000, 500, 15_000, 500, 1_500, 20)


def test_totals_are_exact_and_the_database_checks_clean(manager: Workspace) -> None:
    counts = manager.database.counts()
    assert counts["concern"] == TOTALS.concerns
    assert counts["concern_entry"] == TOTALS.entries
    assert counts["staff_member"] == TOTALS.staff
    assert counts["training_record"] == TOTALS.training_records
    assert counts["risk"] == TOTALS.risks
    assert counts["risk_action"] == TOTALS.actions
    assert counts["incident_plan"] == TOTALS.plans
    assert counts["course"] == 30
    assert manager.database.integrity_problems() == []


def test_references_and_titles_are_unique(manager: Workspace) -> None:
    with manager.database.reader() as session:
        concerns = list(session.scalars(select(Concern.reference)))
        risks = list(session.scalars(select(Risk.reference)))
    assert len(set(concerns)) == len(concerns)
    assert all(ref.startswith("C-") and len(ref) >= len("C-2026-0001") for ref in concerns)
    assert len(set(risks)) == len(risks)
    titles = [plan.title.casefold() for plan in manager.incidents.plans()]
    assert len(set(titles)) == len(titles) == TOTALS.plans


def test_every_record_is_stamped_and_audited_as_the_services_do(manager: Workspace) -> None:
    database = manager.database
    with database.reader() as session:
        entries = session.scalars(select(ConcernEntry)).all()
        assert {e.origin_site for e in entries} == {database.site_id}
        assert all(e.hlc and json.loads(e.versions) for e in entries)
        audited = session.scalar(
            select(func.count()).where(
                AuditEntry.record_type == "concern_entry", AuditEntry.action == "create"
            )
        )
        assert audited == len(entries)
        # A concern's creation names its reporter, who is not always the lead.
        reporters = Counter(
            session.scalars(
                select(AuditEntry.user_login).where(
                    AuditEntry.record_type == "concern", AuditEntry.action == "create"
                )
            )
        )
        assert reporters["jbrown"] > reporters["pshah"] > 0
        sealed = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.record_type == "concern").limit(1)
        ).one()
        assert json.loads(sealed)["details_sealed"] == "(recorded)"


def test_nothing_is_dated_in_the_future(manager: Workspace) -> None:
    now, today = utc_now(), date.today()
    with manager.database.reader() as session:
        assert session.scalar(select(func.max(ConcernEntry.occurred_at))) <= now
        assert session.scalar(select(func.max(ConcernStep.at))) <= now
        assert session.scalar(select(func.max(Concern.created_at))) <= now
        assert session.scalar(select(func.max(TrainingRecord.completed_on))) <= today


def test_a_lead_opens_any_concern_and_its_history_holds(lead: Workspace) -> None:
    with lead.database.reader() as session:
        ids = list(session.scalars(select(Concern.id).where(Concern.status != "reported")))
    for concern_id in random.Random(1).sample(ids, 5):
        view = lead.concerns.open_concern(concern_id)
        assert view.details.account and view.summary.status is not ConcernStatus.REPORTED
        current = ConcernStatus.REPORTED
        for step in view.steps:
            assert step.from_status is current
            assert check_transition(current, step.to_status) is None
            current = step.to_status
        assert current is view.summary.status
        assert all(entry.body for entry in view.entries)
        for referral in view.referrals:
            assert referral.reference_number


def test_a_reporter_reads_back_what_they_logged(grown: Path, lead: Workspace) -> None:
    reporter, _kek = Workspace.sign_in(grown, "jbrown", PASSPHRASE)
    try:
        mine = [c for c in reporter.concerns.list_concerns() if c.reported_by_me]
        assert len(mine) > 50
        own = reporter.concerns.open_own_report(mine[-1].id)
        assert own.details is not None
        assert own.details == lead.concerns.open_concern(mine[-1].id).details
    finally:
        reporter.close()


def test_the_matrix_register_and_plans_show_every_state(manager: Workspace) -> None:
    matrix = manager.training.matrix()
    assert len(matrix.courses) == 30
    statuses = Counter(cell.status for row in matrix.cells for cell in row)
    for status in CellStatus:
        assert statuses[status] > 0, status
    risks = manager.risks.list_risks()
    assert {risk.area for risk in risks} == set(StrategyArea)
    assert {a.status for risk in risks for a in risk.actions} == set(ActionStatus)
    assert any(risk.review_overdue for risk in risks)
    grown_plans = manager.incidents.plans()[10:]
    assert grown_plans and all(len(plan.steps) > 10 and plan.contacts for plan in grown_plans)
    assert any(plan.last_drill_on for plan in grown_plans)
    assert any(plan.last_reviewed_on for plan in grown_plans)


def _numbers(count: int, fail_at: int | None = None) -> Iterator[list[int]]:
    for number in range(count):
        if number == fail_at:
            raise ValueError("no more numbers")
        yield [number] * 3


@pytest.mark.parametrize("maker", ["process", "thread"])
def test_batches_are_made_ahead_in_order(maker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if maker == "thread":
        monkeypatch.setattr(demo_large_batches.threading, "active_count", lambda: 2)
    assert list(prepared_ahead(_numbers(5))) == [[n] * 3 for n in range(5)]
    made = []
    with pytest.raises((RuntimeError, ValueError), match="no more numbers"):
        for batch in prepared_ahead(_numbers(5, fail_at=3)):
            made.append(batch)
    assert made == [[0] * 3, [1] * 3, [2] * 3]
