"""The Overview: what needs action, the charts, the first-run checklist, and what fell due
since the last session. Real encrypted databases, real services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from prevent_desktop.domain.risk import Rag
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.incident_views import ContactInput, ContactView
from prevent_desktop.services.overview_views import ChecklistItem, Destination
from prevent_desktop.services.training_views import CompletionInput, StaffInput
from prevent_desktop.services.workspace import Workspace
from tests.unit.concern_support import sample_input, sign_in


def _labels(workspace: Workspace, today: date) -> dict[str, int]:
    return {item.label: item.count for item in workspace.overview.overview(today).actions}


def test_a_new_site_has_a_checklist_and_nothing_overdue(workspace: Workspace) -> None:
    overview = workspace.overview.overview()
    checklist = {item.label: item.done for item in overview.checklist}
    assert checklist == {
        "Fill in your local contacts": False,
        "Add your staff list": False,
        "Set head office's public key": False,
        "Review the starter risk register": False,
    }
    assert not overview.checklist_done
    assert overview.threat.level.value == "substantial"
    # The starter register is in place and counted by band.
    assert sum(overview.risks_by_rag.values()) == len(workspace.risks.list_risks())
    assert "Risk reviews overdue" not in _labels(workspace, date.today())
    assert overview.training_by_course  # the strategy's courses, nobody on them yet
    assert all(course.required == 0 for course in overview.training_by_course)


def test_the_checklist_follows_the_data(workspace: Workspace) -> None:
    from pyrage import x25519

    for contact in workspace.incidents.missing_contacts():
        workspace.incidents.save_contact(contact.id, _filled(contact))
    workspace.training.add_staff(StaffInput("Ana Silva", "Assessor"))
    workspace.quarterly.set_head_office_key(str(x25519.Identity.generate().to_public()))
    risk = workspace.risks.list_risks()[0]
    workspace.risks.record_review(risk.id, comment="Checked for our site")
    overview = workspace.overview.overview()
    assert [item.done for item in overview.checklist] == [True, True, True, True]
    assert overview.checklist_done


def _filled(contact: ContactView) -> ContactInput:
    return ContactInput(
        name=contact.name or "Jo Bloggs",
        organisation=contact.organisation or "Leeds City Council",
        phone="0113 222 3333",
        local=True,
    )


def test_overdue_reviews_actions_plans_and_training_are_listed_with_links(
    workspace: Workspace,
) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor")).ids[0]
    course = training.courses()[0]
    training.record_completion([ana], CompletionInput(course.id, date.today()))
    later = date.today() + timedelta(days=366 * 4)  # everything has come round again
    overview = workspace.overview.overview(later)
    by_label = {item.label: item for item in overview.actions}
    reviews = by_label["Risk reviews overdue"]
    assert reviews.overdue and reviews.link.destination is Destination.RISKS_OVERDUE
    assert reviews.count == len(workspace.risks.list_risks())
    assert "due " in reviews.detail and "/" in reviews.detail  # dd/mm/yyyy
    plans = by_label["Incident plan reviews overdue"]
    assert plans.link.destination is Destination.INCIDENT_PLAN and plans.link.value
    expired = by_label["Training expired"]
    assert expired.link.value == CellStatus.EXPIRED.value
    assert "Ana Silva" in expired.detail
    # Overdue lines come first.
    flags = [item.overdue for item in overview.actions]
    assert flags == sorted(flags, reverse=True)


def test_risks_by_rag_leave_closed_risks_out(workspace: Workspace) -> None:
    risks = workspace.risks.list_risks()
    before = workspace.overview.overview().risks_by_rag
    workspace.risks.close_risk(risks[0].id)
    after = workspace.overview.overview().risks_by_rag
    assert sum(after.values()) == sum(before.values()) - 1
    assert after[risks[0].rag] == before[risks[0].rag] - 1
    assert set(after) == set(Rag)


def test_concern_counts_for_leads_and_managers_only(workspace: Workspace) -> None:
    path = workspace.database.path
    tom = sign_in(path, "tom")
    tom.concerns.log_concern(sample_input())
    staff_view = tom.overview.overview()
    assert not staff_view.shows_concerns
    assert not any("Concern" in item.label for item in staff_view.actions)
    tom.close()
    dana = sign_in(path, "dana")
    awaiting = {i.label: i for i in dana.overview.overview().actions}["Concerns awaiting the lead"]
    assert awaiting.count == 1 and awaiting.detail.startswith("C-")
    assert awaiting.link.destination is Destination.CONCERNS_AWAITING_LEAD
    dana.close()


def test_since_last_session_lists_what_fell_due_in_between(workspace: Workspace) -> None:
    overview = workspace.overview
    first = overview.start_session(date(2026, 1, 1), datetime(2026, 1, 1, 9, tzinfo=UTC))
    assert first.last_seen is None and first.events == ()
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor")).ids[0]
    course = next(c for c in training.courses() if c.validity_months)
    completed = date.today() - timedelta(days=400 * course.validity_months // 12 + 40)
    training.record_completion([ana], CompletionInput(course.id, completed))
    expires = training.matrix().cell(0, training.matrix().courses.index(course)).expires_on
    assert expires is not None
    since = overview.start_session(expires + timedelta(days=1), datetime.now(UTC))
    assert since.last_seen == datetime(2026, 1, 1, 9, tzinfo=UTC)
    texts = [event.text for event in since.events]
    assert f"{course.name} expired for Ana Silva" in texts
    assert [e.on for e in since.events] == sorted(e.on for e in since.events)
    # The next session starts from this one: nothing new fell due today.
    again = overview.start_session(expires + timedelta(days=1), datetime.now(UTC))
    assert again.events == ()


def test_the_last_session_is_per_user(workspace: Workspace) -> None:
    workspace.overview.start_session()
    dana = sign_in(workspace.database.path, "dana")
    assert dana.overview.start_session().last_seen is None
    dana.close()


def test_an_unreadable_last_session_mark_counts_as_a_first_session(workspace: Workspace) -> None:
    from prevent_desktop.services.overview import LAST_SESSION_META
    from prevent_desktop.store.models import MetaEntry

    actor = workspace.actor
    with workspace.database.writer(user_id=actor.user_id, login=actor.login) as session:
        session.merge(MetaEntry(key=LAST_SESSION_META + actor.user_id, value="not a date"))
    assert workspace.overview.start_session().last_seen is None


def test_an_action_due_on_the_day_of_a_session_is_listed_at_the_next(
    workspace: Workspace,
) -> None:
    from prevent_desktop.services.risk_views import ActionInput

    risk = workspace.risks.list_risks()[0]
    due = date.today() + timedelta(days=4)
    workspace.risks.add_action(risk.id, ActionInput("Brief the governors", "Sam", due))
    overview = workspace.overview
    overview.start_session(due - timedelta(days=4), datetime(2026, 1, 1, tzinfo=UTC))
    on_the_day = overview.start_session(due, _noon(due))
    assert any("Brief the governors" in e.text for e in on_the_day.events)
    # The day after, the session starts after the due date: nothing new.
    after = overview.start_session(due + timedelta(days=1), _noon(due + timedelta(days=1)))
    assert not any("Brief the governors" in e.text for e in after.events)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_a_full_disk_does_not_blank_the_overview(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevent_desktop.errors import StorageFull

    workspace.overview.start_session()

    def full(*_args: object, **_kwargs: object) -> None:
        raise StorageFull("The disk is full.")

    monkeypatch.setattr(workspace.database, "writer", full)
    since = workspace.overview.start_session()  # the mark is not written; nothing fails
    assert since.last_seen is not None


def test_reviews_not_yet_due_are_not_counted_as_overdue(workspace: Workspace) -> None:
    later = date.today() + timedelta(days=366 * 4)
    plans = workspace.incidents.plans(later)
    soon = min(plans, key=lambda p: p.next_review_on).next_review_on - timedelta(days=10)
    items = {i.label: i for i in workspace.overview.overview(soon).actions}
    due = items["Incident plans due for review within 30 days"]
    assert not due.overdue and due.state == "Due soon"
    assert "Incident plan reviews overdue" not in items


def test_only_a_manager_is_sent_to_set_head_offices_key(workspace: Workspace) -> None:
    def item(ws: Workspace) -> ChecklistItem:
        return next(i for i in ws.overview.overview().checklist if "head office" in i.label)

    assert item(workspace).link is not None
    tom = sign_in(workspace.database.path, "tom")
    try:
        staff = item(tom)
        assert staff.link is None and "A manager enters" in staff.hint
    finally:
        tom.close()


def test_the_overviews_own_reads_agree_with_the_tabs(data_dir: Path) -> None:
    """The Overview asks SQL for its risk figures and plan dates; the tabs work them out from
    every RiskView and PlanView. On the demo data (closed risks, finished and overdue actions,
    a deleted risk, drilled and undrilled plans), on several days, the two must agree."""
    from prevent_desktop.services.demo import build_demo
    from prevent_desktop.services.overview_risks import risk_reminders

    demo = build_demo(data_dir / "demo.db", "river otter lantern 7")
    try:
        listed = demo.risks.list_risks()
        demo.risks.close_risk(listed[1].id)
        demo.risks.delete_risk(listed[2].id)
        thresholds = demo.risks.rag_thresholds()
        for today in (date.today(), date.today() - timedelta(days=200), date(2030, 1, 1)):
            risks = [r for r in demo.risks.list_risks(today) if r.status.value != "closed"]
            figures = risk_reminders(demo.database, thresholds, today)
            assert figures.open_risks == len(risks)
            assert figures.reviewed == sum(r.last_reviewed_at is not None for r in risks)
            assert figures.by_rag == {rag: sum(r.rag is rag for r in risks) for rag in Rag}
            overdue = [r for r in risks if r.review_overdue]
            assert {(r.reference, r.on) for r in figures.reviews_before(today)} == {
                (r.reference, r.next_review_on) for r in overdue
            }
            every_action = [a for r in risks for a in r.actions]
            assert sorted(
                (a.reference, a.description, a.on) for a in figures.actions_before(today)
            ) == sorted(
                (r.reference, a.description, a.due_on)
                for r in risks
                for a in r.actions
                if a.overdue
            )
            due_by_today = [(r, a) for r in risks for a in r.actions if not a.status.finished]
            assert len(figures.actions) == sum(a.due_on <= today for _r, a in due_by_today)
            assert every_action  # the demo has actions to compare
            assert figures.reviews == tuple(sorted(figures.reviews, key=lambda r: r.on))
        assert any(figures.reviews_before(date(2030, 1, 1)))
        plans = demo.incidents.plans()
        assert demo.incidents.plan_dates() == [plan.dates for plan in plans]
        assert any(p.last_drill_on for p in plans) and any(not p.last_drill_on for p in plans)
    finally:
        demo.close()
