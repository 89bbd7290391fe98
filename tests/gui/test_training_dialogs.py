"""The training matrix's dialogs: a cell's history, recording completions (one person or a
team session), and editing staff, courses and the matrix's settings.

The site (manager sam) is seeded with the starter job roles and courses; each test adds the
staff it needs through the service, then works the dialogs as a person would: typing into
the fields and clicking the buttons.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.risk import add_months
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training import MAX_CERTIFICATE_BYTES
from prevent_desktop.services.training_views import (
    CompletionInput,
    CourseView,
    StaffInput,
    StaffView,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.tabs import training_cell_dialog, training_record_dialog
from prevent_desktop.ui.tabs.training_cell_dialog import CellHistoryDialog
from prevent_desktop.ui.tabs.training_course_dialog import NEVER_EXPIRES, CourseEditorDialog
from prevent_desktop.ui.tabs.training_record_dialog import RecordCompletionDialog
from prevent_desktop.ui.tabs.training_settings_dialog import TrainingSettingsDialog
from prevent_desktop.ui.tabs.training_staff_dialog import StaffEditorDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.shell_support import Screenshot
from tests.unit.concern_support import sign_in

WAIT = 10_000
PEOPLE = (
    ("Alex Morgan", "Trainer or tutor"),
    ("Bea Khan", "Assessor"),
    ("Chris Lee", "Learner support"),
    ("Dee Park", "Safeguarding lead (DSL)"),
)
PDF = b"%PDF-1.4 a certificate\x00\x01\x02 with binary bytes\n%%EOF\n"


@pytest.fixture
def staff(workspace: Workspace) -> dict[str, StaffView]:
    for name, role in PEOPLE:
        workspace.training.add_staff(StaffInput(name, role, date(2020, 9, 1)))
    return {person.name: person for person in workspace.training.staff()}


@pytest.fixture
def tom(workspace: Workspace) -> Iterator[Workspace]:
    member = sign_in(workspace.database.path, "tom")
    yield member
    member.close()


def course(workspace: Workspace, name: str) -> CourseView:
    courses = workspace.training.courses(include_retired=True)
    return next(c for c in courses if c.name == name)


def cell(workspace: Workspace, person: str, course_name: str) -> CellStatus:
    matrix = workspace.training.matrix()
    row = [s.name for s in matrix.staff].index(person)
    column = [c.name for c in matrix.courses].index(course_name)
    return matrix.cell(row, column).status


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()  # as the matrix opens them: not modal
    qtbot.waitExposed(dialog)
    return dialog


def show_cell(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, person: StaffView, name: str
) -> CellHistoryDialog:
    dialog = CellHistoryDialog(worker, workspace, person, course(workspace, name))
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        shown(qtbot, dialog)
    return dialog


def refused(qtbot: QtBot, form: QDialog, words: str) -> str:
    """Click save, expect the service's refusal in the form; return the message."""
    form.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: words in form.message.text(), timeout=WAIT)  # type: ignore[attr-defined]
    assert form.isVisible() and form.isEnabled()
    return form.message.text()  # type: ignore[attr-defined, no-any-return]


def saved(qtbot: QtBot, form: QDialog) -> ChangeSet:
    with qtbot.waitSignal(form.changed, timeout=WAIT) as blocker:  # type: ignore[attr-defined]
        form.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT)
    change: ChangeSet = blocker.args[0]
    return change


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


# ---- the cell and recording ----------------------------------------------------------------


