"""The training matrix's rules and service: expiry, cell status at the boundaries, role
requirements, compliance, bulk recording, permissions, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from prevent_desktop.domain.training import (
    CellStatus,
    Compliance,
    CourseRule,
    cell_status,
    expiry_date,
)
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.training import MAX_CERTIFICATE_BYTES
from prevent_desktop.services.training_views import CompletionInput, CourseInput, StaffInput
from prevent_desktop.services.workspace import Workspace
from tests.unit.concern_support import sign_in

TODAY = date(2026, 11, 25)
YEARLY = CourseRule(12, required_for_all=False, required_roles=frozenset({"Assessor"}))


# ---- the rules -------------------------------------------------------------------------------


def test_expiry_keeps_month_ends_and_leap_days() -> None:
    assert expiry_date(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert expiry_date(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert expiry_date(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert expiry_date(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert expiry_date(date(2024, 2, 29), 0) is None  # never expires
    with pytest.raises(ValueError):
        expiry_date(date(2024, 1, 1), -1)


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        (date(2025, 11, 25), CellStatus.EXPIRED),  # expires today: expired today
        (date(2025, 11, 26), CellStatus.DUE_SOON),  # expires tomorrow
        (date(2025, 9, 27), CellStatus.EXPIRED),
        (date(2026, 1, 24), CellStatus.DUE_SOON),  # 60 days left: still inside the window
        (date(2026, 1, 25), CellStatus.VALID),  # 61 days left
        (date(2026, 11, 25), CellStatus.VALID),  # done today
    ],
)
def test_status_at_the_boundaries(completed: date, expected: CellStatus) -> None:
    status, expires = cell_status(completed, YEARLY, "Assessor", TODAY)
    assert status is expected
    assert expires == expiry_date(completed, 12)


def test_leap_day_completion_expires_on_the_28th() -> None:
    rule = CourseRule(12, True, frozenset())
    assert cell_status(date(2024, 2, 29), rule, "x", date(2025, 2, 27))[0] is CellStatus.DUE_SOON
    assert cell_status(date(2024, 2, 29), rule, "x", date(2025, 2, 28))[0] is CellStatus.EXPIRED


def test_never_expiring_courses_stay_valid() -> None:
    rule = CourseRule(0, True, frozenset())
    assert cell_status(date(1995, 6, 1), rule, "x", TODAY) == (CellStatus.VALID, None)


def test_role_requirements_decide_missing_or_not_required() -> None:
    assert cell_status(None, YEARLY, "assessor", TODAY)[0] is CellStatus.MISSING
    assert cell_status(None, YEARLY, "Administrator", TODAY)[0] is CellStatus.NOT_REQUIRED
    everyone = CourseRule(24, True, frozenset())
    assert cell_status(None, everyone, "Administrator", TODAY)[0] is CellStatus.MISSING
    # Done though not required: still shown for what it is.
    assert cell_status(date(2026, 6, 1), YEARLY, "Administrator", TODAY)[0] is CellStatus.VALID


def test_the_due_soon_window_is_configurable() -> None:
    completed = date(2025, 12, 20)  # expires 20/12/2026, 25 days away
    assert cell_status(completed, YEARLY, "Assessor", TODAY, 30)[0] is CellStatus.DUE_SOON
    assert cell_status(completed, YEARLY, "Assessor", TODAY, 20)[0] is CellStatus.VALID


def test_every_status_has_a_symbol_and_a_word() -> None:
    assert len({s.symbol for s in CellStatus}) == len(CellStatus)
    assert all(s.label for s in CellStatus)


def test_compliance_counts_only_required_cells() -> None:
    total = Compliance()
    for status, required in [
        (CellStatus.VALID, True),
        (CellStatus.DUE_SOON, True),
        (CellStatus.EXPIRED, True),
        (CellStatus.MISSING, True),
        (CellStatus.VALID, False),
    ]:
        total = total.plus(status, required)
    assert (total.done, total.required, total.percent) == (2, 4, 50.0)
    assert total.text() == "50% (2 of 4)"
    assert Compliance().text() == "—"


# ---- the service ----------------------------------------------------------------------------


def _course(workspace: Workspace, name: str) -> str:
    return next(c.id for c in workspace.training.courses() if c.name == name)


def test_a_new_site_is_seeded_with_the_strategy_courses(workspace: Workspace) -> None:
    courses = {c.name: c for c in workspace.training.courses()}
    assert len(courses) == 11
    assert courses["Designated Safeguarding Lead training"].validity_months == 24
    assert courses["Prevent awareness"].required_for_all
    assert courses["ACT awareness (counter-terrorism)"].validity_text() == "Never expires"
    assert "O5" in courses["Prevent awareness"].objectives
    assert "Safeguarding lead (DSL)" in workspace.training.job_roles()


def test_matrix_compliance_and_due_list(workspace: Workspace) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor", date(2024, 1, 8))).ids[0]
    ben = training.add_staff(StaffInput("Ben Cole", "Administrator")).ids[0]
    awareness = _course(workspace, "Prevent awareness")
    online = _course(workspace, "Online safety")
    training.record_completion([ana, ben], CompletionInput(awareness, date(2026, 10, 1)))
    training.record_completion([ana], CompletionInput(online, date(2024, 12, 1)))  # 01/12/2026
    matrix = training.matrix(TODAY)
    names = [s.name for s in matrix.staff]
    assert names == ["Ana Silva", "Ben Cole"]
    column = {c.name: i for i, c in enumerate(matrix.courses)}
    ana_row = matrix.cells[0]
    assert ana_row[column["Prevent awareness"]].status is CellStatus.VALID
    assert ana_row[column["Online safety"]].status is CellStatus.DUE_SOON
    assert ana_row[column["Online safety"]].expires_on == date(2026, 12, 1)
    assert ana_row[column["British values"]].status is CellStatus.MISSING
    assert matrix.cells[1][column["British values"]].status is CellStatus.NOT_REQUIRED
    by_course = matrix.by_course()
    assert by_course[awareness].text() == "100% (2 of 2)"
    assert by_course[online].done == 1
    overall = matrix.overall()
    assert overall.required == sum(c.required for row in matrix.cells for c in row)
    assert set(matrix.by_role()) == {"Assessor", "Administrator"}
    due = matrix.due_within(30)
    assert [(d.staff.name, d.course.name) for d in due] == [("Ana Silva", "Online safety")]


def test_the_latest_completion_decides_and_history_keeps_all(workspace: Workspace) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor")).ids[0]
    course = _course(workspace, "Safeguarding (all staff)")
    training.record_completion([ana], CompletionInput(course, date(2024, 3, 1)))
    training.record_completion(
        [ana], CompletionInput(course, date(2026, 3, 1), certificate_reference="SG-2")
    )
    history = training.history(ana, course)
    assert [r.completed_on for r in history] == [date(2026, 3, 1), date(2024, 3, 1)]
    assert history[0].expires_on == date(2027, 3, 1)
    assert history[0].recorded_by_name == "Sam Patel"
    assert (
        training.matrix(TODAY).cells[0][[c.id for c in training.courses()].index(course)].status
        is CellStatus.VALID
    )
    training.delete_record(history[0].id)
    assert [r.completed_on for r in training.history(ana, course)] == [date(2024, 3, 1)]


def test_bulk_recording_after_a_team_session(workspace: Workspace) -> None:
    training = workspace.training
    ids = [
        training.add_staff(StaffInput(f"Person {n}", "Trainer or tutor")).ids[0] for n in range(5)
    ]
    course = _course(workspace, "British values")
    change = training.record_completion(
        ids,
        CompletionInput(
            course,
            date(2026, 11, 20),
            evidence_note="Team session",
            certificate=("register.pdf", b"%PDF-1.4 register"),
        ),
    )
    assert len(change.ids) == 5
    for staff_id in ids:
        (record,) = training.history(staff_id, course)
        assert record.certificate_name == "register.pdf"
    assert training.certificate(change.ids[0]) == ("register.pdf", b"%PDF-1.4 register")


def test_bad_input_is_refused_and_nothing_written(workspace: Workspace) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor")).ids[0]
    course = _course(workspace, "Online safety")
    with pytest.raises(ValidationError, match="future"):
        training.record_completion([ana], CompletionInput(course, date.today() + timedelta(days=1)))
    with pytest.raises(ValidationError, match="at most 5 MB"):
        training.record_completion(
            [ana],
            CompletionInput(
                course,
                date(2026, 1, 1),
                certificate=("scan.pdf", b"\0" * (MAX_CERTIFICATE_BYTES + 1)),
            ),
        )
    with pytest.raises(ValidationError, match="not one of the site's job roles"):
        training.add_staff(StaffInput("Cy Young", "Astronaut"))
    with pytest.raises(ValidationError, match="not an email"):
        training.add_staff(StaffInput("Cy Young", "Assessor", email="cy at example"))
    with pytest.raises(ValidationError, match="already a course"):
        training.add_course(CourseInput("prevent  awareness"))
    with pytest.raises(ValidationError, match="Validity"):
        training.add_course(CourseInput("New course", validity_months=500))
    with pytest.raises(ValidationError, match="Unknown job role"):
        training.add_course(CourseInput("New course", required_roles=("Pilot",)))
    with pytest.raises(ValidationError, match="still the job role"):
        training.set_job_roles(["Site manager"])  # Ana is an assessor
    with pytest.raises(ValidationError, match="at least one"):
        training.record_completion([], CompletionInput(course, date(2026, 1, 1)))
    assert training.history(ana, course) == []
    assert [s.name for s in training.staff()] == ["Ana Silva"]


def test_courses_edit_retire_and_the_matrix_follows(workspace: Workspace) -> None:
    training = workspace.training
    training.add_staff(StaffInput("Ana Silva", "Administrator"))
    course_id = training.add_course(
        CourseInput("Fire marshal", "In-house", 36, required_roles=("Administrator",))
    ).ids[0]
    matrix = training.matrix(TODAY)
    assert matrix.courses[-1].name == "Fire marshal"
    assert matrix.cells[0][-1].status is CellStatus.MISSING
    training.update_course(course_id, CourseInput("Fire marshal", "In-house", 36))
    assert training.matrix(TODAY).cells[0][-1].status is CellStatus.NOT_REQUIRED
    training.set_course_active(course_id, False)
    assert "Fire marshal" not in [c.name for c in training.matrix(TODAY).courses]
    assert "Fire marshal" in [c.name for c in training.courses(include_retired=True)]


def test_leavers_drop_out_of_the_matrix_but_keep_their_records(workspace: Workspace) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor", date(2020, 1, 1))).ids[0]
    training.update_staff(
        ana, StaffInput("Ana Silva", "Assessor", date(2020, 1, 1), left_on=date(2026, 6, 30))
    )
    assert training.matrix(TODAY).staff == ()
    assert [s.name for s in training.matrix(TODAY, include_left=True).staff] == ["Ana Silva"]
    with pytest.raises(ValidationError, match="before the start"):
        training.update_staff(
            ana, StaffInput("Ana Silva", "Assessor", date(2020, 1, 1), left_on=date(2019, 1, 1))
        )


def test_due_soon_window_setting(workspace: Workspace) -> None:
    assert workspace.training.due_soon_days() == 60
    workspace.training.set_due_soon_days(30)
    assert workspace.training.due_soon_days() == 30
    assert workspace.training.matrix(TODAY).due_soon_days == 30
    with pytest.raises(ValidationError):
        workspace.training.set_due_soon_days(0)


def test_staff_read_the_matrix_but_cannot_change_it(workspace: Workspace) -> None:
    tom = sign_in(workspace.database.path, "tom")
    try:
        assert tom.training.matrix(TODAY).courses
        course = tom.training.courses()[0].id
        writes = [
            lambda: tom.training.add_staff(StaffInput("X Y", "Assessor")),
            lambda: tom.training.add_course(CourseInput("Anything")),
            lambda: tom.training.set_job_roles(["A"]),
            lambda: tom.training.set_due_soon_days(10),
            lambda: tom.training.record_completion(["x"], CompletionInput(course, TODAY)),
            lambda: tom.training.delete_record("x"),
            lambda: tom.training.set_course_active(course, False),
        ]
        for write in writes:
            with pytest.raises(PermissionDenied):
                write()
    finally:
        tom.close()
    lead = sign_in(workspace.database.path, "dana")
    try:
        lead.training.add_staff(StaffInput("Lead Added", "Assessor"))
    finally:
        lead.close()


def test_demo_matrix_has_every_status(data_dir: Path) -> None:
    from prevent_desktop.services.demo import build_demo

    demo = build_demo(data_dir / "demo.db", "river otter lantern 7")
    try:
        matrix = demo.training.matrix()
        counts = matrix.status_counts()
        assert all(counts[status] > 0 for status in CellStatus), counts
        assert len(demo.training.staff(include_left=True)) == len(matrix.staff) + 1
        session = [s for s in matrix.staff if demo.training.history(s.id, matrix.courses[0].id)]
        assert len(session) >= 4
        assert demo.database.audit_problems() == []
        # The totals come from one tally of distinct cells; counted here cell by cell.
        by_course = {c.id: Compliance() for c in matrix.courses}
        by_role: dict[str, Compliance] = {}
        overall = Compliance()
        for person, row in zip(matrix.staff, matrix.cells, strict=True):
            by_role.setdefault(person.job_role, Compliance())
            for course, cell in zip(matrix.courses, row, strict=True):
                by_course[course.id] = by_course[course.id].plus(cell.status, cell.required)
                role = by_role[person.job_role]
                by_role[person.job_role] = role.plus(cell.status, cell.required)
                overall = overall.plus(cell.status, cell.required)
        assert matrix.by_course() == by_course
        assert matrix.by_role() == dict(sorted(by_role.items()))
        assert list(matrix.by_role()) == sorted(by_role)
        assert matrix.overall() == overall
        assert matrix.in_date_by_course() == {
            course.id: sum(row[column].status.counts_as_done for row in matrix.cells)
            for column, course in enumerate(matrix.courses)
        }
        assert sum(counts.values()) == len(matrix.staff) * len(matrix.courses)
    finally:
        demo.close()


def test_renaming_a_job_role_follows_it_everywhere(workspace: Workspace) -> None:
    training = workspace.training
    ana = training.add_staff(StaffInput("Ana Silva", "Assessor")).ids[0]
    training.rename_job_role("assessor", "Assessor (EPA)")
    assert "Assessor (EPA)" in training.job_roles() and "Assessor" not in training.job_roles()
    assert next(s for s in training.staff() if s.id == ana).job_role == "Assessor (EPA)"
    online = next(c for c in training.courses() if c.name == "Online safety")
    assert "Assessor (EPA)" in online.required_roles
    matrix = training.matrix(TODAY)
    column = [c.name for c in matrix.courses].index("Online safety")
    assert matrix.cells[0][column].status is CellStatus.MISSING  # still required
    with pytest.raises(ValidationError, match="already a job role"):
        training.rename_job_role("Assessor (EPA)", "site MANAGER")
    with pytest.raises(ValidationError, match="no job role"):
        training.rename_job_role("Pilot", "Captain")


def test_compliance_never_rounds_up_to_complete() -> None:
    almost = Compliance(1999, 2000)
    assert almost.text() == "99% (1999 of 2000)" and almost.whole_percent == 99
    assert Compliance(2000, 2000).text() == "100% (2000 of 2000)"


def test_a_leaving_date_is_recorded_on_the_day_not_ahead(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="cannot be in the future"):
        workspace.training.add_staff(
            StaffInput("Ana Silva", "Assessor", left_on=date.today() + timedelta(days=3))
        )


def test_roles_can_swap_names_and_a_refusal_changes_nothing(workspace: Workspace) -> None:
    training = workspace.training
    tutor = training.add_staff(StaffInput("Tia Tutor", "Trainer or tutor")).ids[0]
    assessor = training.add_staff(StaffInput("Ash Assessor", "Assessor")).ids[0]
    roles = training.job_roles()
    swapped = [
        {"Trainer or tutor": "Assessor", "Assessor": "Trainer or tutor"}.get(r, r) for r in roles
    ]
    training.set_job_roles(
        swapped, [("Trainer or tutor", "Assessor"), ("Assessor", "Trainer or tutor")]
    )
    held = {s.id: s.job_role for s in training.staff()}
    assert held[tutor] == "Assessor" and held[assessor] == "Trainer or tutor"
    # Rename one role and remove a held one: refused, and the rename did not happen either.
    before = training.job_roles()
    kept = [r for r in before if r != "Assessor"]
    with pytest.raises(ValidationError, match="still the job role"):
        training.set_job_roles(
            [("Tutor" if r == "Trainer or tutor" else r) for r in kept],
            [("Trainer or tutor", "Tutor")],
        )
    assert training.job_roles() == before
    assert {s.id: s.job_role for s in training.staff()} == {
        tutor: "Assessor",
        assessor: "Trainer or tutor",
    }


def test_a_team_sessions_register_is_kept_once(workspace: Workspace) -> None:
    from sqlalchemy import func, select

    from prevent_desktop.store.training_models import TrainingCertificate

    training = workspace.training
    ids = [training.add_staff(StaffInput(f"P {n}", "Assessor")).ids[0] for n in range(30)]
    course = _course(workspace, "Online safety")
    change = training.record_completion(
        ids, CompletionInput(course, date(2026, 11, 1), certificate=("register.pdf", b"x" * 1000))
    )
    with workspace.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(TrainingCertificate)) == 1
    assert training.certificate(change.ids[-1]) == ("register.pdf", b"x" * 1000)
    with pytest.raises(ValidationError, match="No certificate"):
        plain = training.record_completion([ids[0]], CompletionInput(course, date(2026, 11, 2)))
        training.certificate(plain.ids[0])
