"""The matrix grid: one QTableView over the filter proxy, and what is selected in it.

The view speaks in staff and courses (StaffView, CourseView, ids) so the tab never handles
proxy rows; the mapping between what is on screen and the model stays here.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget

from prevent_desktop.services.training_views import CourseView, StaffView
from prevent_desktop.ui.tabs.training_filters import TrainingFilterProxy
from prevent_desktop.ui.tabs.training_matrix_model import TrainingMatrixModel

COLUMN_WIDTH = 112  # fits "✓ 14/03/2027" and a course name broken over lines
ROW_HEIGHT = 24
NAME_WIDTH = 160


class MatrixTable(QTableView):
    """Emits `cell_requested(proxy index)` on a plain click, Enter or a double-click."""

    cell_requested = Signal(QModelIndex)

    def __init__(
        self, model: TrainingMatrixModel, proxy: TrainingFilterProxy, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.matrix_model = model
        self.proxy = proxy
        self.setObjectName("trainingMatrix")
        self.setAccessibleName("Training matrix: staff by course")
        self.setModel(proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # Several people at once, for recording one team session for all of them.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)  # "select all 80,000 cells" helps nobody
        # Arrows move between cells; Tab leaves the grid, so the keyboard is never trapped.
        self.setTabKeyNavigation(False)
        columns = self.horizontalHeader()
        columns.setDefaultSectionSize(COLUMN_WIDTH)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        rows = self.verticalHeader()
        # Fixed heights: no measuring of thousands of rows on each load.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows.setMinimumWidth(NAME_WIDTH)
        self.clicked.connect(self._clicked)
        self.activated.connect(self.cell_requested)  # Enter, or a double-click

    def _clicked(self, index: QModelIndex) -> None:
        # A plain click opens the cell; Ctrl or Shift with a click is building a selection.
        if QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
            self.cell_requested.emit(index)

    # ---- what is on screen ---------------------------------------------------------------------

    def show_only(self, course_id: str | None) -> None:
        """Hide every course column but `course_id`'s (None: show them all)."""
        for column, course in enumerate(self.matrix_model.courses()):
            self.setColumnHidden(column, course_id is not None and course.id != course_id)

    def shown_courses(self) -> list[CourseView]:
        return [
            course
            for column, course in enumerate(self.matrix_model.courses())
            if not self.isColumnHidden(column)
        ]

    def cell_at(self, index: QModelIndex) -> tuple[StaffView, CourseView] | None:
        if not index.isValid() or self.matrix_model.matrix is None:
            return None
        source = self.proxy.mapToSource(index)
        return self.matrix_model.staff(source.row()), self.matrix_model.course(source.column())

    def proxy_index(self, staff_id: str, course_id: str | None = None) -> QModelIndex:
        """The on-screen index of a cell (the first column without a course), or invalid."""
        model = self.matrix_model
        row = model.row_of(staff_id)
        column = model.column_of(course_id) if course_id is not None else 0
        if row is None or column is None:
            return QModelIndex()
        return self.proxy.mapFromSource(model.index(row, column))

    # ---- selection ---------------------------------------------------------------------------

    def selected_staff(self) -> list[StaffView]:
        """Everyone with a selected cell (or a selected row), top to bottom."""
        if self.matrix_model.matrix is None:
            return []
        rows: set[int] = set()
        # Selection ranges, not selectedIndexes(): whole rows of 40 courses add up quickly.
        for selected in self.selectionModel().selection().toList():
            rows.update(range(selected.top(), selected.bottom() + 1))
        return [
            self.matrix_model.staff(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            for row in sorted(rows)
        ]

    def selected_columns(self) -> list[CourseView]:
        """The shown courses that hold a selected cell."""
        columns = {
            column
            for selected in self.selectionModel().selection().toList()
            for column in range(selected.left(), selected.right() + 1)
            if not self.isColumnHidden(column)
        }
        return [self.matrix_model.course(column) for column in sorted(columns)]

    def current_cell(self) -> tuple[str, str] | None:
        """(staff id, course id) of the current cell."""
        cell = self.cell_at(self.currentIndex())
        return (cell[0].id, cell[1].id) if cell else None

    def go_to(self, index: QModelIndex) -> None:
        """Make `index` the current and only selected cell, and scroll it into the middle."""
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.setFocus()

    def restore(self, staff_ids: list[str], current: tuple[str, str] | None) -> None:
        """After a reload: the same people selected and the same cell current, where they
        are still shown (a model reset forgets both)."""
        if current is not None:
            index = self.proxy_index(*current)
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.NoUpdate
                )
        selection = QItemSelection()
        last = self.proxy.columnCount() - 1
        for staff_id in staff_ids:
            index = self.proxy_index(staff_id)
            if index.isValid():
                selection.select(index, index.siblingAtColumn(last))
        if not selection.isEmpty():
            self.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
