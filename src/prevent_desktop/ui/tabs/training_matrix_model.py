"""The training matrix as one table model: a row per member of staff, a column per course.

One model behind one QTableView, never a widget per cell, so 2,000 staff x 40 courses costs
no more to show than what fits on screen. The staff names are the vertical header and the
course names the horizontal header: the view keeps both in place while the grid scrolls.
Display text, colours and tooltips are worked out per painted cell from the MatrixView
already loaded, so nothing here touches the database.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from prevent_desktop.domain.training import Compliance
from prevent_desktop.services.training_views import Cell, CourseView, MatrixView, StaffView
from prevent_desktop.ui.row_table_model import Index
from prevent_desktop.ui.tabs.training_cell_style import (
    CELL_TEXT,
    accessible_text,
    background,
    cell_text,
    cell_tooltip,
    format_date,
)

HEADER_LINE = 13  # characters: longer course names break over lines in the header


def header_lines(name: str, width: int = HEADER_LINE) -> str:
    """Break a course name over lines at spaces, so columns stay narrow and names whole."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def course_tooltip(course: CourseView, compliance: Compliance | None) -> str:
    if course.required_for_all:
        required = "everyone"
    elif course.required_roles:
        required = ", ".join(course.required_roles)
    else:
        required = "nobody (optional)"
    lines = [
        course.name,
        f"Provider: {course.provider or 'not given'}",
        f"Valid for: {course.validity_text()}",
        f"Required for: {required}",
    ]
    if compliance is not None:
        lines.append(f"Compliance: {compliance.text()}")
    return "\n".join(lines)


def staff_tooltip(staff: StaffView) -> str:
    lines = [staff.name, f"Job role: {staff.job_role}"]
    if staff.start_date:
        lines.append(f"Started: {format_date(staff.start_date)}")
    if staff.left_on:
        lines.append(f"Left: {format_date(staff.left_on)}")
    return "\n".join(lines)


class TrainingMatrixModel(QAbstractTableModel):
    CellRole = Qt.ItemDataRole.UserRole + 1  # the Cell
    StatusRole = Qt.ItemDataRole.UserRole + 2  # the CellStatus
    StaffRole = Qt.ItemDataRole.UserRole + 3  # the row's StaffView (cells and vertical header)
    CourseRole = Qt.ItemDataRole.UserRole + 4  # the column's CourseView (horizontal header)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._matrix: MatrixView | None = None
        self._staff: tuple[StaffView, ...] = ()
        self._courses: tuple[CourseView, ...] = ()
        self._compliance: dict[str, Compliance] = {}

    # ---- content --------------------------------------------------------------------------

    def set_matrix(
        self, matrix: MatrixView | None, compliance: dict[str, Compliance] | None = None
    ) -> None:
        """Show `matrix`; `compliance` (course id -> figure) goes in the course tooltips.
        It is passed in rather than worked out here because the tab counts current staff
        only, while the grid may also hold people who have left."""
        self.beginResetModel()
        self._matrix = matrix
        self._staff = matrix.staff if matrix else ()
        self._courses = matrix.courses if matrix else ()
        self._compliance = dict(compliance or {})
        self.endResetModel()

    def clear(self) -> None:
        self.set_matrix(None)

    @property
    def matrix(self) -> MatrixView | None:
        return self._matrix

    def staff(self, row: int) -> StaffView:
        return self._staff[row]

    def course(self, column: int) -> CourseView:
        return self._courses[column]

    def courses(self) -> tuple[CourseView, ...]:
        return self._courses

    def row_cells(self, row: int) -> tuple[Cell, ...]:
        assert self._matrix is not None
        return self._matrix.cells[row]

    def row_of(self, staff_id: str) -> int | None:
        return next((r for r, s in enumerate(self._staff) if s.id == staff_id), None)

    def column_of(self, course_id: str) -> int | None:
        return next((c for c, course in enumerate(self._courses) if course.id == course_id), None)

    # ---- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._staff)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._courses)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Selectable and enabled, never editable: a cell changes through its history dialog.
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._matrix is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._staff) and 0 <= column < len(self._courses)):
            return None
        cell = self._matrix.cells[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            return background(cell.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            # Fixed dark text: the tints are pale whatever the desktop theme.
            return CELL_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell, self._staff[row], self._courses[column])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return accessible_text(cell, self._staff[row], self._courses[column])
        if role == self.CellRole:
            return cell
        if role == self.StatusRole:
            return cell.status
        if role == self.StaffRole:
            return self._staff[row]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._courses):
                return None
            course = self._courses[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return header_lines(course.name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return course_tooltip(course, self._compliance.get(course.id))
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return course.name
            if role == self.CourseRole:
                return course
            return None
        if not 0 <= section < len(self._staff):
            return None
        person = self._staff[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return person.name if person.active else f"{person.name} (left)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return staff_tooltip(person)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{person.name}, {person.job_role}"
        if role == self.StaffRole:
            return person
        return None
