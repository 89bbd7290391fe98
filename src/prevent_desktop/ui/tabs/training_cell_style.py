"""How a training matrix cell reads: its symbol and short text, its tooltip, its colour, and
the legend that explains all three.

Colour is never the only signal: every cell carries its status symbol and a word or a date,
so the grid reads the same printed in black and white. The colours come from the Okabe–Ito
palette (sky blue, yellow, vermilion, reddish purple), which stays distinguishable with the
common forms of colour blindness, and they differ in lightness too; a valid cell is blue
rather than green so that "good" and "bad" never rest on telling red from green. Each is a
pale tint so that dark text keeps well above 4.5:1 contrast.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.training_views import Cell, CourseView, StaffView

DATE_FORMAT = "%d/%m/%Y"
CELL_TEXT = QColor("#1a1a1a")

TINTS: dict[CellStatus, str] = {
    CellStatus.VALID: "#cde6f5",  # sky blue
    CellStatus.DUE_SOON: "#fbe49a",  # yellow
    CellStatus.EXPIRED: "#f3b58f",  # vermilion, the darkest: the most urgent
    CellStatus.MISSING: "#e6c2dc",  # reddish purple
    CellStatus.NOT_REQUIRED: "#f2f2f2",  # neutral grey: nothing to do
}
_BRUSHES = {status: QColor(tint) for status, tint in TINTS.items()}


def format_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def background(status: CellStatus) -> QColor:
    return _BRUSHES[status]


def cell_text(cell: Cell) -> str:
    """ "✓ 14/03/2027" (the expiry date), "! Missing", "–"... short enough for a narrow column."""
    status = cell.status
    if status is CellStatus.NOT_REQUIRED:
        return status.symbol
    if status is CellStatus.MISSING:
        return f"{status.symbol} {status.label}"
    if cell.expires_on is None:  # done, and the course never expires
        return f"{status.symbol} No expiry"
    return f"{status.symbol} {format_date(cell.expires_on)}"


def cell_tooltip(cell: Cell, staff: StaffView, course: CourseView) -> str:
    lines = [f"{staff.name} — {course.name}", f"Status: {cell.status.symbol} {cell.status.label}"]
    if cell.completed_on is not None:
        lines.append(f"Completed on: {format_date(cell.completed_on)}")
        lines.append(
            f"Expires on: {format_date(cell.expires_on)}" if cell.expires_on else "Expires: never"
        )
    if cell.required:
        lines.append(f"Required for {staff.job_role}")
    else:
        # Training done although not required still shows its dates: it is real training,
        # it just does not count towards compliance.
        lines.append(f"Not required for {staff.job_role}")
    return "\n".join(lines)


def accessible_text(cell: Cell, staff: StaffView, course: CourseView) -> str:
    """What a screen reader says: the symbols alone mean little read aloud."""
    text = f"{staff.name}, {course.name}: {cell.status.label}"
    if cell.expires_on is not None:
        text += f", expires {format_date(cell.expires_on)}"
    return text


class StatusLegend(QWidget):
    """The strip above the grid: each status's colour, symbol and word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(QLabel("Key:", self))
        self.swatches: dict[CellStatus, QLabel] = {}
        for status in CellStatus:
            swatch = QLabel(f" {status.symbol}  {status.label} ", self)
            swatch.setObjectName(f"legend_{status.value}")
            swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
            swatch.setStyleSheet(
                f"background: {TINTS[status]}; color: {CELL_TEXT.name()};"
                "border: 1px solid #9e9e9e; border-radius: 3px; padding: 2px 6px;"
            )
            self.swatches[status] = swatch
            layout.addWidget(swatch)
        note = QLabel("Dates are when the training expires.", self)
        note.setStyleSheet("color: palette(placeholder-text);")
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addStretch(1)

    def text(self) -> str:
        return ", ".join(f"{s.symbol} {s.label}" for s in self.swatches)
