"""The panel beside the matrix: compliance overall, per course and per role, and who falls due.

Every figure comes from the MatrixView's own arithmetic (overall, by_course, by_role,
due_within), so the panel, the PDF report and the service can never disagree. The tab hands
over the matrix of current staff only: people who have left are no longer the site's gap.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.training import DEFAULT_DUE_SOON_DAYS, Compliance
from prevent_desktop.services.training_views import DueItem, MatrixView
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.tabs.training_cell_style import CELL_TEXT, background, format_date

MAX_DUE_DAYS = 730


class ComplianceTableModel(RowTableModel):
    """Rows of (name, Compliance): a course or a job role and its figure."""

    NAME, FIGURE = range(2)

    def __init__(self, noun: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = (noun, "Compliance")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: tuple[str, Compliance] | None = self.row_item(index)
        if row is None:
            return None
        name, compliance = row
        if role == Qt.ItemDataRole.DisplayRole:
            return name if index.column() == self.NAME else compliance.text()
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.NAME:
            return name  # long course names are elided in the narrow panel
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.FIGURE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


RESIZE_SAMPLE_ROWS = 100


class DueTableModel(RowTableModel):
    EXPIRES, NAME, COURSE = range(3)
    HEADERS = ("Expires", "Name", "Course")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: DueItem | None = self.row_item(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.EXPIRES:
                return f"{item.status.symbol} {format_date(item.expires_on)}"
            return item.staff.name if column == self.NAME else item.course.name
        if role == Qt.ItemDataRole.BackgroundRole and column == self.EXPIRES:
            return background(item.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.EXPIRES:
            return CELL_TEXT
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.EXPIRES:
            # The symbol alone means little read aloud: say the status in words.
            return f"{item.status.label}, expires {format_date(item.expires_on)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{item.staff.name} — {item.course.name}\n"
                f"{item.status.label}: expires on {format_date(item.expires_on)}\n"
                "Double-click or press Enter to find the cell in the matrix"
            )
        return None

    def item(self, row: int) -> DueItem:
        due: DueItem = self._rows[row]
        return due


def _small_table(model: RowTableModel, name: str, stretch: int, parent: QWidget) -> QTableView:
    """A compact read-only list; the `stretch` column takes what the others leave (course
    names are elided there, and whole in the tooltip) so the figures are never cut off."""
    table = QTableView(parent)
    table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    # Fitted to the first rows, not all of them: a due list of a thousand rows was measured
    # through Python at every showing of the tab.
    header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    return table


class CompliancePanel(QWidget):
    """Emits `cell_requested(staff_id, course_id)` when a due item is double-clicked."""

    cell_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: MatrixView | None = None
        self.overall_label = QLabel(self)
        self.overall_label.setObjectName("overallCompliance")
        self.overall_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.overall_label.setToolTip(
            "Required training that is in date (valid or due soon), of all required "
            "training, for current staff"
        )

        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(0, MAX_DUE_DAYS)
        self.days_spin.setValue(DEFAULT_DUE_SOON_DAYS)  # until the site's own window loads
        self.days_spin.setSuffix(" days")
        self.days_spin.setAccessibleName("Falls due within this many days")
        days_label = QLabel("Falls due in the &next", self)
        days_label.setBuddy(self.days_spin)
        self.due_count_label = QLabel(self)
        self.due_model = DueTableModel(self)
        self.due_table = _small_table(
            self.due_model, "Training falling due", DueTableModel.COURSE, self
        )
        self.due_table.setToolTip("Required training that has expired or expires soon")
        self.course_model = ComplianceTableModel("Course", self)
        self.course_table = _small_table(
            self.course_model, "Compliance by course", ComplianceTableModel.NAME, self
        )
        self.role_model = ComplianceTableModel("Job role", self)
        self.role_table = _small_table(
            self.role_model, "Compliance by job role", ComplianceTableModel.NAME, self
        )

        due_page = QWidget(self)
        days_row = QHBoxLayout()
        days_row.addWidget(days_label)
        days_row.addWidget(self.days_spin)
        days_row.addStretch(1)
        due_layout = QVBoxLayout(due_page)
        due_layout.setContentsMargins(0, 4, 0, 0)
        due_layout.addLayout(days_row)
        due_layout.addWidget(self.due_count_label)
        due_layout.addWidget(self.due_table, 1)
        self.pages = QTabWidget(self)
        # Letters the matrix's own buttons leave free (Record, Courses, Add staff…).
        self.pages.addTab(due_page, "Falling d&ue")
        self.pages.addTab(self.course_table, "By c&ourse")
        self.pages.addTab(self.role_table, "By &job role")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Compliance (current staff)", self)
        layout.addWidget(caption)
        layout.addWidget(self.overall_label)
        layout.addWidget(self.pages, 1)

        self.days_spin.valueChanged.connect(self._show_due)
        self.due_table.activated.connect(self._due_activated)  # double-click or Enter
        # The page tabs first, then what the page holds.
        set_tab_order(
            self.pages, self.days_spin, self.due_table, self.course_table, self.role_table
        )
        self.clear()

    def show_matrix(self, matrix: MatrixView) -> None:
        self._matrix = matrix
        self.overall_label.setText(f"Overall: {matrix.overall().text()}")
        by_course = matrix.by_course()
        self.course_model.set_rows([(c.name, by_course[c.id]) for c in matrix.courses])
        self.role_model.set_rows(list(matrix.by_role().items()))
        self._show_due()

    def clear(self) -> None:
        self._matrix = None
        self.overall_label.setText("Overall: —")
        self.course_model.clear()
        self.role_model.clear()
        self.due_model.clear()
        self.due_count_label.clear()

    def set_days(self, days: int) -> None:
        self.days_spin.setValue(days)  # valueChanged refreshes the list

    def _show_due(self) -> None:
        if self._matrix is None:
            return
        items = self._matrix.due_within(self.days_spin.value())
        self.due_model.set_rows(items)
        expired = sum(item.expires_on <= self._matrix.today for item in items)
        text = f"{len(items)} to renew"
        self.due_count_label.setText(f"{text}, {expired} already expired" if expired else text)

    def _due_activated(self, index: Index) -> None:
        if index.isValid():
            item = self.due_model.item(index.row())
            self.cell_requested.emit(item.staff.id, item.course.id)