def test_recording_one_completion_from_a_cell_and_saving_the_certificate_back(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    alex = staff["Alex Morgan"]
    dialog = show_cell(qtbot, worker, workspace, alex, "Prevent awareness")
    assert dialog.windowTitle() == "Prevent Desktop — Alex Morgan — Prevent awareness"
    assert dialog.status_label.text() == (
        "! Missing — never completed · required for this job role"
    )
    assert dialog.model.rowCount() == 0
    assert not dialog.copy_button.isEnabled() and not dialog.delete_button.isEnabled()
    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)

    form = dialog.add_record()
    qtbot.waitExposed(form)
    assert form.heading.text() == "For Alex Morgan (Trainer or tutor)"
    assert form.course_combo.count() == 1
    assert form.course_combo.currentText() == "Prevent awareness (valid 2 years)"
    assert form.date_edit.date() == QDate.currentDate()
    assert form.date_edit.displayFormat() == "dd/MM/yyyy"
    completed = date.today() - timedelta(days=30)
    form.date_edit.setDate(qdate(completed))
    qtbot.keyClicks(form.reference_edit, "HO-PA-88231")
    qtbot.keyClicks(form.note_edit, "Home Office e-learning, certificate printed.")
    certificate = tmp_path / "prevent-certificate.pdf"
    certificate.write_bytes(PDF)
    monkeypatch.setattr(training_record_dialog, "choose_certificate_file", lambda _p: certificate)
    form.choose_button.click()
    assert form.file_label.text() == f"prevent-certificate.pdf ({len(PDF)} bytes)"
    screenshot(form, "training_record_one")
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        form.save_button.click()

    history = workspace.training.history(alex.id, dialog.course.id)
    assert len(history) == 1
    record = history[0]
    assert record.completed_on == completed
    assert record.expires_on == add_months(completed, 24)
    assert record.certificate_reference == "HO-PA-88231"
    assert record.evidence_note == "Home Office e-learning, certificate printed."
    assert record.recorded_by_name == "Sam Patel"
    assert (record.certificate_name, record.certificate_size) == (
        "prevent-certificate.pdf",
        len(PDF),
    )
    assert [c.action for c in changes] == ["create"] and changes[0].ids == (record.id,)
    expires = add_months(completed, 24).strftime("%d/%m/%Y")
    assert dialog.status_label.text() == (
        f"✓ Valid — expires {expires} · required for this job role"
    )
    model = dialog.model
    assert model.index(0, model.COMPLETED).data() == completed.strftime("%d/%m/%Y")
    assert model.index(0, model.EXPIRES).data() == expires
    assert model.index(0, model.BY).data() == "Sam Patel"
    assert model.index(0, model.FILE).data() == f"prevent-certificate.pdf ({len(PDF)} bytes)"
    assert dialog.copy_button.isEnabled()

    # The copy comes back byte for byte, and the dialogs say it is not encrypted.
    assert "NOT encrypted" in training_cell_dialog.SAVE_TITLE
    copy = tmp_path / "out" / "copy.pdf"
    copy.parent.mkdir()
    monkeypatch.setattr(training_cell_dialog, "choose_copy_destination", lambda _p, _n: copy)
    dialog.copy_button.click()
    qtbot.waitUntil(lambda: "NOT encrypted" in dialog.message.text(), timeout=WAIT)
    assert copy.read_bytes() == PDF
    screenshot(dialog, "training_cell_history")


def test_a_team_session_is_recorded_for_everyone_selected_in_one_go(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    screenshot: Screenshot,
) -> None:
    team = [staff["Alex Morgan"], staff["Bea Khan"], staff["Chris Lee"]]
    courses = workspace.training.courses()
    online = course(workspace, "Online safety")
    form = RecordCompletionDialog(worker, workspace, team, courses, online.id)
    shown(qtbot, form)
    assert form.heading.text() == "For 3 people: Alex Morgan, Bea Khan, Chris Lee"
    assert form.save_button.text() == "&Record for 3 people"
    assert form.course_combo.count() == len(courses) == 11
    assert form.course_combo.currentData() == online.id
    assert form.course_combo.itemText(9) == "ACT awareness (counter-terrorism) (never expires)"
    qtbot.keyClicks(form.note_edit, "Team session in room 4, sign-in sheet on file.")
    screenshot(form, "training_record_bulk")
    change = saved(qtbot, form)

    assert change.record_type == "training_record" and len(change.ids) == 3
    for person in team:
        (record,) = workspace.training.history(person.id, online.id)
        assert record.completed_on == date.today()
        assert record.evidence_note == "Team session in room 4, sign-in sheet on file."
        assert record.certificate_size == 0
    assert workspace.training.history(staff["Dee Park"].id, online.id) == []
    assert cell(workspace, "Chris Lee", "Online safety") is CellStatus.VALID


