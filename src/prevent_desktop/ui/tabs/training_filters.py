"""Which staff and courses the matrix shows: the filter, its row proxy and the bar of controls.

Everything filters the MatrixView already loaded: rows through a QSortFilterProxyModel, columns
through the view's setColumnHidden. Nothing goes back to the database, so typing in the search
box stays instant with thousands of staff. People who have left are always loaded and hidden
here, for the same reason. The filter picks its rows in one pass per condition over the whole
matrix (`shown_rows`), and the proxy only looks each row up: asking Python about 5,000 staff
one call at a time took most of a keystroke's 50 ms at head office (issue 9).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.training_views import Cell, CourseView, MatrixView, StaffView
from prevent_desktop.ui.keyboard import search_shortcut
from prevent_desktop.ui.row_table_model import Index
from prevent_desktop.ui.tabs.training_matrix_model import TrainingMatrixModel


@dataclass(frozen=True)
class TrainingFilter:
    text: str = ""
    job_role: str | None = None
    status: CellStatus | None = None
    course_id: str | None = None  # show only this course's column
    include_left: bool = False

    def accepts(
        self, staff: StaffView, cells: tuple[Cell, ...], courses: tuple[CourseView, ...]
    ) -> bool:
        if not self.include_left and not staff.active:
            return False
        if self.job_role is not None and staff.job_role.casefold() != self.job_role.casefold():
            return False
        if self.status is not None and not self._has_status(cells, courses):
            return False
        needle = self.text.strip().casefold()
        if needle:
            haystack = f"{staff.name} {staff.email}".casefold()
            return all(word in haystack for word in needle.split())
        return True

    def shown_rows(self, matrix: MatrixView) -> list[bool]:
        """For each row of `matrix`, whether `accepts` lets it through; one pass over the
        rows still in the running per condition, cheapest first."""
        staff, cells, courses = matrix.staff, matrix.cells, matrix.courses
        rows: Iterable[int] = range(len(staff))
        if not self.include_left:
            rows = [r for r in rows if staff[r].left_on is None]
        if self.job_role is not None:
            role = self.job_role.casefold()
            rows = [r for r in rows if staff[r].job_role.casefold() == role]
        texts = matrix.search_texts()
        for word in self.text.strip().casefold().split():
            rows = [r for r in rows if word in texts[r]]
        if self.status is not None:
            rows = [r for r in rows if self._has_status(cells[r], courses)]
        shown = [False] * len(staff)
        for r in rows:
            shown[r] = True
        return shown

    def _has_status(self, cells: tuple[Cell, ...], courses: tuple[CourseView, ...]) -> bool:
        # With one course chosen, only its cell counts: "expired" then means expired in the
        # column on screen, not somewhere off it.
        if self.course_id is None:
            return any(cell.status is self.status for cell in cells)
        return any(
            cell.status is self.status
            for cell, course in zip(cells, courses, strict=True)
            if course.id == self.course_id
        )


class TrainingFilterProxy(QSortFilterProxyModel):
    """Rows only: columns are hidden in the view, which keeps the mapping one-to-one."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = TrainingFilter()
        # The filter's answer for each source row, worked out when Qt first asks after a new
        # filter or a new matrix (None: not yet). Qt asks once per row at every keystroke, so
        # each answer must be a lookup.
        self._shown: list[bool] | None = None

    def setSourceModel(self, model: Any) -> None:
        self._shown = None
        super().setSourceModel(model)
        if model is not None:
            # The matrix model only ever changes by a reset (set_matrix).
            model.modelAboutToBeReset.connect(self._forget)

    def _forget(self) -> None:
        self._shown = None

    @property
    def current_filter(self) -> TrainingFilter:
        return self._filter

    def set_filter(self, training_filter: TrainingFilter) -> None:
        if training_filter == self._filter:
            return  # an unchanged filter costs nothing
        self.beginFilterChange()
        self._filter = training_filter
        self._shown = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self._filter, **changes))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        shown = self._shown
        if shown is None:
            model = self.sourceModel()
            matrix = model.matrix if isinstance(model, TrainingMatrixModel) else None
            shown = self._shown = [] if matrix is None else self._filter.shown_rows(matrix)
        return source_row < len(shown) and shown[source_row]


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> bool:
    """Refill without a signal per item; True if what was chosen is no longer chosen (it
    has gone), so the caller tells the proxy and the combo and the grid never disagree."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)
    return combo.currentData() != chosen


class TrainingFilterBar(QWidget):
    """Search, role, status and course, and "include people who have left". Emits
    `filter_changed(TrainingFilter)`."""

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search by name…")
        self.search_edit.setAccessibleName("Search staff by name")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.role_combo = self._combo("All job roles", "Filter by job role")
        self.status_combo = self._combo("Any status", "Show staff with a cell in this status")
        for status in CellStatus:
            self.status_combo.addItem(f"{status.symbol} {status.label}", status)
        self.course_combo = self._combo("All courses", "Show only this course")
        self.left_check = QCheckBox("Include people who have &left", self)
        self.clear_button = QPushButton("Clear &filters", self)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        for combo in self._combos():
            layout.addWidget(combo, 1)
        layout.addWidget(self.left_check)
        layout.addWidget(self.clear_button)

        self.search_edit.textChanged.connect(self._emit)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._emit)
        self.left_check.toggled.connect(self._emit)
        self.clear_button.clicked.connect(self.reset)
        search_shortcut(self, self.search_edit)

    def _combo(self, everything: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        return combo

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.role_combo, self.status_combo, self.course_combo)

    def set_choices(self, job_roles: list[str], courses: tuple[CourseView, ...]) -> None:
        role_gone = _refill(self.role_combo, [(role, role) for role in job_roles])
        course_gone = _refill(self.course_combo, [(c.name, c.id) for c in courses])
        if role_gone or course_gone:
            self._emit()

    def current(self) -> TrainingFilter:
        status = self.status_combo.currentData()
        return TrainingFilter(
            text=self.search_edit.text(),
            job_role=self.role_combo.currentData(),
            # Qt may hand a StrEnum back as a plain str; make it the enum again.
            status=None if status is None else CellStatus(status),
            course_id=self.course_combo.currentData(),
            include_left=self.left_check.isChecked(),
        )

    def reset(self) -> None:
        widgets = (self.search_edit, self.left_check, *self._combos())
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        self.left_check.setChecked(False)
        for combo in self._combos():
            combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.filter_changed.emit(self.current())
