"""The Training matrix tab: who is trained, who is due, who is overdue.

One load on the worker brings the whole matrix (people who have left included, hidden by the
filter) and the job roles; filtering, the compliance figures and the due list then work on
that in memory. Writes happen in the dialogs, which come back with a ChangeSet that the main
window broadcasts, so this tab reloads the same way wherever the change was made.

The dialogs are imported when first opened: each is its own module, and the tab should not
pay for (or depend on) all of them to show the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_views import CourseView, MatrixView, StaffView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.tabs.training_cell_style import StatusLegend
from prevent_desktop.ui.tabs.training_compliance_panel import CompliancePanel
from prevent_desktop.ui.tabs.training_export import TrainingExportButton
from prevent_desktop.ui.tabs.training_filters import (
    TrainingFilter,
    TrainingFilterBar,
    TrainingFilterProxy,
)
from prevent_desktop.ui.tabs.training_matrix_model import TrainingMatrixModel
from prevent_desktop.ui.tabs.training_matrix_view import MatrixTable
from prevent_desktop.ui.worker import DatabaseWorker

GAPS = (CellStatus.EXPIRED, CellStatus.MISSING)


@dataclass(frozen=True)
class TrainingData:
    matrix: MatrixView  # everyone, people who have left too
    current: MatrixView  # current staff only: compliance, the due list and the title count
    job_roles: list[str]
    retired: tuple[CourseView, ...] = ()  # off the matrix; offered to bring back


def load_training(workspace: Workspace, today: date | None = None) -> TrainingData:
    training = workspace.training
    today = today or date.today()
    # Both read once for the Overview and this tab (TrainingService.matrix): after the
    # Overview, only what this tab adds is worked out here.
    matrix = training.matrix(today, include_left=True)
    current = training.matrix(today)
    retired = tuple(c for c in training.courses(include_retired=True) if not c.active)
    # Worked out here, on the worker: the compliance panel would otherwise total 150,000
    # cells on the UI thread at head office.
    current.by_course(), current.by_role(), current.overall()
    matrix.search_texts()  # the search box's text per row, ready before the first keystroke
    return TrainingData(matrix, current, training.job_roles(), retired)


def gap_count(matrix: MatrixView) -> int:
    """Required training that is expired or missing: the tab title's warning."""
    return sum(cell.required and cell.status in GAPS for row in matrix.cells for cell in row)


