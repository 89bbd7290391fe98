"""The risk register service on a real encrypted database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from prevent_desktop.domain.risk import ActionStatus, Rag, RiskStatus
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.risk_views import ActionInput, RiskInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry
from tests.conftest import LEAD_PASSPHRASE, STAFF_PASSPHRASE

TODAY = date.today()


def _input(**changes: object) -> RiskInput:
    base = RiskInput(
        title="Apprentices share extremist memes in a course group chat",
        area=StrategyArea.MANAGING_RISKS,
        owner="Sam Patel",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=4,
        next_review_on=TODAY + timedelta(days=90),
        objectives=(Objective.APPRENTICE_SAFETY, Objective.ROLES_RESPONSIBILITIES),
        controls="Group chat guidance in induction",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _audit(workspace: Workspace, record_type: str) -> list[AuditEntry]:
    with workspace.database.reader() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.record_type == record_type))
        )


def test_starter_register_covers_every_area_from_the_strategy(workspace: Workspace) -> None:
    risks = workspace.risks.list_risks()
    starter = load_json("starter_register.json")
    assert len(risks) == len(starter["risks"])
    assert {r.area for r in risks} == set(StrategyArea)
    assert [r.reference for r in risks][:3] == ["R-001", "R-002", "R-003"]
    commitments = {
        c["text"] for area in load_json("strategy.json")["areas"] for c in area["commitments"]
    }
    for risk in risks:
        lines = [line.removeprefix("• ") for line in risk.controls.splitlines()]
        assert lines and all(line in commitments for line in lines)
        assert risk.category and risk.owner and risk.next_review_on > TODAY
    assert [c.name for c in workspace.risks.categories()] == starter["categories"]


def test_create_scores_rag_and_audit(workspace: Workspace) -> None:
    change = workspace.risks.create_risk(_input())
    risk = workspace.risks.get_risk(change.ids[0])
    assert risk.reference == "R-011"
    assert (risk.inherent_score, risk.residual_score, risk.rag) == (16, 8, Rag.AMBER)
    assert risk.objectives == (Objective.APPRENTICE_SAFETY, Objective.ROLES_RESPONSIBILITIES)
    created = [e for e in _audit(workspace, "risk") if e.record_id == risk.id]
    assert [e.action for e in created] == ["create"]
    assert json.loads(created[0].changes)["title"].startswith("Apprentices share")
    assert workspace.database.audit_problems() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title"),
        ({"owner": ""}, "owner"),
        ({"next_review_on": None}, "next review"),
        ({"residual_impact": 6}, "Residual impact must be from 1 to 5"),
        ({"inherent_likelihood": 0}, "Inherent likelihood"),
        ({"review_frequency_months": 5}, "how often"),
        ({"category_id": "no-such-category"}, "category"),
    ],
)
def test_invalid_risks_are_refused_and_nothing_is_written(
    workspace: Workspace, changes: dict[str, object], message: str
) -> None:
    before = workspace.risks.list_risks()
    with pytest.raises(ValidationError, match=message):
        workspace.risks.create_risk(_input(**changes))
    assert workspace.risks.list_risks() == before


def test_review_records_before_and_after_and_schedules_the_next(workspace: Workspace) -> None:
    risk_id = workspace.risks.create_risk(_input(review_frequency_months=6)).ids[0]
    with pytest.raises(ValidationError, match="comment"):
        workspace.risks.record_review(risk_id, comment=" ")
    workspace.risks.record_review(
        risk_id,
        comment="Guidance now in induction",
        residual_likelihood=1,
        reviewed_on=date(2026, 3, 31),
    )
    risk = workspace.risks.get_risk(risk_id)
    assert risk.next_review_on == date(2026, 9, 30)
    assert risk.last_reviewed_by == "Sam Patel" and risk.last_reviewed_at is not None
    (review,) = risk.reviews
    assert (review.residual_before, review.residual_after) == (8, 4)
    assert (review.inherent_before, review.inherent_after) == (16, 16)
    assert review.comment == "Guidance now in induction"
    assert risk.rag is Rag.GREEN
    with pytest.raises(ValidationError, match="from 1 to 5"):
        workspace.risks.record_review(risk_id, comment="x", residual_impact=9)


def test_overdue_reviews_and_actions(workspace: Workspace) -> None:
    risk_id = workspace.risks.create_risk(_input(next_review_on=TODAY - timedelta(days=1))).ids[0]
    workspace.risks.add_action(
        risk_id, ActionInput("Brief tutors", "Dana", TODAY - timedelta(days=3))
    )
    workspace.risks.add_action(
        risk_id,
        ActionInput(
            "Done already",
            "Dana",
            TODAY - timedelta(days=9),
            ActionStatus.DONE,
            TODAY - timedelta(days=8),
        ),
    )
    workspace.risks.add_action(risk_id, ActionInput("Later", "Dana", TODAY + timedelta(days=9)))
    risk = workspace.risks.get_risk(risk_id)
    assert risk.review_overdue
    assert (risk.open_actions, risk.overdue_actions) == (2, 1)
    assert [a.overdue for a in risk.actions] == [False, True, False]
    workspace.risks.close_risk(risk_id)
    assert not workspace.risks.get_risk(risk_id).review_overdue  # closed risks are not due


def test_action_validation(workspace: Workspace) -> None:
    risk_id = workspace.risks.list_risks()[0].id
    with pytest.raises(ValidationError, match="owner"):
        workspace.risks.add_action(risk_id, ActionInput("x", " ", TODAY))
    with pytest.raises(ValidationError, match="completed"):
        workspace.risks.add_action(risk_id, ActionInput("x", "y", TODAY, ActionStatus.DONE))


def test_duplicate_close_and_delete(workspace: Workspace) -> None:
    original = workspace.risks.list_risks()[0]
    copy_id = workspace.risks.duplicate_risk(original.id).ids[0]
    copy = workspace.risks.get_risk(copy_id)
    assert copy.title == f"{original.title} (copy)" and copy.reference == "R-011"
    assert copy.reviews == () and copy.actions == ()
    workspace.risks.add_action(copy_id, ActionInput("a", "b", TODAY))
    workspace.risks.delete_risk(copy_id)
    assert copy_id not in {r.id for r in workspace.risks.list_risks()}
    with pytest.raises(ValidationError, match="no longer exists"):
        workspace.risks.get_risk(copy_id)
    deletes = [e for e in _audit(workspace, "risk") if e.action == "delete"]
    assert [e.record_id for e in deletes] == [copy_id]
    assert [e.action for e in _audit(workspace, "risk_action")] == ["create", "delete"]
    # References are never reused, even after a delete.
    assert workspace.risks.create_risk(_input()).ids and (
        workspace.risks.list_risks()[-1].reference == "R-012"
    )


def test_heat_map_counts_open_risks(workspace: Workspace) -> None:
    heat = workspace.risks.heat_map()
    risks = workspace.risks.list_risks()
    assert sum(heat.values()) == len(risks)
    workspace.risks.close_risk(risks[0].id)
    assert sum(workspace.risks.heat_map().values()) == len(risks) - 1
    inherent = workspace.risks.heat_map(residual=False)
    assert sum(inherent.values()) == len(risks) - 1


def test_rag_thresholds_are_configurable(workspace: Workspace) -> None:
    workspace.risks.set_rag_thresholds(4, 10)
    assert workspace.risks.rag_thresholds().legend()[0] == (Rag.RED, 10, 25)
    with pytest.raises(ValidationError):
        workspace.risks.set_rag_thresholds(12, 8)


@pytest.mark.parametrize(("login", "passphrase"), [("tom", STAFF_PASSPHRASE)])
def test_staff_read_but_do_not_edit(workspace: Workspace, login: str, passphrase: str) -> None:
    staff, _ = Workspace.sign_in(workspace.database.path, login, passphrase)
    try:
        risk = staff.risks.list_risks()[0]
        assert staff.risks.get_risk(risk.id).title == risk.title
        for attempt in (
            lambda: staff.risks.create_risk(_input()),
            lambda: staff.risks.update_risk(risk.id, _input()),
            lambda: staff.risks.delete_risk(risk.id),
            lambda: staff.risks.close_risk(risk.id),
            lambda: staff.risks.record_review(risk.id, comment="x"),
            lambda: staff.risks.add_action(risk.id, ActionInput("a", "b", TODAY)),
            lambda: staff.risks.add_category("New"),
            lambda: staff.risks.set_rag_thresholds(4, 10),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
    finally:
        staff.close()
    assert workspace.risks.get_risk(risk.id).status is RiskStatus.OPEN


def test_safeguarding_lead_edits(workspace: Workspace) -> None:
    lead, _ = Workspace.sign_in(workspace.database.path, "dana", LEAD_PASSPHRASE)
    try:
        lead.risks.create_risk(_input(owner="Dana Okafor"))
        with pytest.raises(PermissionDenied):
            lead.risks.set_rag_thresholds(4, 10)  # a site setting: managers only
    finally:
        lead.close()


def test_categories(workspace: Workspace) -> None:
    workspace.risks.add_category("Apprentice accommodation")
    with pytest.raises(ValidationError, match="already"):
        workspace.risks.add_category("apprentice ACCOMMODATION")
    assert workspace.risks.categories()[-1].name == "Apprentice accommodation"


def test_demo_register_is_realistic(data_dir) -> None:  # type: ignore[no-untyped-def]
    from prevent_desktop.services.demo import build_demo

    demo = build_demo(data_dir / "demo.db", "river otter lantern 7")
    try:
        risks = demo.risks.list_risks()
        assert {r.status for r in risks} == set(RiskStatus)
        assert sum(r.review_overdue for r in risks) >= 2
        assert sum(r.overdue_actions for r in risks) >= 2
        assert any(demo.risks.get_risk(r.id).reviews for r in risks)
        assert demo.database.audit_problems() == []
    finally:
        demo.close()


def test_a_review_keeps_the_day_it_happened(workspace: Workspace) -> None:
    risk_id = workspace.risks.create_risk(_input(review_frequency_months=3)).ids[0]
    held = TODAY - timedelta(days=100)
    workspace.risks.record_review(
        risk_id, comment="Reviewed at the termly meeting", reviewed_on=held
    )
    risk = workspace.risks.get_risk(risk_id)
    assert risk.last_reviewed_at is not None and risk.last_reviewed_at.date() == held
    assert risk.reviews[0].reviewed_at.date() == held
    assert risk.review_overdue  # three months after a review 100 days ago
    with pytest.raises(ValidationError, match="future"):
        workspace.risks.record_review(risk_id, comment="x", reviewed_on=TODAY + timedelta(days=1))


def test_actions_cannot_be_completed_in_the_future(workspace: Workspace) -> None:
    risk_id = workspace.risks.list_risks()[0].id
    with pytest.raises(ValidationError, match="future"):
        workspace.risks.add_action(
            risk_id,
            ActionInput("x", "y", TODAY, ActionStatus.DONE, TODAY + timedelta(days=2)),
        )


def test_references_sort_by_number() -> None:
    from prevent_desktop.domain.risk import reference_number

    references = ["R-1000", "R-101", "R-099", "R-100"]
    assert sorted(references, key=reference_number) == ["R-099", "R-100", "R-101", "R-1000"]
    assert reference_number("not a reference") == 0
    # A joined laptop's references carry its letter and sort among the others by number.
    assert reference_number("R-012-B") == 12


def test_concern_references_read_with_or_without_a_laptop_letter() -> None:
    from prevent_desktop.domain.concern import format_concern_reference, parse_concern_reference

    assert format_concern_reference(2026, 7) == "C-2026-0007"
    assert format_concern_reference(2026, 7, "B") == "C-2026-0007-B"
    assert parse_concern_reference("c-2026-0007-b") == (2026, 7, "B")
    assert parse_concern_reference("C-2026-0007") == (2026, 7, "")
    assert parse_concern_reference("C-2026-0007-BB") is None


def test_categories_are_renamed_and_removed(workspace: Workspace) -> None:
    unused = workspace.risks.add_category("Temporary").ids[0]
    workspace.risks.rename_category(unused, "Apprentice travel")
    assert workspace.risks.categories()[-1].name == "Apprentice travel"
    used = workspace.risks.categories()[0]
    with pytest.raises(ValidationError, match="already"):
        workspace.risks.rename_category(unused, used.name.upper())
    with pytest.raises(ValidationError, match="use the category"):
        workspace.risks.remove_category(used.id)
    workspace.risks.remove_category(unused)
    assert unused not in {c.id for c in workspace.risks.categories()}
    staff, _ = Workspace.sign_in(workspace.database.path, "tom", STAFF_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            staff.risks.rename_category(used.id, "x")
    finally:
        staff.close()
