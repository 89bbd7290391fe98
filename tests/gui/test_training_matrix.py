"""The Training matrix tab: the grid and its headers, the filters, the compliance panel and
due list, the title, what staff may do, clearing on lock, and the dialogs it opens."""

from __future__ import annotations

import sys
import types
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.training import CellStatus, Compliance
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_views import (
    Cell,
    CourseView,
    MatrixView,
    StaffView,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import export_button
from prevent_desktop.ui.tabs.training_cell_style import TINTS
from prevent_desktop.ui.tabs.training_filters import TrainingFilter, TrainingFilterProxy
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab, gap_count
from prevent_desktop.ui.tabs.training_matrix_model import TrainingMatrixModel, header_lines
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, drain, sign_in
from tests.gui.training_support import (
    ACT,
    BRITISH_VALUES,
    PREVENT,
    Sample,
    build_sample,
    cell_index,
    course_id,
    reload,
    show_matrix,
    visible_courses,
    visible_names,
)

CURRENT = ["Alice Brown", "Ben Carter", "Cara Davies", "Dev Evans"]


@pytest.fixture
def sample(workspace: Workspace) -> Sample:
    return build_sample(workspace)


@pytest.fixture
def tab(
    qtbot: QtBot, workspace: Workspace, sample: Sample, worker: DatabaseWorker
) -> TrainingMatrixTab:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_matrix(qtbot, worker, workspace)


def text(tab: TrainingMatrixTab, staff_id: str, course: str, role: int = 0) -> Any:
    return cell_index(tab, staff_id, course).data(role or Qt.ItemDataRole.DisplayRole)


# ---- the grid ------------------------------------------------------------------------------


def test_cells_show_a_symbol_and_text_for_every_status(
    qtbot: QtBot, tab: TrainingMatrixTab, sample: Sample, screenshot: Screenshot
) -> None:
    assert tab.model.rowCount() == 5  # people who have left are loaded, and hidden
    assert visible_names(tab) == CURRENT
    assert text(tab, sample.valid, PREVENT) == f"✓ {sample.valid_until:%d/%m/%Y}"
    assert text(tab, sample.due_soon, PREVENT) == f"◷ {sample.due_on:%d/%m/%Y}"
    assert text(tab, sample.expired, PREVENT) == f"✗ {sample.expired_on:%d/%m/%Y}"
    assert text(tab, sample.missing, PREVENT) == "! Missing"
    assert text(tab, sample.missing, BRITISH_VALUES) == "–"
    assert text(tab, sample.valid, ACT) == "✓ No expiry"
    statuses = {
        text(tab, person, PREVENT, TrainingMatrixModel.StatusRole)
        for person in (sample.valid, sample.due_soon, sample.expired, sample.missing)
    }
    statuses.add(text(tab, sample.missing, BRITISH_VALUES, TrainingMatrixModel.StatusRole))
    assert statuses == set(CellStatus)
    # Each status has its own colour, and the text stays dark on it.
    for person, status in (
        (sample.valid, CellStatus.VALID),
        (sample.due_soon, CellStatus.DUE_SOON),
        (sample.expired, CellStatus.EXPIRED),
        (sample.missing, CellStatus.MISSING),
    ):
        colour = text(tab, person, PREVENT, Qt.ItemDataRole.BackgroundRole)
        assert colour.name() == TINTS[status]
    assert len(set(TINTS.values())) == len(CellStatus)
    assert tab.legend.text() == "✓ Valid, ◷ Due soon, ✗ Expired, ! Missing, – Not required"
    qtbot.wait(50)  # let the layout settle before the picture
    screenshot(tab, "training_matrix")


def test_cell_tooltips_say_status_dates_and_whether_required(
    tab: TrainingMatrixTab, sample: Sample
) -> None:
    tip = text(tab, sample.expired, PREVENT, Qt.ItemDataRole.ToolTipRole)
    assert "Cara Davies — Prevent awareness" in tip
    assert "Status: ✗ Expired" in tip
    assert f"Completed on: {sample.expired_done:%d/%m/%Y}" in tip
    assert f"Expires on: {sample.expired_on:%d/%m/%Y}" in tip
    assert "Required for Learner support" in tip
    tip = text(tab, sample.missing, BRITISH_VALUES, Qt.ItemDataRole.ToolTipRole)
    assert "Not required for Administrator" in tip and "Completed" not in tip
    tip = text(tab, sample.valid, ACT, Qt.ItemDataRole.ToolTipRole)
    assert "Expires: never" in tip and "Not required for Trainer or tutor" in tip
    spoken = text(tab, sample.due_soon, PREVENT, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Ben Carter, Prevent awareness: Due soon, expires {sample.due_on:%d/%m/%Y}"


def test_headers_name_the_courses_and_the_staff(
    tab: TrainingMatrixTab, workspace: Workspace, sample: Sample
) -> None:
    courses = workspace.training.courses()
    assert [c.name for c in tab.model.courses()] == [c.name for c in courses]
    model = tab.model
    first = model.headerData(0, Qt.Orientation.Horizontal)
    assert first == "Prevent\nawareness"  # broken to fit a narrow column
    long_name = "Designated Safeguarding Lead training"
    column = next(i for i, c in enumerate(courses) if c.name == long_name)
    assert model.headerData(column, Qt.Orientation.Horizontal) == header_lines(long_name)
    assert "\n" in header_lines(long_name)
    tip = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Provider: Home Office e-learning" in tip
    assert "Valid for: 2 years" in tip and "Required for: everyone" in tip
    assert "Compliance: 50% (2 of 4)" in tip  # Alice and Ben in date, of four current staff
    act = next(i for i, c in enumerate(courses) if c.name == ACT)
    tip = model.headerData(act, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Valid for: Never expires" in tip
    assert "Required for: Site manager, Incident lead, Safeguarding lead (DSL)" in tip
    row = model.row_of(sample.expired)
    assert model.headerData(row, Qt.Orientation.Vertical) == "Cara Davies"
    tip = model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    assert "Job role: Learner support" in tip
    left = model.row_of(sample.left)
    assert model.headerData(left, Qt.Orientation.Vertical) == "Eve Foster (left)"
    assert "Left: " in model.headerData(left, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)


# ---- filters -------------------------------------------------------------------------------


def test_filters_by_role_status_search_and_people_who_have_left(
    tab: TrainingMatrixTab, sample: Sample
) -> None:
    bar = tab.filter_bar
    assert tab.count_label.text() == "4 staff"
    bar.role_combo.setCurrentIndex(bar.role_combo.findData("Assessor"))
    assert visible_names(tab) == ["Ben Carter"]
    assert tab.count_label.text() == "Showing 1 (4 current staff)"
    bar.reset()
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(CellStatus.MISSING))
    # Everyone misses something required except whoever has it all; Dev misses Prevent.
    assert "Dev Evans" in visible_names(tab)
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(CellStatus.DUE_SOON))
    assert visible_names(tab) == ["Ben Carter"]
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(CellStatus.EXPIRED))
    assert visible_names(tab) == ["Cara Davies"]
    bar.left_check.setChecked(True)
    assert visible_names(tab) == ["Cara Davies", "Eve Foster"]
    bar.reset()
    assert visible_names(tab) == CURRENT
    bar.search_edit.setText("  da ")
    assert visible_names(tab) == ["Cara Davies"]
    bar.search_edit.setText("ev")
    assert visible_names(tab) == ["Dev Evans"]  # Eve has left
    bar.left_check.setChecked(True)
    assert visible_names(tab) == ["Dev Evans", "Eve Foster"]
    bar.search_edit.setText("nobody at all")
    assert visible_names(tab) == []
    bar.clear_button.click()
    assert visible_names(tab) == CURRENT and not bar.left_check.isChecked()


