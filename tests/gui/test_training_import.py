"""The training import dialog, driven through every step with a small messy CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_import import ImportKind
from prevent_desktop.services.training_views import StaffInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.training_import_dialog import (
    MAPPING,
    PREVIEW,
    RESULT,
    SOURCE,
    TrainingImportDialog,
)
from prevent_desktop.ui.worker import DatabaseWorker

Screenshot = Callable[[QWidget, str], Path]

CSV = (
    "Full name;Training;Completed on;Cert ref\n"
    "Jane Smith;Prevent awareness;29/02/2024;C-1\n"
    "\n"
    "Omar Farouk;Prevent awareness;29/02/2024;C-1\n"
    "Jon Smith;Prevent awareness;01/03/2024;\n"
    "Jane Smith;British values;29/02/2025;\n"
    "Omar Farouk;Prevent awarenes;01/03/2024;\n"
)


@pytest.fixture
def dialog(qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker) -> TrainingImportDialog:
    # `workspace` before `worker`: the worker then stops before the database closes.
    for name, role in (("Jane Smith", "Trainer or tutor"), ("Omar Farouk", "Assessor")):
        workspace.training.add_staff(StaffInput(name, role))
    dialog = TrainingImportDialog(worker, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(qtbot: QtBot, dialog: TrainingImportDialog, path: Path, kind: ImportKind) -> None:
    dialog.source_page.kind_buttons[kind].setChecked(True)
    dialog.source_page.path_edit.setText(str(path))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: not dialog.busy)


def history(workspace: Workspace, person: str, course: str) -> list[date]:
    staff = next(s.id for s in workspace.training.staff() if s.name == person)
    course_id = next(c.id for c in workspace.training.courses() if c.name == course)
    return [r.completed_on for r in workspace.training.history(staff, course_id)]


def test_every_step_with_problems_then_only_the_valid_rows(
    qtbot: QtBot,
    dialog: TrainingImportDialog,
    workspace: Workspace,
    tmp_path: Path,
    screenshot: Screenshot,
) -> None:
    path = tmp_path / "team session.csv"
    path.write_bytes(CSV.encode("utf-8-sig"))
    assert dialog.stack.currentIndex() == SOURCE
    assert dialog.step_label.text() == "Step 1 of 4 — Choose the file"
    screenshot(dialog, "import_1_source")

    choose(qtbot, dialog, path, ImportKind.COMPLETIONS)
    assert dialog.stack.currentIndex() == MAPPING
    combos = dialog.mapping_page.combos
    assert combos["staff_name"].currentText() == "A: Full name"
    assert combos["course_name"].currentText() == "B: Training"
    assert combos["completed_on"].currentText() == "C: Completed on"
    assert combos["certificate_reference"].currentText() == "D: Cert ref"
    assert combos["evidence_note"].currentText() == "(not in the file)"
    assert "UTF-8 with BOM, semicolons" in dialog.mapping_page.file_label.text()
    assert not dialog.mapping_page.sheet_combo.isVisible()
    screenshot(dialog, "import_2_mapping")

    # A required column left out is refused here, before any checking.
    combos["course_name"].setCurrentIndex(0)
    dialog.next_button.click()
    assert "Choose the column that holds the course." in dialog.message.text()
    combos["course_name"].setCurrentIndex(2)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == PREVIEW)

    page = dialog.preview_page
    assert "5 rows read: 2 ready, 3 with problems" in page.summary_label.text()
    assert page.model.rowCount() == 5
    assert page.model.index(0, 0).data() == "2"
    assert page.model.index(2, 0).data() == "⚠ 5"  # the blank line 3 still counts
    assert page.model.index(0, 1).data() == "Jane Smith"
    assert page.problems_label.text() == "⚠ 3 problems on 3 rows:"
    assert page.problems_edit.toPlainText().splitlines() == [
        "Line 5: no member of staff is called 'Jon Smith' (add them to the matrix first, or "
        "correct the name)",
        "Line 6: the completion date '29/02/2025' is not a date (use dd/mm/yyyy)",
        "Line 7: there is no course called 'Prevent awarenes'",
    ]
    assert not dialog.import_all_button.isEnabled()
    assert dialog.import_valid_button.isVisible()
    assert dialog.import_valid_button.text() == "Import &only the 2 valid rows"
    screenshot(dialog, "import_3_preview_with_problems")

    with qtbot.waitSignal(dialog.changed) as emitted:
        dialog.import_valid_button.click()
    change = emitted.args[0]
    assert isinstance(change, ChangeSet)
    assert change.record_type == "training_record" and len(change.ids) == 2
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == RESULT)
    assert dialog.result_label.text() == (
        "✓ Imported 2 completions. 3 rows with problems were not imported."
    )
    assert dialog.close_button.text() == "Close"
    screenshot(dialog, "import_4_result")
    assert history(workspace, "Jane Smith", "Prevent awareness") == [date(2024, 2, 29)]
    assert history(workspace, "Omar Farouk", "Prevent awareness") == [date(2024, 2, 29)]
    assert history(workspace, "Jane Smith", "British values") == []


def test_a_clean_staff_file_imports_all(
    qtbot: QtBot,
    dialog: TrainingImportDialog,
    workspace: Workspace,
    tmp_path: Path,
    screenshot: Screenshot,
) -> None:
    path = tmp_path / "staff.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    sheet = workbook.create_sheet("New starters")
    sheet.append(["Name", "Role", "Start date"])
    sheet.append(["Sara Ali", "Assessor", date(2024, 9, 3)])
    sheet.append(["Ben Cole", "administrator", "01/09/2024"])
    workbook.save(path)
    choose(qtbot, dialog, path, ImportKind.STAFF)
    assert dialog.mapping_page.sheet_combo.isVisible()
    assert dialog.mapping_page.sheet_combo.currentText() == "New starters"
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == PREVIEW)
    assert dialog.preview_page.model.headerData(0, Qt.Orientation.Horizontal) == "Row"
    assert not dialog.preview_page.problems_edit.isVisible()
    assert dialog.import_all_button.isEnabled()
    assert not dialog.import_valid_button.isVisible()
    screenshot(dialog, "import_staff_preview")
    with qtbot.waitSignal(dialog.changed) as emitted:
        dialog.import_all_button.click()
    assert emitted.args[0].record_type == "staff_member"
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == RESULT)
    people = {s.name: s.job_role for s in workspace.training.staff()}
    assert people["Ben Cole"] == "Administrator" and "Sara Ali" in people


def test_an_unreadable_file_is_explained_on_the_first_step(
    qtbot: QtBot, dialog: TrainingImportDialog, tmp_path: Path, screenshot: Screenshot
) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook at all")
    choose(qtbot, dialog, path, ImportKind.COMPLETIONS)
    assert dialog.stack.currentIndex() == SOURCE
    assert "'broken.xlsx' is not a real .xlsx workbook" in dialog.message.text()
    screenshot(dialog, "import_unreadable")
    dialog.source_page.path_edit.clear()
    dialog.next_button.click()
    assert dialog.message.text() == "⚠ Choose the file to import."
