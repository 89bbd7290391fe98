"""The register dialogs' 1–5 score pair. (The UK date field lives in ui.date_widgets.)"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.ui.rag_band import STRONG


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
        self.setFocusProxy(self.likelihood)  # the row label's Alt+letter lands in the pair
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