def test_a_future_completion_date_is_refused(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, staff: dict[str, StaffView]
) -> None:
    prevent = course(workspace, "Prevent awareness")
    form = RecordCompletionDialog(worker, workspace, [staff["Bea Khan"]], [prevent], prevent.id)
    shown(qtbot, form)
    tomorrow = date.today() + timedelta(days=1)
    # The field will not take a future date, typed or picked...
    assert form.date_edit.maximumDate() == QDate.currentDate()
    form.date_edit.setDate(qdate(tomorrow))
    assert form.date_edit.date() == QDate.currentDate()
    # ...and should the clock pass midnight with the form open, the service still refuses.
    form.date_edit.setMaximumDate(qdate(tomorrow))
    form.date_edit.setDate(qdate(tomorrow))
    qtbot.keyClicks(form.reference_edit, "kept")
    message = refused(qtbot, form, "cannot be dated in the future")
    assert message.startswith("⚠ ")
    assert form.reference_edit.text() == "kept"
    assert workspace.training.history(staff["Bea Khan"].id, prevent.id) == []


def test_an_over_size_certificate_is_refused_and_the_form_kept(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"x" * (MAX_CERTIFICATE_BYTES + 1))
    monkeypatch.setattr(training_record_dialog, "choose_certificate_file", lambda _p: big)
    prevent = course(workspace, "Prevent awareness")
    form = RecordCompletionDialog(worker, workspace, [staff["Bea Khan"]], [prevent], prevent.id)
    shown(qtbot, form)
    qtbot.keyClicks(form.reference_edit, "HO-1234")
    qtbot.keyClicks(form.note_edit, "Scanned at the office.")
    form.choose_button.click()
    message = refused(qtbot, form, "at most 5 MB")
    assert "'scan.pdf' is 5.0 MB" in message
    assert form.reference_edit.text() == "HO-1234"
    assert form.note_edit.toPlainText() == "Scanned at the office."
    assert form.certificate_path == big and form.file_label.text() == "scan.pdf (5.0 MB)"
    assert workspace.training.history(staff["Bea Khan"].id, prevent.id) == []
    screenshot(form, "training_record_too_big")

    # Taking the file off lets the rest be recorded.
    form.remove_button.click()
    assert form.file_label.text() == "No file"
    saved(qtbot, form)
    (record,) = workspace.training.history(staff["Bea Khan"].id, prevent.id)
    assert record.certificate_reference == "HO-1234"


def test_deleting_a_record_entered_by_mistake(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dee, dsl = staff["Dee Park"], course(workspace, "DSL annual update")
    old = date.today() - timedelta(days=400)
    recent = date.today() - timedelta(days=330)
    for completed in (old, recent):
        workspace.training.record_completion([dee.id], CompletionInput(dsl.id, completed))
    dialog = show_cell(qtbot, worker, workspace, dee, "DSL annual update")
    assert dialog.model.rowCount() == 2
    assert dialog.status is CellStatus.DUE_SOON  # 12 months from 330 days ago
    assert dialog.status_label.text().startswith("◷ Due soon — expires ")
    asked: list[str] = []
    monkeypatch.setattr(
        confirmation, "ask", lambda _p, _t, text, _a, details: asked.append(details) or True
    )
    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)
    dialog.table.selectRow(0)  # the newest
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.delete_button.click()

    assert "audit log" in asked[0]
    assert [c.action for c in changes] == ["delete"]
    (left,) = workspace.training.history(dee.id, dsl.id)
    assert left.completed_on == old
    assert dialog.model.rowCount() == 1
    assert dialog.status is CellStatus.EXPIRED
    assert dialog.status_label.text().startswith("✗ Expired — expired ")

    # Cancelling the question deletes nothing.
    monkeypatch.setattr(confirmation, "ask", lambda *_args: False)
    dialog.delete_button.click()
    assert len(workspace.training.history(dee.id, dsl.id)) == 1


