"""The 5×5 risk heat map: how many risks sit at each likelihood and impact.

Painted by hand because a grid of counts with axis labels is simpler to draw than to coax out
of a table view. Each cell's colour is the RAG band of its score, and the cell also prints that
score in its corner, so the map reads without colour (the legend maps scores to bands). It is
keyboard accessible: arrows move a focus cell, Space or Enter chooses it, Escape clears.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from prevent_desktop.domain.risk import SCALE, RagThresholds
from prevent_desktop.ui.rag_band import strong, tint

CELL = 52
_AXIS = 40  # room for the axis numbers and titles
Cell = tuple[int, int]  # (likelihood, impact)


class HeatMap(QWidget):
    """`cell_activated(likelihood, impact)` when a cell is clicked or chosen with the keys;
    `cleared()` when the chosen cell is clicked again or Escape is pressed."""

    cell_activated = Signal(int, int)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[Cell, int] = {}
        self._thresholds = RagThresholds()
        self._selected: Cell | None = None
        self._focus: Cell = (1, 5)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Risk heat map")
        self.setMouseTracking(True)

    # ---- state -------------------------------------------------------------------------------

    def set_counts(self, counts: dict[Cell, int], thresholds: RagThresholds) -> None:
        self._counts = dict(counts)
        self._thresholds = thresholds
        total = sum(counts.values())
        self.setAccessibleDescription(
            f"{total} risks. "
            + "; ".join(
                f"likelihood {likelihood}, impact {impact}: {count}"
                for (likelihood, impact), count in sorted(counts.items())
                if count
            )
        )
        self.update()

    def count(self, likelihood: int, impact: int) -> int:
        return self._counts.get((likelihood, impact), 0)

    @property
    def selected(self) -> Cell | None:
        return self._selected

    def set_selected(self, cell: Cell | None) -> None:
        self._selected = cell
        if cell is not None:
            self._focus = cell
        self.update()

    def activate(self, likelihood: int, impact: int) -> None:
        """What a click does: choose the cell, or clear the choice if it is already chosen."""
        if self._selected == (likelihood, impact):
            self.set_selected(None)
            self.cleared.emit()
        else:
            self.set_selected((likelihood, impact))
            self.cell_activated.emit(likelihood, impact)

    # ---- geometry ----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(_AXIS + 5 * CELL + 2, 5 * CELL + _AXIS + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, likelihood: int, impact: int) -> QRect:
        # Columns run likelihood 1→5 left to right; rows impact 5→1 top to bottom.
        return QRect(_AXIS + (likelihood - 1) * CELL, (5 - impact) * CELL, CELL, CELL)

    def cell_at(self, point: QPoint) -> Cell | None:
        for likelihood in SCALE:
            for impact in SCALE:
                if self.cell_rect(likelihood, impact).contains(point):
                    return likelihood, impact
        return None

    # ---- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(6.0, base.pointSizeF() * 0.75))
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(base.pointSizeF() * 1.35)
        text_colour = self.palette().color(self.foregroundRole())
        for likelihood in SCALE:
            for impact in SCALE:
                self._paint_cell(painter, likelihood, impact, small, bold)
        painter.setPen(text_colour)
        painter.setFont(base)
        for n in SCALE:
            below = self.cell_rect(n, 1).translated(0, CELL)
            painter.drawText(
                below.adjusted(0, 0, 0, -CELL + 16), Qt.AlignmentFlag.AlignCenter, str(n)
            )
            left = QRect(_AXIS - 16, self.cell_rect(1, n).top(), 14, CELL)
            painter.drawText(left, Qt.AlignmentFlag.AlignCenter, str(n))
        grid_bottom = 5 * CELL
        painter.drawText(
            QRect(_AXIS, grid_bottom + 14, 5 * CELL, 18),
            Qt.AlignmentFlag.AlignCenter,
            "Likelihood →",
        )
        painter.save()
        painter.translate(10, grid_bottom / 2)
        painter.rotate(-90)
        painter.drawText(QRect(-60, -8, 120, 16), Qt.AlignmentFlag.AlignCenter, "Impact →")
        painter.restore()

    def _paint_cell(
        self, painter: QPainter, likelihood: int, impact: int, small: QFont, bold: QFont
    ) -> None:
        rect = self.cell_rect(likelihood, impact).adjusted(1, 1, -1, -1)
        score = likelihood * impact
        rag = self._thresholds.rag(score)
        count = self.count(likelihood, impact)
        if count:
            background, foreground = strong(rag)
        else:
            # Empty cells keep their band as a pale tint so the shape of the map stays visible.
            background, foreground = tint(rag), QColor("#555555")
        painter.fillRect(rect, background)
        painter.setPen(foreground)
        painter.setFont(small)
        painter.drawText(
            rect.adjusted(3, 1, -3, -1),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            str(score),
        )
        painter.setFont(bold)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count) if count else "·")
        if (likelihood, impact) == self._selected:
            painter.setPen(QPen(QColor("#0b57d0"), 4))
            painter.drawRect(rect.adjusted(2, 2, -2, -2))
        if self.hasFocus() and (likelihood, impact) == self._focus:
            ink = self.palette().color(self.foregroundRole())
            painter.setPen(QPen(ink, 1, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(5, 5, -5, -5))

    # ---- input -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._focus = cell
        self.activate(*cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is None:
            self.setToolTip("")
            return
        likelihood, impact = cell
        score = likelihood * impact
        count = self.count(likelihood, impact)
        self.setToolTip(
            f"Likelihood {likelihood} × impact {impact} = {score} "
            f"({self._thresholds.rag(score).label}): {count} risk{'s' if count != 1 else ''}. "
            "Click to show them."
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        likelihood, impact = self._focus
        key = event.key()
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, 1),
            Qt.Key.Key_Down: (0, -1),
        }
        if key in moves:
            dl, di = moves[Qt.Key(key)]
            self._focus = (min(5, max(1, likelihood + dl)), min(5, max(1, impact + di)))
            self.update()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate(likelihood, impact)
        elif key == Qt.Key.Key_Escape and self._selected is not None:
            self.set_selected(None)
            self.cleared.emit()
        else:
            super().keyPressEvent(event)