class TrainingMatrixTab(TabPage):
    title = "Training matrix"
    purpose = (
        "Which Prevent and safeguarding training each member of staff has completed, when it "
        "expires, and where the gaps are."
    )
    evidence = (
        "Evidence for areas 2 and 4 of the strategy: building staff understanding and "
        "confidence, and training for delivery teams."
    )
    # Users are listed because a change of user can change what the actor may do here.
    record_types = frozenset(
        {"staff_member", "course", "training_record", "job_role", "setting", "user"}
    )
    shows_empty_state = False

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        self.can_edit = workspace.actor.can(Permission.EDIT_TRAINING)
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self._data: TrainingData | None = None
        self._window: int | None = None  # the site's due-soon window last shown
        self._cell_dialogs: dict[tuple[str, str], QDialog] = {}

        self.legend = StatusLegend(self)
        self.filter_bar = TrainingFilterBar(self)
        self.model = TrainingMatrixModel(self)
        self.proxy = TrainingFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = MatrixTable(self.model, self.proxy, self)
        self.compliance = CompliancePanel(self)
        self.count_label = QLabel(self)
        self.export_button = TrainingExportButton(worker, workspace, self)
        self._build_buttons()

        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.table)
        body.addWidget(self.compliance)
        body.setStretchFactor(0, 1)
        body.setCollapsible(0, False)
        body.setSizes([1000, 340])
        layout = QVBoxLayout(scrolling_body(self))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.filter_bar)
        layout.addLayout(self._button_row())
        layout.addWidget(body, 1)

        self.filter_bar.filter_changed.connect(self.set_filter)
        self.compliance.cell_requested.connect(self.select_cell)
        self.table.cell_requested.connect(self.open_cell)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._update_buttons)
        selection.currentChanged.connect(self._update_buttons)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        # Read order: the filters, the buttons above the grid, the grid, the panel beside it.
        set_tab_order(self.filter_bar, *self.edit_buttons, self.export_button, self.table)
        set_tab_order(self.table, self.compliance)
        self._update_count()

    # ---- building ----------------------------------------------------------------------------

    def _build_buttons(self) -> None:
        self.record_button = QPushButton("&Record completion…", self)
        self.record_button.setToolTip(
            "Record one completion for every selected member of staff (after a team session)"
        )
        self.add_staff_button = QPushButton("Ad&d staff…", self)  # Alt+A is the Account menu
        self.edit_staff_button = QPushButton("&Edit staff…", self)
        self.courses_button = QToolButton(self)
        self.courses_button.setText("&Courses")
        self.courses_button.setAccessibleName("Add or edit courses")
        self.courses_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.courses_button)
        self.add_course_action = menu.addAction("Add course…")
        self.edit_course_action = menu.addAction("Edit selected course…")
        self.add_course_action.triggered.connect(self.add_course)
        self.edit_course_action.triggered.connect(self.edit_course)
        # Retired courses leave the grid; this is the way back to them (and their name).
        self.retired_menu = menu.addMenu("Retired courses")
        self.retired_menu.setEnabled(False)
        self.courses_button.setMenu(menu)
        self.settings_button = QPushButton("Se&ttings…", self)
        self.settings_button.setToolTip("Job roles and the due-soon window")
        self.import_button = QPushButton("&Import…", self)
        self.import_button.setToolTip("Import staff and completions from CSV or Excel")
        self.edit_buttons: tuple[QWidget, ...] = (
            self.record_button,
            self.add_staff_button,
            self.edit_staff_button,
            self.courses_button,
            self.settings_button,
            self.import_button,
        )
        # The service refuses staff anyway; hiding the buttons spares them the refusal.
        for button in self.edit_buttons:
            button.setVisible(self.can_edit)
        self.record_button.clicked.connect(self.record_completion)
        self.add_staff_button.clicked.connect(self.add_staff)
        self.edit_staff_button.clicked.connect(self.edit_staff)
        self.settings_button.clicked.connect(self.open_settings)
        self.import_button.clicked.connect(self.open_import)

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in self.edit_buttons:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        row.addSpacing(12)
        row.addWidget(self.export_button)
        return row

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, workspace = self._generation, self.workspace
        self.worker.submit(
            lambda _task: load_training(workspace),
            lambda data: self._show(data) if generation == self._generation else None,
            parent_widget=self,
        )

    def clear(self) -> None:
        self._generation += 1
        self._data = None
        self._window = None
        self.model.clear()
        self.compliance.clear()
        self.filter_bar.set_choices([], ())
        self.title_changed.emit(self.title)

    def _show(self, data: TrainingData) -> None:
        current = self.table.current_cell()
        chosen = [person.id for person in self.table.selected_staff()]
        self._data = data
        self.model.set_matrix(data.matrix, data.current.by_course())
        # A role someone still holds stays choosable even if it left the site's list.
        roles = list(dict.fromkeys([*data.job_roles, *(s.job_role for s in data.matrix.staff)]))
        self.filter_bar.set_choices(roles, data.matrix.courses)
        self._show_retired(data.retired)
        self._apply_columns()
        self.compliance.show_matrix(data.current)
        if self._window != data.matrix.due_soon_days:
            # The site's window is the default; the person's own choice survives reloads
            # until the setting itself changes.
            self._window = data.matrix.due_soon_days
            self.compliance.set_days(self._window)
        self.table.restore(chosen, current)
        self._update_buttons()
        self.title_changed.emit(self.tab_title())
        self.loaded.emit()

    def _show_retired(self, retired: tuple[CourseView, ...]) -> None:
        self.retired_menu.clear()
        for course in retired:
            action = self.retired_menu.addAction(f"{course.name}…")
            action.triggered.connect(lambda _checked=False, c=course: self._course_editor(c))
        self.retired_menu.setEnabled(bool(retired))

    def tab_title(self) -> str:
        gaps = gap_count(self._data.current) if self._data else 0
        return f"{self.title} (⚠ {gaps} overdue)" if gaps else self.title

    # ---- filters -----------------------------------------------------------------------------

    def set_filter(self, training_filter: TrainingFilter) -> None:
        self.proxy.set_filter(training_filter)
        self._apply_columns()

    def _apply_columns(self) -> None:
        self.table.show_only(self.proxy.current_filter.course_id)

    def _update_count(self) -> None:
        if self._data is None:
            self.count_label.clear()
            return
        shown = self.proxy.rowCount()
        total = len(self._data.current.staff)
        noun = "member of staff" if total == 1 else "staff"
        self.count_label.setText(
            f"{total} {noun}" if shown == total else f"Showing {shown} ({total} current {noun})"
        )

    # ---- selection ---------------------------------------------------------------------------

    def selected_staff(self) -> list[StaffView]:
        return self.table.selected_staff()

    def selected_course(self) -> CourseView | None:
        """The one course the filter shows, or the course of the current cell."""
        shown = self.table.shown_courses()
        if self.proxy.current_filter.course_id is not None and len(shown) == 1:
            return shown[0]
        cell = self.table.cell_at(self.table.currentIndex())
        return cell[1] if cell else None

    def _suggested_course(self) -> CourseView | None:
        # A bulk record suggests a course only when the selection sits in one column.
        columns = self.table.selected_columns()
        return columns[0] if len(columns) == 1 else None

    # ---- links from the Overview ---------------------------------------------------------

    def show_status(self, status: CellStatus) -> None:
        """Only staff with a required course in this status."""
        self.filter_bar.reset()
        combo = self.filter_bar.status_combo
        combo.setCurrentIndex(max(0, combo.findData(status)))

    def show_course(self, course_id: str) -> None:
        """Only this course's column."""
        self.filter_bar.reset()
        combo = self.filter_bar.course_combo
        combo.setCurrentIndex(max(0, combo.findData(course_id)))

    def show_staff_list(self) -> None:
        """Where the staff list is added: the buttons that add or import it."""
        self.filter_bar.reset()
        button = self.add_staff_button if self.add_staff_button.isVisible() else self.table
        button.setFocus()

    def select_cell(self, staff_id: str, course_id: str) -> bool:
        """Make the cell current and show it; filters that hide it are cleared first."""
        index = self.table.proxy_index(staff_id, course_id)
        column = self.model.column_of(course_id)
        if column is None or self.model.row_of(staff_id) is None:
            return False
        if not index.isValid() or self.table.isColumnHidden(column):
            self.filter_bar.reset()
            row = self.model.row_of(staff_id)
            if row is not None and not self.model.staff(row).active:
                self.filter_bar.left_check.setChecked(True)
            index = self.table.proxy_index(staff_id, course_id)
        if not index.isValid():
            return False
        self.table.go_to(index)
        return True

    def _update_buttons(self) -> None:
        people = len(self.table.selected_staff())
        self.record_button.setEnabled(people > 0)
        self.edit_staff_button.setEnabled(people == 1)
        self.edit_course_action.setEnabled(self._data is not None and bool(self.selected_course()))
        for button in (self.add_staff_button, self.courses_button, self.import_button):
            button.setEnabled(self._data is not None)

    # ---- opening dialogs -----------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        changed = getattr(dialog, "changed", None)
        if changed is not None:
            changed.connect(self._written)
        dialog.open()
        return dialog

    def _written(self, change: ChangeSet) -> None:
        self.changed.emit(change)

    def open_cell(self, index: QModelIndex | None = None) -> QDialog | None:
        """The history of one staff x course cell, with "Add record…" for editors."""
        cell = self.table.cell_at(index if index is not None else self.table.currentIndex())
        if self._data is None or cell is None:
            return None
        staff, course = cell
        key = (staff.id, course.id)
        # A double-click is a click too: raise the dialog it opened rather than a second one.
        existing = self._cell_dialogs.get(key)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return existing
        from prevent_desktop.ui.tabs.training_cell_dialog import CellHistoryDialog

        dialog = CellHistoryDialog(self.worker, self.workspace, staff, course, parent=self)
        self._cell_dialogs[key] = dialog
        dialog.destroyed.connect(lambda _obj=None, k=key: self._cell_dialogs.pop(k, None))
        dialog.finished.connect(lambda _result, k=key: self._cell_dialogs.pop(k, None))
        return self._open(dialog)

    def record_completion(self) -> QDialog | None:
        staff = self.selected_staff()
        if not self.can_edit or self._data is None or not staff:
            return None
        from prevent_desktop.ui.tabs.training_record_dialog import RecordCompletionDialog

        course = self._suggested_course()
        dialog = RecordCompletionDialog(
            self.worker,
            self.workspace,
            staff,
            list(self._data.matrix.courses),
            course.id if course else None,
            parent=self,
        )
        return self._open(dialog)

    def add_staff(self) -> QDialog | None:
        return self._staff_editor(None)

    def edit_staff(self) -> QDialog | None:
        staff = self.selected_staff()
        return self._staff_editor(staff[0]) if len(staff) == 1 else None

    def _staff_editor(self, staff: StaffView | None) -> QDialog | None:
        if not self.can_edit or self._data is None:
            return None
        from prevent_desktop.ui.tabs.training_staff_dialog import StaffEditorDialog

        dialog = StaffEditorDialog(
            self.worker, self.workspace, staff, list(self._data.job_roles), parent=self
        )
        return self._open(dialog)

    def add_course(self) -> QDialog | None:
        return self._course_editor(None)

    def edit_course(self) -> QDialog | None:
        course = self.selected_course()
        return self._course_editor(course) if course is not None else None

    def _course_editor(self, course: CourseView | None) -> QDialog | None:
        if not self.can_edit or self._data is None:
            return None
        from prevent_desktop.ui.tabs.training_course_dialog import CourseEditorDialog

        dialog = CourseEditorDialog(
            self.worker, self.workspace, course, list(self._data.job_roles), parent=self
        )
        return self._open(dialog)

    def open_settings(self) -> QDialog | None:
        if not self.can_edit:
            return None
        from prevent_desktop.ui.tabs.training_settings_dialog import TrainingSettingsDialog

        return self._open(TrainingSettingsDialog(self.worker, self.workspace, parent=self))

    def open_import(self) -> QDialog | None:
        if not self.can_edit:
            return None
        from prevent_desktop.ui.tabs.training_import_dialog import TrainingImportDialog

        return self._open(TrainingImportDialog(self.worker, self.workspace, parent=self))