# ---- staff, courses, settings --------------------------------------------------------------


def test_adding_and_editing_a_member_of_staff(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    screenshot: Screenshot,
) -> None:
    roles = workspace.training.job_roles()
    form = StaffEditorDialog(worker, workspace, None, roles)
    shown(qtbot, form)
    assert form.windowTitle() == "Prevent Desktop — Add a member of staff"
    assert [form.role_combo.itemText(i) for i in range(form.role_combo.count())] == roles
    qtbot.keyClicks(form.name_edit, "  Erin   Walsh ")
    form.role_combo.setCurrentText("Assessor")
    form.start.check.setChecked(True)
    form.start.edit.setDate(QDate(2023, 1, 9))
    qtbot.keyClicks(form.email_edit, "erin at example.org")
    refused(qtbot, form, "'erin at example.org' is not an email address.")
    screenshot(form, "training_staff_refused")
    form.email_edit.clear()
    qtbot.keyClicks(form.email_edit, "erin@example.org")
    change = saved(qtbot, form)
    (erin,) = workspace.training.staff()
    assert change.ids == (erin.id,)
    assert (erin.name, erin.job_role, erin.start_date, erin.email, erin.left_on) == (
        "Erin Walsh",
        "Assessor",
        date(2023, 1, 9),
        "erin@example.org",
        None,
    )

    edit = StaffEditorDialog(worker, workspace, erin, roles)
    shown(qtbot, edit)
    assert edit.windowTitle() == "Prevent Desktop — Edit Erin Walsh"
    assert edit.name_edit.text() == "Erin Walsh" and edit.role_combo.currentText() == "Assessor"
    assert edit.start.value() == date(2023, 1, 9) and edit.left.value() is None
    assert not edit.left.edit.isEnabled()
    edit.role_combo.setCurrentText("Learner support")
    edit.left.check.setChecked(True)
    edit.left.edit.setDate(QDate(2022, 12, 1))  # before she started
    refused(qtbot, edit, "The leaving date is before the start date.")
    edit.left.edit.setDate(QDate(2024, 7, 31))
    screenshot(edit, "training_staff_edit")
    saved(qtbot, edit)
    assert workspace.training.staff() == []  # she has left the matrix
    (gone,) = workspace.training.staff(include_left=True)
    assert (gone.job_role, gone.left_on) == ("Learner support", date(2024, 7, 31))


