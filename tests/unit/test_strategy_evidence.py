"""The strategy and its evidence, on a real encrypted database: what a new site's starter
records evidence, what is flagged once they go, the concern counts (without the safeguarding
key), and who may read the view and sign the pack off."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from prevent_desktop.domain.concern import ConcernStatus, ReferralAgency, ReferralMethod
from prevent_desktop.domain.roles import Permission, Role, permissions_for
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.domain.strategy_commitments import EvidenceKind, parse_strategy
from prevent_desktop.errors import PermissionDenied
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.concern_views import ReferralInput
from prevent_desktop.services.risk_views import RiskInput
from prevent_desktop.services.strategy_evidence import (
    SIGN_OFF_SETTING,
    StrategyEvidenceService,
)
from prevent_desktop.services.strategy_evidence_views import NO_EVIDENCE, StrategyEvidenceView
from prevent_desktop.services.training_views import CompletionInput, StaffInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry, Setting
from tests.unit.concern_support import sample_input, sign_in

GAP = "Focussing on narrowing the attainment gap for all apprentices"


def _view(workspace: Workspace) -> StrategyEvidenceView:
    return StrategyEvidenceService(workspace.database, workspace.actor).evidence()


def _commitment(view: StrategyEvidenceView, text: str):  # type: ignore[no-untyped-def]
    return next(c for c in view.commitments if c.text == text)


# ---- the strategy file -----------------------------------------------------------------------


def test_every_commitment_of_the_strategy_is_walked_with_its_objectives() -> None:
    data = load_json("strategy.json")
    strategy = parse_strategy(data)
    assert [a.area for a in strategy.areas] == list(StrategyArea)
    assert [o.objective for o in strategy.objectives] == list(Objective)
    assert [len(a.commitments) for a in strategy.areas] == [4, 4, 7, 6]
    for commitment in strategy.commitments:
        assert commitment.objectives and commitment.evidence and commitment.hint
    assert strategy.commitments[0].number == "2.1" and strategy.commitments[-1].number == "5.6"
    # Each objective is served by at least one commitment.
    served = {o for c in strategy.commitments for o in c.objectives}
    assert served == set(Objective)


def test_the_first_shape_of_the_file_still_reads() -> None:
    old = load_json("strategy.json")
    for area in old["areas"]:
        area["commitments"] = [c["text"] for c in area["commitments"]]
    strategy = parse_strategy(old)
    first = strategy.commitments[0]
    assert first.evidence == (EvidenceKind.RISKS,) and first.objectives == ()
    assert first.cited_by("• " + first.text.upper())


# ---- evidence ----------------------------------------------------------------------------------


def test_a_new_site_has_evidence_from_its_starter_register_and_plans(
    workspace: Workspace,
) -> None:
    view = _view(workspace)
    assert len(view.commitments) == 21
    # Every starter risk's controls quote a commitment, so each commitment has a risk...
    assert view.evidenced == 21 and view.without_evidence == ()
    assert view.summary == "21 of 21 commitments have evidence"
    # ...but none has been reviewed yet, and the view says so.
    assert all(c.awaiting_review for c in view.commitments)
    assert view.review_note.startswith("21 of them rest only on")
    plans = _commitment(
        view,
        "Ensuring plans are in place to respond appropriately to a threat or incident "
        "within the programme",
    )
    kinds = {item.kind for item in plans.items}
    assert {EvidenceKind.RISKS, EvidenceKind.PLANS} <= kinds
    assert sum(item.kind is EvidenceKind.PLANS for item in plans.items) == 10
    news = _commitment(view, view.areas[3].commitments[2].text)
    assert [i.title for i in news.items if i.kind is EvidenceKind.PLANS] == [
        "A news event affecting apprentices and communities"
    ]
    # No staff on the matrix yet: no course counts, and the hint names those that would.
    training = _commitment(view, "Training development for delivery teams")
    assert all(item.kind is not EvidenceKind.COURSES for item in training.items)
    assert "Prevent awareness" in training.hint
    assert all(o.has_evidence for o in view.objectives)


def test_a_commitment_is_flagged_once_its_risks_are_deleted(workspace: Workspace) -> None:
    gap = _commitment(_view(workspace), GAP)
    assert [i.title[:5] for i in gap.items] == ["R-008"]
    workspace.risks.delete_risk(gap.items[0].record_id)
    view = _view(workspace)
    gap = _commitment(view, GAP)
    assert not gap.has_evidence and gap.status == NO_EVIDENCE
    assert gap.hint.startswith("A risk or action that tracks achievement gaps")
    assert [c.text for c in view.without_evidence] == [GAP]
    assert view.summary == "20 of 21 commitments have evidence"


def test_a_reviewed_risk_and_in_date_training_count_fully(workspace: Workspace) -> None:
    gap = _commitment(_view(workspace), GAP)
    workspace.risks.record_review(gap.items[0].record_id, comment="Checked with the tutors.")
    training = workspace.training
    person = training.add_staff(StaffInput("Ann Lee", "Trainer or tutor")).ids[0]
    course = next(c for c in training.courses() if c.name == "Prevent awareness")
    training.record_completion([person], CompletionInput(course.id, date.today()))
    view = _view(workspace)
    assert not _commitment(view, GAP).awaiting_review
    delivery = _commitment(view, "Training development for delivery teams")
    courses = [i for i in delivery.items if i.kind is EvidenceKind.COURSES]
    assert [i.title for i in courses] == ["Prevent awareness"]
    assert "in date for 1 staff (1 of 1 who need it)" in courses[0].detail
    o5 = next(o for o in view.objectives if o.objective is Objective.ROLES_RESPONSIBILITIES)
    assert "Prevent awareness" in [i.title for i in o5.items]


def test_a_risk_of_the_sites_own_counts_by_its_area_and_objectives(
    workspace: Workspace,
) -> None:
    starter = next(r for r in workspace.risks.list_risks() if r.reference == "R-008")
    workspace.risks.delete_risk(starter.id)
    own = RiskInput(
        title="Attainment gap between groups is not tracked",
        area=StrategyArea.MANAGING_RISKS,
        owner="Sam Patel",
        inherent_likelihood=3,
        inherent_impact=3,
        residual_likelihood=2,
        residual_impact=3,
        next_review_on=date.today() + timedelta(days=90),
        objectives=(Objective.BREAKING_SEGREGATION,),
    )
    risk_id = workspace.risks.create_risk(own).ids[0]
    assert not _commitment(_view(workspace), GAP).has_evidence  # the wrong area
    workspace.risks.update_risk(risk_id, replace(own, area=StrategyArea.APPRENTICE_SUPPORT))
    gap = _commitment(_view(workspace), GAP)
    assert [i.record_id for i in gap.items] == [risk_id]
    assert gap.items[0].detail.startswith("Area 4 risk citing O2")
    # Quoting the commitment in its controls counts whatever the area.
    workspace.risks.update_risk(risk_id, replace(own, controls=f"• {GAP.lower()}"))
    gap = _commitment(_view(workspace), GAP)
    assert gap.items[0].detail.startswith("Its controls quote this commitment")


# ---- concern figures ---------------------------------------------------------------------------


def test_concern_counts_come_without_the_safeguarding_key(workspace: Workspace) -> None:
    dana = sign_in(workspace.database.path, "dana")
    try:
        reported = datetime.now(UTC) - timedelta(hours=30)
        dana.concerns.now = lambda: reported
        first = dana.concerns.log_concern(sample_input()).ids[0]
        dana.concerns.log_concern(sample_input(concern_type="Islamist"))
        dana.concerns.now = lambda: reported + timedelta(hours=6)
        dana.concerns.change_status(first, ConcernStatus.UNDER_REVIEW, "Reading it now.")
        dana.concerns.add_referral(
            first,
            ReferralInput(ReferralAgency.PREVENT_POLICE, date.today(), ReferralMethod.ONLINE_FORM),
        )
    finally:
        dana.close()
    # The manager holds no safeguarding key, yet sees the counts.
    assert not workspace.concerns.holds_key()
    figures = StrategyEvidenceService(workspace.database, workspace.actor).concern_figures()
    assert figures is not None
    assert (figures.recorded, figures.closed, figures.open_now) == (2, 0, 2)
    assert (figures.referrals, figures.referrals_awaiting) == (1, 1)
    assert (figures.reviewed, figures.awaiting_review) == (1, 1)
    assert figures.median_hours_to_review == pytest.approx(6, abs=0.01)
    assert "Median time from report to first lead review: 6 hours" in " ".join(figures.lines())
    support = _commitment(
        _view(workspace),
        "Supporting at risk apprentices through safeguarding and crime prevention processes",
    )
    concern_items = [i for i in support.items if i.kind is EvidenceKind.CONCERNS]
    assert len(concern_items) == 1 and "2 recorded" in concern_items[0].detail
    assert "Kyle" not in repr(support)


# ---- permissions and sign-off ------------------------------------------------------------------


def test_staff_read_the_strategy_but_not_the_concern_figures(workspace: Workspace) -> None:
    tom = sign_in(workspace.database.path, "tom")
    try:
        view = _view(tom)
        assert view.evidenced == 21 and view.concerns is None
        support = _commitment(
            view,
            "Supporting at risk apprentices through safeguarding and crime prevention processes",
        )
        assert "managers and safeguarding leads only" in support.hint
        service = StrategyEvidenceService(tom.database, tom.actor)
        assert not service.can_sign_off
        with pytest.raises(PermissionDenied, match="Tom Reed \\(Staff\\) may not sign off"):
            service.sign_off_evidence_pack(view)
    finally:
        tom.close()


def test_only_a_manager_may_sign_off() -> None:
    assert Permission.SIGN_OFF_EVIDENCE in permissions_for(frozenset({Role.MANAGER}))
    for role in (Role.SAFEGUARDING_LEAD, Role.STAFF):
        assert Permission.SIGN_OFF_EVIDENCE not in permissions_for(frozenset({role}))


def test_sign_off_is_recorded_in_the_audit_log(workspace: Workspace) -> None:
    service = StrategyEvidenceService(workspace.database, workspace.actor)
    assert service.last_sign_off() is None
    view = service.evidence()
    at = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    sign_off = service.sign_off_evidence_pack(view, at=at)
    assert sign_off.statement == "Signed off by Sam Patel, Manager, on 04/03/2026"
    assert (sign_off.evidenced, sign_off.total) == (21, 21)
    assert service.last_sign_off() == sign_off
    assert _view(workspace).last_sign_off == sign_off
    with workspace.database.reader() as session:
        setting_id = session.scalar(select(Setting.id).where(Setting.key == SIGN_OFF_SETTING))
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.record_id == setting_id))
        )
    assert [e.action for e in entries] == ["create"] and entries[0].user_login == "sam"
    recorded = json.loads(json.loads(entries[0].changes)["value"])
    assert recorded["name"] == "Sam Patel" and recorded["evidenced"] == 21
    assert workspace.database.audit_problems() == []


def test_the_concern_figures_agree_with_a_count_made_row_by_row(data_dir: Path) -> None:
    """SQL counts the strategy's concern figures; here they are counted again from the rows,
    on the demo's concern log (closed, referred, deleted and unreviewed concerns)."""
    from statistics import median

    from prevent_desktop.domain.concern import ReferralOutcome
    from prevent_desktop.domain.risk import add_months
    from prevent_desktop.services.demo import build_demo
    from prevent_desktop.services.strategy_concern_figures import PERIOD_MONTHS
    from prevent_desktop.store.concern_models import Concern, ConcernReferral, ConcernStep

    demo = build_demo(data_dir / "demo.db", "river otter lantern 7")
    try:
        service = StrategyEvidenceService(demo.database, demo.actor)
        for today in (date.today(), date.today() - timedelta(days=150)):
            figures = service.concern_figures(today)
            assert figures is not None
            start = add_months(today, -PERIOD_MONTHS) + timedelta(days=1)
            low = datetime.combine(start, datetime.min.time(), UTC)
            high = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
            with demo.database.reader() as session:
                concerns = session.scalars(select(Concern).where(Concern.deleted.is_(False))).all()
                steps = session.scalars(
                    select(ConcernStep).where(ConcernStep.deleted.is_(False))
                ).all()
                referrals = session.scalars(
                    select(ConcernReferral).where(ConcernReferral.deleted.is_(False))
                ).all()
                live = {c.id for c in concerns}
                recorded = [c for c in concerns if low <= c.created_at < high]
                first: dict[str, datetime] = {}
                for step in steps:
                    if step.concern_id not in first or step.at < first[step.concern_id]:
                        first[step.concern_id] = step.at
                waits = [
                    (first[c.id] - c.created_at).total_seconds() / 3600
                    for c in recorded
                    if c.id in first
                ]
                made = [
                    r for r in referrals if r.concern_id in live and start <= r.referred_on <= today
                ]
                closed = [
                    s
                    for s in steps
                    if s.concern_id in live
                    and s.to_status == ConcernStatus.CLOSED.value
                    and low <= s.at < high
                ]
            assert figures.recorded == len(recorded) > 0
            assert figures.closed == len(closed)
            assert figures.open_now == sum(c.status != ConcernStatus.CLOSED.value for c in concerns)
            assert figures.referrals == len(made)
            assert figures.referrals_awaiting == sum(
                r.outcome == ReferralOutcome.AWAITING.value for r in made
            )
            assert figures.reviewed == len(waits)
            assert figures.median_hours_to_review == pytest.approx(median(waits), abs=1e-6)
    finally:
        demo.close()
