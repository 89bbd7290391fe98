"""Incident plans: the seeded plans and contacts, editing and reordering steps, missing
contacts, and incident and drill logs with their timing and audit entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from prevent_desktop.domain.incident import LogKind, Phase, StepRole, next_drill
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.incident_views import ContactInput, StepInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry
from tests.unit.concern_support import sign_in

TITLES = [
    "Dynamic lockdown (Run, Hide, Tell)",
    "Evacuation and invacuation",
    "Suspicious item (HOT and the 4 Cs)",
    "Bomb threat received by phone",
    "Attack or threat of violence on site",
    "An apprentice who poses an immediate risk",
    "Extremist material, graffiti or leaflets found on site",
    "Extremist content shared online or in a group chat",
    "A news event affecting apprentices and communities",
    "External speaker or event going wrong",
]


def test_a_new_site_has_the_ten_plans_and_the_national_numbers(workspace: Workspace) -> None:
    plans = workspace.incidents.plans()
    assert [p.title for p in plans] == TITLES
    for plan in plans:
        phases = [s.phase for s in plan.steps]
        assert phases == sorted(phases, key=list(Phase).index), plan.title
        assert set(phases) == set(Phase), plan.title
        assert plan.version == 1 and plan.next_review_on > date.today()
    phones = {c.name: c.phone for c in workspace.incidents.contacts()}
    assert "0800 789 321" in phones.values() and "999" in phones.values()
    assert "020 7340 7264" in phones.values()
    missing = {c.name for c in workspace.incidents.missing_contacts()}
    assert "Local police Prevent team" in missing
    lockdown = plans[0]
    assert any(c.missing for c in lockdown.contacts) or lockdown.contacts


def test_editing_and_reordering_steps_bumps_the_version(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[0]
    steps = list(plan.as_input().steps)
    steps[0], steps[1] = steps[1], steps[0]  # swap two "immediately" steps
    steps.append(StepInput(Phase.IMMEDIATELY, StepRole.DEPUTY, "  Lock the side gate  "))
    incidents.save_plan(plan.id, replace(plan.as_input(), steps=tuple(steps)))
    changed = incidents.plan(plan.id)
    assert changed.version == 2
    assert [s.text for s in changed.steps][:2] == [plan.steps[1].text, plan.steps[0].text]
    # A step added at the end of the list still sits with its phase.
    immediate = [s for s in changed.steps if s.phase is Phase.IMMEDIATELY]
    assert immediate[-1].text == "Lock the side gate"
    assert [s.position for s in changed.steps] == list(range(1, len(changed.steps) + 1))
    fewer = replace(changed.as_input(), steps=changed.as_input().steps[:3])
    incidents.save_plan(plan.id, fewer)
    assert len(incidents.plan(plan.id).steps) == 3


def test_bad_plans_are_refused_and_nothing_changes(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[0]
    for bad, message in [
        (replace(plan.as_input(), title="  "), "title"),
        (replace(plan.as_input(), steps=()), "at least one step"),
        (
            replace(plan.as_input(), steps=(StepInput(Phase.AFTERWARDS, StepRole.DEPUTY, " "),)),
            "no text",
        ),
        (replace(plan.as_input(), drill_every_months=99), "Drills"),
    ]:
        with pytest.raises(ValidationError, match=message):
            incidents.save_plan(plan.id, bad)
    assert incidents.plan(plan.id) == plan


def test_filling_in_a_local_contact_clears_its_warning(workspace: Workspace) -> None:
    incidents = workspace.incidents
    police = next(c for c in incidents.missing_contacts() if "police" in c.name.casefold())
    assert police.used_by
    with pytest.raises(ValidationError, match="not a phone"):
        incidents.save_contact(police.id, replace(police.as_input(), phone="call them"))
    incidents.save_contact(
        police.id, replace(police.as_input(), phone="01632 960 123", organisation="West Force")
    )
    assert police.id not in {c.id for c in incidents.missing_contacts()}


def test_a_drill_from_start_to_close_with_times_and_audit(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[1]
    started = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    log_id = incidents.start(plan.id, LogKind.DRILL, at=started).ids[0]
    log = incidents.log(log_id)
    assert log.open and log.kind is LogKind.DRILL and log.plan_version == plan.version
    assert [s.text for s in log.steps] == [s.text for s in plan.steps]
    first = log.steps[0]
    incidents.tick(first.id, at=started + timedelta(minutes=2))
    incidents.add_note(log_id, "Alarm sounded; all out in 3 minutes.", at=started)
    with pytest.raises(ValidationError, match="how it ended"):
        incidents.close(log_id, " ")
    incidents.close(log_id, "Everyone out in 4 minutes; side door was locked.")
    closed = incidents.log(log_id)
    assert not closed.open and closed.steps[0].done_by_name == "Sam Patel"
    assert closed.steps[0].done_at == started + timedelta(minutes=2)
    assert closed.notes[0].text.startswith("Alarm sounded")
    with pytest.raises(ValidationError, match="closed"):
        incidents.tick(closed.steps[1].id)
    with pytest.raises(ValidationError, match="closed"):
        incidents.add_note(log_id, "Too late")
    # The next drill falls due from this one.
    after = incidents.plan(plan.id)
    assert after.last_drill_on == started.astimezone().date()
    assert after.next_drill_on == next_drill(
        after.last_drill_on, plan.drill_every_months, date.today()
    )
    with workspace.database.reader() as session:
        kinds = {
            e.record_type
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.record_type.like("incident_log%"))
            )
        }
    assert kinds == {"incident_log", "incident_log_step", "incident_log_note"}


def test_a_plan_edit_never_rewrites_a_log(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[0]
    log_id = incidents.start(plan.id, LogKind.INCIDENT).ids[0]
    incidents.save_plan(plan.id, replace(plan.as_input(), steps=plan.as_input().steps[:1]))
    assert len(incidents.log(log_id).steps) == len(plan.steps)


def test_staff_run_incidents_but_do_not_edit_plans(workspace: Workspace) -> None:
    tom = sign_in(workspace.database.path, "tom")
    try:
        plan = tom.incidents.plans()[0]
        log_id = tom.incidents.start(plan.id, LogKind.INCIDENT).ids[0]
        tom.incidents.tick(tom.incidents.log(log_id).steps[0].id)
        with pytest.raises(PermissionDenied):
            tom.incidents.save_plan(plan.id, plan.as_input())
        with pytest.raises(PermissionDenied):
            tom.incidents.save_contact(None, ContactInput("Someone"))
        with pytest.raises(PermissionDenied):
            tom.incidents.record_review(plan.id)
    finally:
        tom.close()


def test_review_dates(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[0]
    incidents.record_review(plan.id, date(2026, 2, 28))
    reviewed = incidents.plan(plan.id)
    assert reviewed.last_reviewed_on == date(2026, 2, 28)
    assert reviewed.next_review_on == date(2027, 2, 28)
    assert reviewed.review_overdue(date(2027, 3, 1))
    with pytest.raises(ValidationError, match="future"):
        incidents.record_review(plan.id, date.today() + timedelta(days=1))


def test_plan_lookup_by_title(workspace: Workspace) -> None:
    assert workspace.incidents.plan_by_title("bomb threat  received by PHONE").title == TITLES[3]
    with pytest.raises(ValidationError, match="no plan called"):
        workspace.incidents.plan_by_title("Alien landing")


def test_demo_has_filled_contacts_past_drills_and_a_closed_incident(data_dir) -> None:  # type: ignore[no-untyped-def]
    from prevent_desktop.services.demo import build_demo

    demo = build_demo(data_dir / "demo.db", "river otter lantern 7")
    try:
        incidents = demo.incidents
        logs = incidents.logs()
        assert sum(log.kind is LogKind.DRILL for log in logs) >= 2
        assert any(log.kind is LogKind.INCIDENT and not log.open for log in logs)
        assert all(not log.open for log in logs)
        missing = incidents.missing_contacts()
        assert [c.key for c in missing] == ["building_security"]  # left for the site
        lockdown = incidents.plan_by_title(TITLES[0])
        assert lockdown.last_drill_on is not None and lockdown.next_drill_on is not None
        bomb = incidents.plan_by_title(TITLES[3])
        assert bomb.review_overdue(date.today())
        assert demo.database.audit_problems() == []
    finally:
        demo.close()


def test_texts_that_could_not_be_printed_are_refused(workspace: Workspace) -> None:
    """A table row taller than a page cannot be printed: steps, notes and outcomes are
    capped, so every checklist and log always prints."""
    incidents = workspace.incidents
    plan = incidents.plans()[0]
    long_step = StepInput(Phase.IMMEDIATELY, StepRole.ALL_STAFF, "x" * 601)
    with pytest.raises(ValidationError, match="longer than 600"):
        incidents.save_plan(plan.id, replace(plan.as_input(), steps=(long_step,)))
    log_id = incidents.start(plan.id, LogKind.DRILL).ids[0]
    with pytest.raises(ValidationError, match="at most 4,000"):
        incidents.add_note(log_id, "y" * 4001)
    with pytest.raises(ValidationError, match="at most 4,000"):
        incidents.close(log_id, "z" * 4001)
    incidents.add_note(log_id, "n" * 4000)
    incidents.close(log_id, "o" * 4000)
    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.reports.incident_forms_pdf import write_incident_log

    out = workspace.database.path.parent / "log.pdf"
    write_incident_log(workspace, out, ReportOptions(log_id=log_id))
    assert out.read_bytes().startswith(b"%PDF")


def test_two_plans_cannot_share_a_title(workspace: Workspace) -> None:
    incidents = workspace.incidents
    first, second = incidents.plans()[:2]
    with pytest.raises(ValidationError, match="already a plan called"):
        incidents.save_plan(second.id, replace(second.as_input(), title=first.title.upper()))


def test_a_second_phone_number_is_enough_to_reach_a_contact(workspace: Workspace) -> None:
    incidents = workspace.incidents
    lado = next(c for c in incidents.missing_contacts() if "LADO" in c.name)
    incidents.save_contact(lado.id, replace(lado.as_input(), phone_other="01632 960 999"))
    assert lado.id not in {c.id for c in incidents.missing_contacts()}


def test_deleting_a_plan_keeps_the_logs_run_from_it(workspace: Workspace) -> None:
    incidents = workspace.incidents
    plan = incidents.plans()[-1]
    log_id = incidents.start(plan.id, LogKind.DRILL).ids[0]
    tom = sign_in(workspace.database.path, "tom")
    try:
        with pytest.raises(PermissionDenied):
            tom.incidents.delete_plan(plan.id)
    finally:
        tom.close()
    incidents.delete_plan(plan.id)
    assert plan.id not in {p.id for p in incidents.plans()}
    assert len(incidents.log(log_id).steps) == len(plan.steps)