def test_editing_a_course_changes_the_matrix(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    screenshot: Screenshot,
) -> None:
    values = course(workspace, "British values")
    workspace.training.record_completion(
        [staff["Alex Morgan"].id], CompletionInput(values.id, add_months(date.today(), -30))
    )
    assert cell(workspace, "Alex Morgan", "British values") is CellStatus.VALID  # 36 months
    assert cell(workspace, "Chris Lee", "British values") is CellStatus.NOT_REQUIRED

    roles = workspace.training.job_roles()
    form = CourseEditorDialog(worker, workspace, values, roles)
    shown(qtbot, form)
    assert form.name_edit.text() == "British values"
    assert form.validity_spin.value() == 36
    assert form.checked_roles() == ("Trainer or tutor", "Assessor")
    assert not form.all_check.isChecked() and form.roles_list.isEnabled()
    checked = [o.value for o, c in form.objective_checks.items() if c.isChecked()]
    assert checked == ["O1", "O2"]
    assert form.retire_button is not None and form.retire_button.text() == "Re&tire course…"
    form.validity_spin.clear()
    qtbot.keyClicks(form.validity_spin, "24")
    support = form.roles_list.findItems("Learner support", Qt.MatchFlag.MatchExactly)[0]
    support.setCheckState(Qt.CheckState.Checked)
    form.objective_checks[next(iter(form.objective_checks))].setChecked(False)  # O1 off
    screenshot(form, "training_course_edit")
    saved(qtbot, form)

    changed = course(workspace, "British values")
    assert changed.validity_months == 24
    assert changed.required_roles == ("Trainer or tutor", "Assessor", "Learner support")
    assert changed.objectives == ("O2",)
    assert cell(workspace, "Alex Morgan", "British values") is CellStatus.EXPIRED
    assert cell(workspace, "Chris Lee", "British values") is CellStatus.MISSING

    # A validity of 0 reads as never expiring; "all staff" greys the roles out.
    again = CourseEditorDialog(worker, workspace, changed, roles)
    shown(qtbot, again)
    again.validity_spin.setValue(0)
    assert again.validity_spin.text() == NEVER_EXPIRES
    again.all_check.setChecked(True)
    assert not again.roles_list.isEnabled()
    saved(qtbot, again)
    final = course(workspace, "British values")
    assert (final.validity_months, final.required_for_all, final.required_roles) == (
        0,
        True,
        (),
    )
    assert cell(workspace, "Alex Morgan", "British values") is CellStatus.VALID
    assert cell(workspace, "Dee Park", "British values") is CellStatus.MISSING


def test_adding_a_course_with_a_taken_name_is_refused(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace
) -> None:
    form = CourseEditorDialog(worker, workspace, None, workspace.training.job_roles())
    shown(qtbot, form)
    assert form.retire_button is None and form.validity_spin.value() == 24
    qtbot.keyClicks(form.name_edit, "online SAFETY")
    refused(qtbot, form, "There is already a course called 'online SAFETY'.")
    form.name_edit.clear()
    qtbot.keyClicks(form.name_edit, "Radicalisation online")
    qtbot.keyClicks(form.provider_edit, "ETF")
    saved(qtbot, form)
    added = course(workspace, "Radicalisation online")
    assert (added.provider, added.validity_months, added.active) == ("ETF", 24, True)


