"""A small horizontal bar chart whose every bar carries its words and number.

Colour is a help, never the message: each row is painted with its label and its value in
text ("Red 3", "72% (18 of 25)"), so the chart reads the same in greyscale, for colour-blind
users and for screen readers (the accessible description lists every row). Rows can be
followed: a click, or the arrow keys and Enter, emits `row_activated` with the row's payload.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW_PADDING = 6
LABEL_SHARE = 0.42  # of the width, for the row labels


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drawn as value / maximum of the bar's length
    maximum: float
    text: str  # what the value says in words, painted after the bar
    colour: str
    payload: object = None


class BarChart(QWidget):
    row_activated = Signal(object)  # the payload of the row clicked or chosen with Enter

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self._current = 0
        self._empty_text = "Nothing to show yet."
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_bars(self, bars: list[Bar], empty_text: str = "") -> None:
        self._bars = list(bars)
        self._current = min(self._current, max(0, len(self._bars) - 1))
        if empty_text:
            self._empty_text = empty_text
        self.setAccessibleDescription(self.describe())
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if self._bars else Qt.CursorShape.ArrowCursor
        )
        self.updateGeometry()
        self.update()

    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def describe(self) -> str:
        if not self._bars:
            return self._empty_text
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self._bars)

    # ---- geometry -------------------------------------------------------------------------

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 2 * ROW_PADDING

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(360, rows * self._row_height() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _row_at(self, y: int) -> int | None:
        row = y // self._row_height()
        return row if 0 <= row < len(self._bars) else None

    # ---- painting ---------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft, self._empty_text)
            return
        metrics = self.fontMetrics()
        height = self._row_height()
        label_width = int(self.width() * LABEL_SHARE)
        text_width = metrics.horizontalAdvance("100% (9999 of 9999)") + 8
        bar_space = max(20, self.width() - label_width - text_width - 8)
        for index, bar in enumerate(self._bars):
            top = index * height
            row = QRect(0, top, self.width(), height)
            if self.hasFocus() and index == self._current:
                painter.fillRect(row, palette.color(QPalette.ColorRole.AlternateBase))
                painter.setPen(palette.color(QPalette.ColorRole.Highlight))
                painter.drawRect(row.adjusted(0, 0, -1, -1))
            painter.setPen(text_colour)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(
                QRect(4, top, label_width - 8, height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            share = 0.0 if bar.maximum <= 0 else max(0.0, min(1.0, bar.value / bar.maximum))
            length = max(2, int(bar_space * share)) if bar.value > 0 else 0
            bar_rect = QRect(label_width, top + ROW_PADDING, length, height - 2 * ROW_PADDING)
            painter.fillRect(bar_rect, QColor(bar.colour))
            painter.setPen(text_colour)
            painter.drawText(
                QRect(label_width + length + 6, top, text_width, height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                bar.text,
            )

    # ---- following a row ---------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(int(event.position().y()))
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self._current = row
            self.update()
            self.row_activated.emit(self._bars[row].payload)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._bars and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            self._current = (self._current + step) % len(self._bars)
            bar = self._bars[self._current]
            self.setAccessibleDescription(f"{bar.label}: {bar.text}")
            self.update()
            return
        if self._bars and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.row_activated.emit(self._bars[self._current].payload)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: object) -> None:  # type: ignore[override]
        self.update()
        super().focusInEvent(event)  # type: ignore[arg-type]

    def focusOutEvent(self, event: object) -> None:  # type: ignore[override]
        self.update()
        super().focusOutEvent(event)  # type: ignore[arg-type]