def test_choosing_a_course_hides_the_other_columns(
    tab: TrainingMatrixTab, workspace: Workspace, sample: Sample
) -> None:
    all_courses = [c.name for c in workspace.training.courses()]
    assert visible_courses(tab) == all_courses
    bar = tab.filter_bar
    bar.course_combo.setCurrentIndex(bar.course_combo.findData(course_id(workspace, ACT)))
    assert visible_courses(tab) == [ACT]
    assert tab.selected_course() is not None and tab.selected_course().name == ACT
    # With one course shown, the status filter looks at that column only.
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(CellStatus.VALID))
    assert visible_names(tab) == ["Alice Brown"]
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(CellStatus.EXPIRED))
    assert visible_names(tab) == []
    bar.course_combo.setCurrentIndex(bar.course_combo.findData(course_id(workspace, PREVENT)))
    assert visible_courses(tab) == [PREVENT]
    assert visible_names(tab) == ["Cara Davies"]
    bar.reset()
    assert visible_courses(tab) == all_courses
    # The columns stay as chosen through a reload.
    bar.course_combo.setCurrentIndex(bar.course_combo.findData(course_id(workspace, ACT)))
    tab.refresh()
    drain(tab.worker)
    assert visible_courses(tab) == [ACT]


def test_the_filter_object_on_its_own() -> None:
    staff = StaffView("s1", "Priya Shah", "Assessor", None, None, "priya@example.org")
    left = StaffView("s2", "Old Hand", "Assessor", None, date(2024, 1, 1), "")
    course = CourseView("c1", "X", "", 12, True, (), ())
    other = CourseView("c2", "Y", "", 12, True, (), ())
    cells = (Cell(CellStatus.MISSING, True), Cell(CellStatus.VALID, True))
    courses = (course, other)
    assert TrainingFilter(text="example").accepts(staff, cells, courses)  # email too
    assert TrainingFilter(job_role="assessor").accepts(staff, cells, courses)
    assert not TrainingFilter().accepts(left, cells, courses)
    assert TrainingFilter(include_left=True).accepts(left, cells, courses)
    assert TrainingFilter(status=CellStatus.VALID).accepts(staff, cells, courses)
    assert not TrainingFilter(status=CellStatus.VALID, course_id="c1").accepts(
        staff, cells, courses
    )


