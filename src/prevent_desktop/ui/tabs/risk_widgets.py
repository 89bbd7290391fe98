"""Small input widgets the register's dialogs share: a 1–5 score pair and a UK date field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.ui.rag_band import STRONG

QT_DATE_FORMAT = "dd/MM/yyyy"


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat(QT_DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDate(to_qdate(value) if value else QDate.currentDate())
    return edit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(edit: QDateEdit) -> date:
    value: date = edit.date().toPython()  # type: ignore[assignment]
    return value


class ScorePair(QWidget):
    """Likelihood and impact spin boxes with the live score and its RAG band in words."""

    changed = Signal()

    def __init__(self, name: str, thresholds: RagThresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thresholds = thresholds
        self.likelihood = self._spin(f"{name} likelihood")
        self.impact = self._spin(f"{name} impact")
        self.score_label = QLabel(self)
        self.score_label.setMinimumWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Likelihood", self))
        layout.addWidget(self.likelihood)
        layout.addSpacing(8)
        layout.addWidget(QLabel("Impact", self))
        layout.addWidget(self.impact)
        layout.addSpacing(8)
        layout.addWidget(self.score_label)
        layout.addStretch(1)
        self._update()

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        # The range is the validation: a score outside 1–5 cannot be typed at all.
        spin.setRange(1, 5)
        spin.setValue(3)
        spin.setAccessibleName(name)
        spin.valueChanged.connect(self._update)
        return spin

    def set_values(self, likelihood: int, impact: int) -> None:
        self.likelihood.setValue(likelihood)
        self.impact.setValue(impact)

    def values(self) -> tuple[int, int]:
        return self.likelihood.value(), self.impact.value()

    @property
    def score(self) -> int:
        return self.likelihood.value() * self.impact.value()

    def _update(self) -> None:
        rag = self._thresholds.rag(self.score)
        background, foreground = STRONG[rag]
        self.score_label.setText(f"= {self.score}  {rag.label}")
        self.score_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground}; font-weight: bold;"
            " border-radius: 3px; padding: 2px 8px; }"
        )
        self.changed.emit()
