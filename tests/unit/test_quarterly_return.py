"""The quarterly return: quarters, each section against the services' own figures, and what
each concern policy lets out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from prevent_desktop.domain.concern import (
    ConcernStatus,
    ImmediateRisk,
    ReferralAgency,
    ReferralMethod,
)
from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.reports.training_snapshot import MatrixReport
from prevent_desktop.services.concern_views import ReferralInput
from prevent_desktop.services.demo import build_demo
from prevent_desktop.services.demo_concerns import CALLUM
from prevent_desktop.services.quarterly_concerns import ACCESS_PURPOSE
from prevent_desktop.services.quarterly_return import build_return
from prevent_desktop.services.workspace import Workspace
from tests.unit.concern_support import sample_input, sign_in

DEMO_PASSPHRASE = "river otter lantern 7"
TODAY = date.today()
QUARTER = Quarter.containing(TODAY)


def pseudonym(group_key: str) -> str:
    return "P-" + hashlib.sha256(b"test key|" + group_key.encode()).hexdigest()[:10]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quarterly") / "demo.db"
    build_demo(path, DEMO_PASSPHRASE).close()
    return path


@pytest.fixture(scope="module")
def manager(demo_path: Path) -> Iterator[Workspace]:
    workspace, _kek = Workspace.sign_in(demo_path, "amorgan", DEMO_PASSPHRASE)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def lead(demo_path: Path) -> Iterator[Workspace]:
    workspace, _kek = Workspace.sign_in(demo_path, "pshah", DEMO_PASSPHRASE)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def statistics_return(manager: Workspace) -> dict[str, Any]:
    return build_return(manager, QUARTER, concern_policy="statistics")


@pytest.fixture(scope="module")
def pseudonymised_return(lead: Workspace) -> dict[str, Any]:
    return build_return(lead, QUARTER, concern_policy="pseudonymised", pseudonym=pseudonym)


# ---- quarters ----------------------------------------------------------------------------


def test_quarters_parse_and_know_their_days() -> None:
    for text in ("2026Q4", "2026-Q4", "2026q4", " 2026-q4 "):
        assert Quarter.parse(text) == Quarter(2026, 4)
    q4 = Quarter(2026, 4)
    assert str(q4) == "2026Q4"
    assert q4.label == "Q4 2026 (October–December)"
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    q1 = Quarter.parse("2027Q1")
    assert q1.start == date(2027, 1, 1) and q1.label == "Q1 2027 (January–March)"
    assert Quarter(2024, 1).end == date(2024, 3, 31) and Quarter(2024, 1).contains(
        date(2024, 2, 29)
    )
    assert Quarter.containing(date(2024, 2, 29)) == Quarter(2024, 1)
    assert Quarter.containing(date(2026, 3, 31)) == Quarter(2026, 1)
    assert Quarter.containing(date(2026, 4, 1)) == Quarter(2026, 2)
    assert Quarter.containing(date(2026, 12, 31)) == q4
    assert (
        q1.previous() == q4 and q4.next() == q1 and Quarter(2026, 3).previous() == Quarter(2026, 2)
    )
    assert sorted([q1, q4, Quarter(2026, 1)]) == [Quarter(2026, 1), q4, q1]
    assert Quarter.parse(str(QUARTER)) == QUARTER


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q4 2026", "2026", "", "26Q1", "2026Q4x"])
def test_a_quarter_that_is_not_one_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValueError, match="2026Q4"):
        Quarter.parse(text)
    with pytest.raises(ValueError):
        Quarter(2026, 5)


# ---- the return --------------------------------------------------------------------------


def test_the_return_names_its_site_quarter_and_maker(
    manager: Workspace, statistics_return: dict[str, Any]
) -> None:
    ret = statistics_return
    assert json.loads(json.dumps(ret)) == ret  # plain JSON, nothing else
    assert ret["schema"] == 1
    assert (ret["quarter"], ret["start"], ret["end"]) == (
        str(QUARTER),
        QUARTER.start.isoformat(),
        QUARTER.end.isoformat(),
    )
    assert ret["label"] == QUARTER.label and ret["as_of"] == TODAY.isoformat()
    site = manager.site.site()
    assert ret["site"] == {"id": site.id, "name": "Riverside Apprenticeship Centre", "code": "RAC"}
    assert ret["made_by"] == "Alex Morgan"
    made = datetime.fromisoformat(ret["made_at"])
    assert made.utcoffset() == timedelta(0) and abs(datetime.now(UTC) - made) < timedelta(minutes=5)
    assert ret["threat_level"] == {
        "level": "substantial",
        "label": "Substantial",
        "effective_on": "2022-02-09",
    }
    assert ret["concern_policy"] == "statistics" and ret["concerns"]["records"] == []


def test_risks_are_the_register_with_its_deadlines(
    manager: Workspace, statistics_return: dict[str, Any]
) -> None:
    register = manager.risks.list_risks(TODAY)
    risks = statistics_return["risks"]
    assert [r["reference"] for r in risks] == [r.reference for r in register]
    for sent, risk in zip(risks, register, strict=True):
        full = manager.risks.get_risk(risk.id, TODAY)
        assert sent["title"] == risk.title and sent["area"] == risk.area.label
        assert sent["status"] == risk.status.value and sent["rag"] == risk.rag.value
        assert (sent["inherent_score"], sent["residual_score"]) == (
            risk.inherent_score,
            risk.residual_score,
        )
        assert sent["review_overdue"] is risk.review_overdue
        assert sent["next_review_on"] == risk.next_review_on.isoformat()
        assert sent["objectives"] == [o.value for o in risk.objectives]
        assert [a["overdue"] for a in sent["actions"]] == [a.overdue for a in full.actions]
        assert [a["status"] for a in sent["actions"]] == [a.status.value for a in full.actions]
        in_quarter = [r for r in full.reviews if QUARTER.contains(r.reviewed_at.date())]
        assert len(sent["reviews_in_quarter"]) == len(in_quarter)
        # The demo made every risk today: each changed in this quarter.
        assert sent["changed_in_quarter"] is True
    assert sum(r["review_overdue"] for r in risks) == sum(r.review_overdue for r in register)
    assert sum(a["overdue"] for r in risks for a in r["actions"]) == sum(
        r.overdue_actions for r in register
    )
    assert any(r["review_overdue"] for r in risks) and any(
        a["overdue"] for r in risks for a in r["actions"]
    )


def test_training_is_the_matrix_on_the_day(
    manager: Workspace, statistics_return: dict[str, Any]
) -> None:
    training = statistics_return["training"]
    matrix = manager.training.matrix(TODAY)
    overall = matrix.overall()
    assert training["overall"] == {
        "required": overall.required,
        "valid": overall.done,
        "percent": overall.whole_percent,
    }
    assert training["due_soon_days"] == manager.training.due_soon_days()
    report = MatrixReport(matrix, manager.site.site(), datetime.now(), "")
    assert [
        (c["course"], c["required"], c["valid"], c["due_soon"], c["expired"], c["missing"])
        for c in training["by_course"]
    ] == [
        (b.name, b.compliance.required, b.compliance.done, b.due_soon, b.expired, b.missing)
        for b in report.by_course()
    ]
    assert [(r["role"], r["percent"]) for r in training["by_role"]] == [
        (role, figure.whole_percent) for role, figure in matrix.by_role().items()
    ]
    assert [s["name"] for s in training["staff"]] == [s.name for s in matrix.staff]
    first = training["staff"][0]["cells"]
    assert list(first) == [c.name for c in matrix.courses]
    assert list(first.values()) == [cell.status.value for cell in matrix.cells[0]]


def test_incidents_list_plans_and_the_quarters_logs(
    manager: Workspace, statistics_return: dict[str, Any]
) -> None:
    incidents = statistics_return["incidents"]
    plans = manager.incidents.plans()
    assert [p["title"] for p in incidents["plans"]] == [p.title for p in plans]
    assert [p["review_overdue"] for p in incidents["plans"]] == [
        p.review_overdue(TODAY) for p in plans
    ]
    assert any(p["review_overdue"] for p in incidents["plans"])  # the demo's bomb threat plan
    logs = [log for log in manager.incidents.logs() if QUARTER.contains(log.started_at.date())]
    assert sorted(d["id"] for d in incidents["drills"]) == sorted(log.id for log in logs)
    for sent in incidents["drills"]:
        log = next(log for log in logs if log.id == sent["id"])
        assert sent["is_drill"] is (log.kind.value == "drill") and sent["kind"] == log.kind.value
        assert sent["plan"] == log.plan_title and sent["outcome"] == ""  # free text: "full" only
        assert datetime.fromisoformat(sent["started_at"]) == log.started_at


def test_concern_statistics_agree_with_the_service(
    manager: Workspace, statistics_return: dict[str, Any]
) -> None:
    stats = statistics_return["concerns"]["statistics"]
    service = manager.concerns.statistics(QUARTER.start, QUARTER.end)
    assert stats["opened"] == service.total
    assert stats["by_type"] == service.by_type
    assert stats["by_status"] == service.by_status  # as_of is today: the same "now"
    assert stats["by_outcome"] == service.by_outcome
    assert stats["by_month"] == service.by_month
    assert sum(stats["by_risk_level"].values()) == service.total
    listed = manager.concerns.list_concerns(TODAY)
    still_open = [c for c in listed if c.status is not ConcernStatus.CLOSED]
    assert stats["open_at_end"] == len(still_open)
    assert sum(stats["open_by_status"].values()) == len(still_open)
    assert sum(stats["open_by_type"].values()) == len(still_open)
    referrals = stats["referrals"]
    assert sum(referrals["by_agency"].values()) == referrals["made"]
    assert sum(line["count"] for line in referrals["by_agency_and_outcome"]) == referrals["made"]
    # Counts only: nothing about who.
    assert "Callum" not in json.dumps(statistics_return)


def test_who_may_send_what(manager: Workspace, demo_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="safeguarding lead"):
        build_return(manager, QUARTER, concern_policy="pseudonymised", pseudonym=pseudonym)
    with pytest.raises(PermissionDenied, match="safeguarding lead"):
        build_return(manager, QUARTER, concern_policy="full")
    with pytest.raises(ValidationError, match="statistics, pseudonymised or full"):
        build_return(manager, QUARTER, concern_policy="everything")
    with pytest.raises(ValidationError, match="not started"):
        build_return(manager, QUARTER.next(), concern_policy="statistics")
    staff, _kek = Workspace.sign_in(demo_path, "jbrown", DEMO_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            build_return(staff, QUARTER, concern_policy="statistics")
    finally:
        staff.close()


def test_a_pseudonymised_return_links_repeat_concerns_without_names(
    lead: Workspace, pseudonymised_return: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="pseudonym"):
        build_return(lead, QUARTER, concern_policy="pseudonymised")
    records = pseudonymised_return["concerns"]["records"]
    listed = {c.reference: c for c in lead.concerns.list_concerns(TODAY)}
    # Every concern recorded in the quarter or still open in it, and nothing else.
    expected = {
        ref
        for ref, c in listed.items()
        if c.status is not ConcernStatus.CLOSED or QUARTER.contains(c.recorded_at.date())
    }
    assert {r["reference"] for r in records} == expected
    by_reference = {r["reference"]: r for r in records}
    for reference, record in by_reference.items():
        summary = listed[reference]
        assert set(record["person"]) == {"pseudonym"}
        assert record["person"]["pseudonym"] == pseudonym(summary.person_key or "")
        assert record["status"] == summary.status.value
        assert record["immediate_risk"] == summary.immediate_risk.value
        assert record["type"] == summary.concern_type
    callum = [r for r, c in listed.items() if c.person_key == CALLUM.group_key() and r in expected]
    assert len(callum) == 2
    assert by_reference[callum[0]]["person"] == by_reference[callum[1]]["person"]
    assert len({r["person"]["pseudonym"] for r in records}) == len(records) - 1
    text = json.dumps(pseudonymised_return, ensure_ascii=False)
    for identifying in ("Callum", "Price", CALLUM.learner_reference, CALLUM.employer):
        assert identifying not in text
    assert '"account"' not in text
    # Each record sent is written to its concern's access log.
    for reference in expected:
        accesses = lead.concerns.access_log(listed[reference].id)
        assert any(a.purpose == ACCESS_PURPOSE and a.user_name == "Priya Shah" for a in accesses)


def test_a_full_return_names_the_person(lead: Workspace) -> None:
    ret = build_return(lead, QUARTER, concern_policy="full")
    callum = [
        r for r in ret["concerns"]["records"] if r["person"]["learner_reference"] == "RAC-2291"
    ]
    assert callum and callum[0]["person"] == {
        "name": "Callum Price",
        "learner_reference": "RAC-2291",
        "date_of_birth": "2007-09-02",
        "employer": "Harbour Freight Ltd",
        "programme": "Level 2 Supply Chain Warehouse Operative",
    }
    assert all(record["account"] for record in ret["concerns"]["records"])


# ---- on a site of its own: changes made today --------------------------------------------


def test_a_concern_closed_and_a_plan_reviewed_this_quarter(workspace: Workspace) -> None:
    tom = sign_in(workspace.database.path, "tom")
    dana = sign_in(workspace.database.path, "dana")
    try:
        concern_id = tom.concerns.log_concern(sample_input()).ids[0]
        dana.concerns.add_referral(
            concern_id,
            ReferralInput(ReferralAgency.PREVENT_POLICE, TODAY, ReferralMethod.ONLINE_FORM),
        )
        for step in (
            ConcernStatus.UNDER_REVIEW,
            ConcernStatus.NO_FURTHER_ACTION,
            ConcernStatus.CLOSED,
        ):
            dana.concerns.change_status(concern_id, step, "Reviewed with the team.")
        plan = workspace.incidents.plans()[0]
        workspace.incidents.record_review(plan.id, QUARTER.start)
        workspace.incidents.record_review(plan.id, TODAY)

        ret = build_return(dana, QUARTER, concern_policy="full")
    finally:
        tom.close()
        dana.close()
    stats = ret["concerns"]["statistics"]
    assert (stats["opened"], stats["closed"], stats["open_at_end"]) == (1, 1, 0)
    assert stats["by_risk_level"] == {ImmediateRisk.MEDIUM.label: 1}
    assert stats["referrals"]["by_agency_and_outcome"] == [
        {
            "agency": ReferralAgency.PREVENT_POLICE.label,
            "outcome": "Awaiting outcome",
            "count": 1,
        }
    ]
    (record,) = ret["concerns"]["records"]
    assert record["status"] == "closed" and record["closed_on"] == TODAY.isoformat()
    assert record["referrals"] == [
        {"agency": "prevent_police", "made_on": TODAY.isoformat(), "outcome": "awaiting"}
    ]
    assert record["person"]["name"] == "Kyle Whitmore"
    sent_plan = ret["incidents"]["plans"][0]
    assert sent_plan["reviews_in_quarter"] == sorted({QUARTER.start.isoformat(), TODAY.isoformat()})
    assert sent_plan["last_reviewed_on"] == TODAY.isoformat()
    assert all(r["changed_in_quarter"] for r in ret["risks"])  # the starter register, made today

    # The quarter before knew none of it: the register, the concern and the reviews came later.
    if QUARTER.previous().end < TODAY:
        earlier = build_return(workspace, QUARTER.previous(), concern_policy="statistics")
        assert earlier["risks"] == [] and earlier["as_of"] == QUARTER.previous().end.isoformat()
        assert earlier["concerns"]["statistics"]["opened"] == 0
        assert earlier["incidents"]["plans"][0]["reviews_in_quarter"] == []