# ---- compliance, due list, title --------------------------------------------------------------


def test_compliance_figures_match_the_matrix_view(
    tab: TrainingMatrixTab, workspace: Workspace, sample: Sample, screenshot: Screenshot
) -> None:
    expected = workspace.training.matrix(date.today())  # current staff only
    panel = tab.compliance
    assert panel.overall_label.text() == f"Overall: {expected.overall().text()}"
    by_course = expected.by_course()
    shown = {
        panel.course_model.index(r, 0).data(): panel.course_model.index(r, 1).data()
        for r in range(panel.course_model.rowCount())
    }
    assert shown == {c.name: by_course[c.id].text() for c in expected.courses}
    by_role = {
        panel.role_model.index(r, 0).data(): panel.role_model.index(r, 1).data()
        for r in range(panel.role_model.rowCount())
    }
    assert by_role == {role: figure.text() for role, figure in expected.by_role().items()}
    assert "Administrator" in by_role
    # People who have left count for nothing: Eve's expired training is not a gap.
    assert tab.tab_title() == f"Training matrix (⚠ {gap_count(expected)} overdue)"
    panel.pages.setCurrentIndex(1)
    screenshot(tab.compliance, "training_compliance_by_course")


def test_due_list_follows_the_window_and_finds_the_cell(
    qtbot: QtBot, tab: TrainingMatrixTab, workspace: Workspace, sample: Sample
) -> None:
    panel = tab.compliance
    assert panel.days_spin.value() == workspace.training.due_soon_days() == 60
    expected = workspace.training.matrix(date.today()).due_within(60)
    rows = [
        (panel.due_model.index(r, 1).data(), panel.due_model.index(r, 2).data())
        for r in range(panel.due_model.rowCount())
    ]
    assert rows == [(item.staff.name, item.course.name) for item in expected]
    assert ("Cara Davies", PREVENT) in rows and ("Ben Carter", PREVENT) in rows
    assert ("Eve Foster", PREVENT) not in rows  # she has left
    first = panel.due_model.index(0, 0).data()
    assert first == f"{expected[0].status.symbol} {expected[0].expires_on:%d/%m/%Y}"
    assert panel.due_count_label.text().startswith(f"{len(expected)} to renew")

    panel.set_days(10)  # Ben's expiry (30 days away) drops out
    rows = [panel.due_model.index(r, 1).data() for r in range(panel.due_model.rowCount())]
    assert "Ben Carter" not in rows and "Cara Davies" in rows

    # A double-click (or Enter) finds the cell, even when a filter was hiding it.
    panel.set_days(60)
    tab.filter_bar.search_edit.setText("Alice")
    ben = next(
        r
        for r in range(panel.due_model.rowCount())
        if panel.due_model.item(r).staff.id == sample.due_soon
    )
    panel.due_table.activated.emit(panel.due_model.index(ben, 1))
    assert tab.filter_bar.search_edit.text() == ""
    current = tab.table.currentIndex()
    assert current == cell_index(tab, sample.due_soon, PREVENT)
    assert [p.name for p in tab.selected_staff()] == ["Ben Carter"]