def test_retiring_a_course_and_bringing_it_back(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    incident = course(workspace, "Incident lead training")
    form = CourseEditorDialog(worker, workspace, incident, workspace.training.job_roles())
    shown(qtbot, form)
    monkeypatch.setattr(confirmation, "ask", lambda *_args: True)
    assert form.retire_button is not None
    with qtbot.waitSignal(form.changed, timeout=WAIT):
        form.retire_button.click()
    assert "Incident lead training" not in [c.name for c in workspace.training.courses()]
    assert course(workspace, "Incident lead training").active is False
    assert form.isVisible() and form.retire_button.text() == "Bring &back"
    assert "retired" in form.message.text()
    screenshot(form, "training_course_retired")
    with qtbot.waitSignal(form.changed, timeout=WAIT):
        form.retire_button.click()
    assert course(workspace, "Incident lead training").active is True
    assert form.retire_button.text() == "Re&tire course…"


def test_settings_edit_the_roles_and_the_due_soon_window(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    staff: dict[str, StaffView],
    screenshot: Screenshot,
) -> None:
    before = workspace.training.job_roles()
    form = TrainingSettingsDialog(worker, workspace)
    shown(qtbot, form)
    qtbot.waitUntil(form.isEnabled, timeout=WAIT)
    assert form.roles() == before
    assert form.days_spin.value() == 60

    # A role still held cannot go: the service says so, and the list stays as edited.
    form.roles_list.setCurrentRow(before.index("Assessor"))
    form.remove_button.click()
    assert "Assessor" not in form.roles()
    refused(qtbot, form, "'Assessor' is still the job role of 1 member(s) of staff")
    assert "Assessor" not in form.roles()
    assert workspace.training.job_roles() == before
    screenshot(form, "training_settings_refused")

    form.roles_list.clear()
    for role in before:
        form._add_item(role)
    form.add_button.click()
    added = form.roles_list.currentItem()
    assert added.text() == "New job role"
    form.roles_list.closePersistentEditor(added)
    added.setText("Work placement officer")
    form.up_button.click()  # above "Incident lead"
    assert form.roles()[-2:] == ["Work placement officer", "Incident lead"]
    form.roles_list.setCurrentRow(form.roles().index("Incident lead"))
    form.remove_button.click()  # nobody holds it
    # Changing only the case of a role keeps it the same role.
    form.roles_list.item(form.roles().index("Administrator")).setText("administrator")
    form.days_spin.clear()
    qtbot.keyClicks(form.days_spin, "90")
    changes: list[ChangeSet] = []
    form.changed.connect(changes.append)
    saved(qtbot, form)

    expected = [r for r in before if r != "Incident lead"]
    expected[expected.index("Administrator")] = "administrator"
    expected.append("Work placement officer")
    assert workspace.training.job_roles() == expected
    assert workspace.training.due_soon_days() == 90
    assert sorted(c.record_type for c in changes) == ["job_role", "setting"]


def test_someone_who_may_not_edit_sees_no_write_buttons(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    tom: Workspace,
    staff: dict[str, StaffView],
    screenshot: Screenshot,
) -> None:
    alex = staff["Alex Morgan"]
    prevent = course(workspace, "Prevent awareness")
    workspace.training.record_completion(
        [alex.id], CompletionInput(prevent.id, date.today(), certificate=("c.pdf", PDF))
    )
    dialog = show_cell(qtbot, worker, tom, alex, "Prevent awareness")
    assert not dialog.add_button.isVisibleTo(dialog)
    assert not dialog.delete_button.isVisibleTo(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(text.startswith("Only a manager or a safeguarding lead") for text in labels)
    # Reading (and saving a copy of) a certificate is not a change.
    assert dialog.copy_button.isVisibleTo(dialog) and dialog.copy_button.isEnabled()
    screenshot(dialog, "training_cell_read_only")

    staff_form = StaffEditorDialog(worker, tom, alex, tom.training.job_roles())
    shown(qtbot, staff_form)
    assert not staff_form.save_button.isVisibleTo(staff_form)
    assert not staff_form.name_edit.isEnabled()

    course_form = CourseEditorDialog(worker, tom, prevent, tom.training.job_roles())
    shown(qtbot, course_form)
    assert not course_form.save_button.isVisibleTo(course_form)
    assert course_form.retire_button is not None
    assert not course_form.retire_button.isVisibleTo(course_form)

    settings = TrainingSettingsDialog(worker, tom)
    shown(qtbot, settings)
    qtbot.waitUntil(settings.isEnabled, timeout=WAIT)
    assert settings.roles() == workspace.training.job_roles()
    for button in [*settings.list_buttons, settings.save_button]:
        assert not button.isVisibleTo(settings)
    assert not settings.days_spin.isEnabled()


def test_renaming_a_held_role_carries_its_staff_with_it(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, staff: dict[str, StaffView]
) -> None:
    form = TrainingSettingsDialog(worker, workspace)
    shown(qtbot, form)
    qtbot.waitUntil(form.isEnabled, timeout=WAIT)
    form.roles_list.item(form.roles().index("Assessor")).setText("Assessor (end-point)")
    saved(qtbot, form)
    roles = workspace.training.job_roles()
    assert "Assessor (end-point)" in roles and "Assessor" not in roles
    holders = [s.name for s in workspace.training.staff() if s.job_role == "Assessor (end-point)"]
    assert holders