def test_the_title_counts_expired_and_missing_required_training(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker
) -> None:
    tab = show_matrix(qtbot, worker, workspace)
    assert tab.tab_title() == "Training matrix"  # nobody on the matrix yet: nothing missing
    build_sample(workspace)
    with qtbot.waitSignal(tab.title_changed, timeout=10_000) as blocker:
        tab.on_changed(ChangeSet("training_record", "create", ("x",)))
    matrix = tab.model.matrix.current_only()  # type: ignore[union-attr]
    gaps = sum(
        cell.status in (CellStatus.EXPIRED, CellStatus.MISSING)
        for row in matrix.cells
        for cell in row
        if cell.required
    )
    assert gaps > 0
    assert blocker.args == [f"Training matrix (⚠ {gaps} overdue)"]


# ---- permissions, clearing -------------------------------------------------------------------


def test_staff_see_a_read_only_matrix(
    qtbot: QtBot, workspace: Workspace, sample: Sample, worker: DatabaseWorker
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        tab = show_matrix(qtbot, worker, tom)
        assert visible_names(tab) == CURRENT
        assert not any(button.isVisibleTo(tab) for button in tab.edit_buttons)
        assert tab.export_button.isVisibleTo(tab)
        tab.table.selectRow(0)
        assert tab.record_completion() is None
        assert tab.add_staff() is None and tab.edit_staff() is None
        assert tab.add_course() is None and tab.open_settings() is None
        assert tab.open_import() is None
        drain(worker)
    finally:
        tom.close()


def test_managers_see_the_write_buttons(tab: TrainingMatrixTab) -> None:
    assert all(button.isVisibleTo(tab) for button in tab.edit_buttons)
    assert not tab.record_button.isEnabled() and not tab.edit_staff_button.isEnabled()
    tab.table.selectRow(1)
    assert tab.record_button.isEnabled() and tab.edit_staff_button.isEnabled()
    tab.table.selectionModel().select(
        tab.proxy.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert tab.record_button.isEnabled() and not tab.edit_staff_button.isEnabled()


def test_clear_drops_everything(qtbot: QtBot, tab: TrainingMatrixTab) -> None:
    tab.refresh()  # a load in flight when the lock comes must not repaint afterwards
    with qtbot.waitSignal(tab.title_changed) as blocker:
        tab.clear()
    assert blocker.args == ["Training matrix"]
    drain(tab.worker)
    assert tab.model.rowCount() == 0 and tab.model.columnCount() == 0
    assert tab.proxy.rowCount() == 0
    assert tab.compliance.due_model.rowCount() == 0
    assert tab.compliance.course_model.rowCount() == 0
    assert tab.compliance.role_model.rowCount() == 0
    assert tab.compliance.overall_label.text() == "Overall: —"
    assert tab.filter_bar.role_combo.count() == 1 and tab.filter_bar.course_combo.count() == 1
    assert tab.count_label.text() == ""
    assert tab.open_cell(tab.proxy.index(0, 0)) is None
    reload(qtbot, tab)
    assert visible_names(tab) == CURRENT


# ---- the model without a window ------------------------------------------------------------------


def test_matrix_model(qtmodeltester, workspace: Workspace, sample: Sample) -> None:  # type: ignore[no-untyped-def]
    model = TrainingMatrixModel()
    matrix = workspace.training.matrix(date.today(), include_left=True)
    model.set_matrix(matrix)
    qtmodeltester.check(model)
    proxy = TrainingFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(TrainingFilter(text="a", status=CellStatus.MISSING))
    qtmodeltester.check(proxy)
    model.clear()
    qtmodeltester.check(model)


def big_matrix(people: int, courses: int) -> MatrixView:
    roles = ("Trainer or tutor", "Assessor", "Learner support", "Administrator")
    staff = tuple(
        StaffView(f"s{n}", f"Person {n:04d}", roles[n % 4], None, None, "") for n in range(people)
    )
    course_views = tuple(
        CourseView(f"c{n}", f"Course number {n}", "In-house", 12, n % 3 == 0, (), ())
        for n in range(courses)
    )
    today = date(2026, 6, 1)
    statuses = list(CellStatus)
    cells = tuple(
        tuple(
            Cell(
                statuses[(p + c) % 5],
                statuses[(p + c) % 5] is not CellStatus.NOT_REQUIRED,
                today - timedelta(days=100),
                today + timedelta(days=(p + c) % 90),
            )
            for c in range(courses)
        )
        for p in range(people)
    )
    return MatrixView(staff, course_views, cells, today, 60)


def test_the_proxy_picks_the_same_rows_as_the_filter_row_by_row() -> None:
    """The proxy answers from one pass over the matrix (`shown_rows`); it must agree with
    `accepts`, the filter's own rule, for every row and every kind of condition."""
    matrix = big_matrix(300, 6)
    left = StaffView("s-left", "Person Gone", "Assessor", None, date(2025, 1, 1), "gone@x.org")
    matrix = MatrixView(
        (*matrix.staff, left), matrix.courses, (*matrix.cells, matrix.cells[0]), matrix.today, 60
    )
    model = TrainingMatrixModel()
    model.set_matrix(matrix)
    proxy = TrainingFilterProxy()
    proxy.setSourceModel(model)
    filters = [
        TrainingFilter(),
        TrainingFilter(include_left=True),
        TrainingFilter(text="  PERSON  01 "),
        TrainingFilter(text="person 02", job_role="assessor"),
        TrainingFilter(text="gone.org", include_left=True),
        TrainingFilter(text="x.org"),
        TrainingFilter(status=CellStatus.EXPIRED),
        TrainingFilter(status=CellStatus.VALID, course_id="c2", text="1"),
        TrainingFilter(job_role="Learner support", status=CellStatus.MISSING, include_left=True),
        TrainingFilter(text="nobody at all"),
    ]
    for row_filter in filters:
        proxy.set_filter(row_filter)
        expected = [
            person.id
            for person, cells in zip(matrix.staff, matrix.cells, strict=True)
            if row_filter.accepts(person, cells, matrix.courses)
        ]
        shown = [
            model.staff(proxy.mapToSource(proxy.index(r, 0)).row()).id
            for r in range(proxy.rowCount())
        ]
        assert shown == expected, row_filter
    # A new matrix is filtered afresh (the old answers, row by row, would show other people),
    # and clearing the model lets the old one go.
    proxy.set_filter(TrainingFilter(text="person 1"))
    small = big_matrix(20, 2)
    model.set_matrix(replace(small, staff=small.staff[::-1], cells=small.cells[::-1]))
    shown = [model.staff(proxy.mapToSource(proxy.index(r, 0)).row()).name for r in range(11)]
    assert proxy.rowCount() == 11 and all("1" in name for name in shown)  # 0001, 0010-0019
    model.clear()
    assert proxy.rowCount() == 0 and not proxy._shown


def test_two_thousand_staff_by_forty_courses_filter_by_search(
    qtbot: QtBot,
    qtmodeltester,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    worker: DatabaseWorker,
    screenshot: Screenshot,
) -> None:
    tab = TrainingMatrixTab(worker, workspace)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    matrix = big_matrix(2000, 40)
    tab.model.set_matrix(matrix, matrix.current_only().by_course())
    tab.compliance.show_matrix(matrix)
    assert tab.proxy.rowCount() == 2000 and tab.proxy.columnCount() == 40
    for typed in ("P", "Pe", "Person 1", "Person 19", "Person 199", "Person 1999"):
        tab.filter_bar.search_edit.setText(typed)
    assert tab.proxy.rowCount() == 1
    tab.filter_bar.search_edit.clear()
    tab.filter_bar.status_combo.setCurrentIndex(
        tab.filter_bar.status_combo.findData(CellStatus.EXPIRED)
    )
    assert tab.proxy.rowCount() == 2000  # everyone has an expired cell somewhere
    tab.filter_bar.course_combo.addItem("Course number 7", "c7")
    tab.filter_bar.course_combo.setCurrentIndex(tab.filter_bar.course_combo.findData("c7"))
    assert visible_courses(tab) == ["Course number 7"]
    assert tab.proxy.rowCount() == 400
    tab.filter_bar.reset()
    tab.table.scrollToBottom()
    tab.table.horizontalScrollBar().setValue(tab.table.horizontalScrollBar().maximum() // 2)
    qtbot.wait(50)
    screenshot(tab, "training_matrix_large_scrolled")
    qtmodeltester.check(tab.proxy)


# ---- the dialogs it opens ------------------------------------------------------------------------


class FakeDialog(QDialog):
    """Stands in for another module's dialog: keeps what it was given."""

    changed = Signal(object)
    opened: list[FakeDialog] = []  # noqa: RUF012 (shared on purpose, reset per test)

    def __init__(self, *args: Any, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(parent)
        self.args, self.kwargs = args, kwargs
        FakeDialog.opened.append(self)


@pytest.fixture
def fake_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[FakeDialog]:
    """Every dialog module the tab imports lazily, replaced by FakeDialog."""
    FakeDialog.opened = []
    for module, name in (
        ("training_cell_dialog", "CellHistoryDialog"),
        ("training_record_dialog", "RecordCompletionDialog"),
        ("training_staff_dialog", "StaffEditorDialog"),
        ("training_course_dialog", "CourseEditorDialog"),
        ("training_settings_dialog", "TrainingSettingsDialog"),
        ("training_import_dialog", "TrainingImportDialog"),
    ):
        fake = types.ModuleType(module)
        setattr(fake, name, type(name, (FakeDialog,), {}))
        monkeypatch.setitem(sys.modules, f"prevent_desktop.ui.tabs.{module}", fake)
    return FakeDialog.opened


def test_clicking_a_cell_or_pressing_enter_opens_its_history(
    qtbot: QtBot, tab: TrainingMatrixTab, sample: Sample, fake_dialogs: list[FakeDialog]
) -> None:
    index = cell_index(tab, sample.expired, PREVENT)
    tab.table.scrollTo(index)
    rect = tab.table.visualRect(index)
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(fake_dialogs) == 1
    dialog = fake_dialogs[0]
    assert type(dialog).__name__ == "CellHistoryDialog"
    staff, course = dialog.args[2], dialog.args[3]
    assert (staff.name, course.name) == ("Cara Davies", PREVENT)
    assert dialog.isVisible() and dialog.parent() is tab
    # The same cell again (the second click of a double-click) raises it, not a second one.
    assert tab.open_cell(index) is dialog
    dialog.reject()
    qtbot.waitUntil(lambda: not tab._cell_dialogs)
    # Keyboard: move to another cell and press Enter.
    tab.table.setFocus()
    tab.table.setCurrentIndex(cell_index(tab, sample.valid, ACT))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert len(fake_dialogs) == 2
    assert (fake_dialogs[1].args[2].name, fake_dialogs[1].args[3].name) == ("Alice Brown", ACT)
    # A write from the dialog is broadcast, and the tab reloads.
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        fake_dialogs[1].changed.emit(ChangeSet("training_record", "create", ("x",)))


def test_record_completion_for_several_selected_staff(
    qtbot: QtBot, tab: TrainingMatrixTab, workspace: Workspace, fake_dialogs: list[FakeDialog]
) -> None:
    flags = QItemSelectionModel.SelectionFlag
    selection = tab.table.selectionModel()
    for row in (0, 2, 3):  # Alice, Cara and Dev, by their row headers
        selection.select(tab.proxy.index(row, 0), flags.Select | flags.Rows)
    dialog = tab.record_completion()
    assert dialog is fake_dialogs[0]
    _worker, ws, staff, courses, chosen = dialog.args  # type: ignore[union-attr]
    assert ws is workspace and [p.name for p in staff] == [
        "Alice Brown",
        "Cara Davies",
        "Dev Evans",
    ]
    assert [c.name for c in courses] == [c.name for c in workspace.training.courses()]
    assert chosen is None  # whole rows: no course to suggest
    dialog.reject()  # type: ignore[union-attr]
    # Cells in one column suggest that course.
    selection.clearSelection()
    column = next(i for i, c in enumerate(tab.model.courses()) if c.name == ACT)
    for row in (0, 1):
        selection.select(tab.proxy.index(row, column), flags.Select)
    dialog = tab.record_completion()
    assert dialog is not None and dialog.args[4] == course_id(workspace, ACT)  # type: ignore[attr-defined]


def test_the_buttons_open_their_dialogs(
    tab: TrainingMatrixTab, workspace: Workspace, sample: Sample, fake_dialogs: list[FakeDialog]
) -> None:
    roles = workspace.training.job_roles()
    tab.add_staff_button.click()
    assert fake_dialogs[-1].args[2] is None and fake_dialogs[-1].args[3] == roles
    tab.table.setCurrentIndex(cell_index(tab, sample.due_soon, BRITISH_VALUES))
    tab.edit_staff_button.click()
    assert type(fake_dialogs[-1]).__name__ == "StaffEditorDialog"
    assert fake_dialogs[-1].args[2].name == "Ben Carter"
    assert tab.edit_course_action.isEnabled()
    tab.edit_course_action.trigger()
    assert type(fake_dialogs[-1]).__name__ == "CourseEditorDialog"
    assert fake_dialogs[-1].args[2].name == BRITISH_VALUES
    tab.add_course_action.trigger()
    assert fake_dialogs[-1].args[2] is None and fake_dialogs[-1].args[3] == roles
    tab.settings_button.click()
    assert type(fake_dialogs[-1]).__name__ == "TrainingSettingsDialog"
    tab.import_button.click()
    assert type(fake_dialogs[-1]).__name__ == "TrainingImportDialog"
    assert all(d.args[:2] == (tab.worker, workspace) for d in fake_dialogs)
    assert all(d.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose) for d in fake_dialogs)


def test_export_says_the_file_is_not_encrypted(
    qtbot: QtBot,
    tab: TrainingMatrixTab,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    titles: list[str] = []
    written: list[tuple[str, Path]] = []
    messages: list[str] = []

    def save_dialog(_parent: Any, title: str, suggested: str, _filter: str) -> tuple[str, str]:
        titles.append(title)
        assert Path(suggested).name.startswith("Prevent training matrix")
        return str(tmp_path / "matrix"), ""

    def writer(spec: str) -> Any:
        return lambda _workspace, path: written.append((spec.rpartition(":")[2], path))

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(export_button, "writer_for", writer)
    monkeypatch.setattr(
        export_button, "show_message", lambda text, *_a, **_k: messages.append(text)
    )
    assert list(tab.export_button.format_actions) == ["pdf", "xlsx"]
    with qtbot.waitSignal(tab.export_button.exported, timeout=10_000):
        tab.export_button.format_actions["pdf"].trigger()
    assert "NOT encrypted" in titles[0]
    assert written == [("write_training_matrix_pdf", tmp_path / "matrix.pdf")]
    assert "not encrypted" in messages[0]


REAL_DIALOGS = {
    "training_cell_dialog": lambda tab, sample: tab.open_cell(
        cell_index(tab, sample.missing, PREVENT)
    ),
    "training_record_dialog": lambda tab, _sample: tab.record_completion(),
    "training_staff_dialog": lambda tab, _sample: tab.edit_staff(),
    "training_course_dialog": lambda tab, _sample: tab.edit_course(),
    "training_settings_dialog": lambda tab, _sample: tab.open_settings(),
    "training_import_dialog": lambda tab, _sample: tab.open_import(),
}


@pytest.mark.parametrize("module", list(REAL_DIALOGS))
def test_the_real_dialogs_open_with_what_the_tab_gives_them(
    qtbot: QtBot, tab: TrainingMatrixTab, sample: Sample, module: str
) -> None:
    # The dialogs are written alongside this tab; each test runs once its module exists.
    pytest.importorskip(f"prevent_desktop.ui.tabs.{module}")
    tab.table.setCurrentIndex(cell_index(tab, sample.missing, PREVENT))
    tab.table.selectRow(tab.table.currentIndex().row())
    dialog = REAL_DIALOGS[module](tab, sample)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    drain(tab.worker)


def test_bulk_recording_after_a_team_session(
    qtbot: QtBot, tab: TrainingMatrixTab, workspace: Workspace, sample: Sample
) -> None:
    pytest.importorskip("prevent_desktop.ui.tabs.training_record_dialog")
    bar = tab.filter_bar
    bar.course_combo.setCurrentIndex(bar.course_combo.findData(course_id(workspace, PREVENT)))
    flags = QItemSelectionModel.SelectionFlag
    for person in (sample.expired, sample.missing):  # Cara and Dev, by their row headers
        index = cell_index(tab, person, PREVENT)
        tab.table.selectionModel().select(index, flags.Select | flags.Rows)
    before = gap_count(tab.model.matrix.current_only())  # type: ignore[union-attr]
    dialog = tab.record_completion()
    assert dialog is not None
    # The one course on screen is the one suggested.
    assert dialog.course_combo.currentData() == course_id(workspace, PREVENT)  # type: ignore[attr-defined]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.save_button.click()  # type: ignore[attr-defined]
    for person in (sample.expired, sample.missing):
        assert text(tab, person, PREVENT, TrainingMatrixModel.StatusRole) == CellStatus.VALID
    assert gap_count(tab.model.matrix.current_only()) == before - 2  # type: ignore[union-attr]
    # The reload keeps the two selected, ready for the next course of the same session.
    assert [p.name for p in tab.selected_staff()] == ["Cara Davies", "Dev Evans"]


def test_header_lines_break_at_spaces() -> None:
    assert header_lines("Online safety") == "Online safety"
    assert header_lines("Designated Safeguarding Lead training") == (
        "Designated\nSafeguarding\nLead training"
    )
    assert header_lines("Averyveryverylongword x") == "Averyveryverylongword\nx"
    assert Compliance(1, 2).text() == "50% (1 of 2)"


def test_a_retired_course_can_be_found_again_from_the_courses_menu(
    qtbot: QtBot, tab: TrainingMatrixTab, workspace: Workspace
) -> None:
    from prevent_desktop.ui.tabs.training_course_dialog import CourseEditorDialog

    assert not tab.retired_menu.isEnabled()
    workspace.training.set_course_active(course_id(workspace, "British values"), False)
    reload(qtbot, tab)
    assert "British values" not in [c.name for c in tab.model.courses()]
    actions = tab.retired_menu.actions()
    assert tab.retired_menu.isEnabled() and [a.text() for a in actions] == ["British values…"]
    actions[0].trigger()
    dialog = tab.findChild(CourseEditorDialog)
    assert dialog is not None
