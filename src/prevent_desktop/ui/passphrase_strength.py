"""A live passphrase strength meter: a coloured bar, a word for the strength, and what to fix.

The judgement itself is `domain.passphrase.assess`, the same rule the services enforce, so the
meter never calls acceptable what the service would then refuse.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from prevent_desktop.domain.passphrase import Strength, assess
from prevent_desktop.ui.palette import is_dark

# One colour per score (0 very weak .. 4 very strong), dark enough to read on white; and the
# same hues lightened for a dark window. The word beside the bar carries the verdict.
SCORE_COLOURS = ("#b3261e", "#c75000", "#9a6a00", "#2e7d32", "#1b5e20")
SCORE_COLOURS_ON_DARK = ("#ffb4ab", "#ffb77c", "#f2c94c", "#8fd694", "#a5e0a9")


def score_colour(score: int) -> str:
    return (SCORE_COLOURS_ON_DARK if is_dark() else SCORE_COLOURS)[score]


class PassphraseStrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("strengthBar")
        self.bar.setRange(0, 5)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel(self)
        self.label.setObjectName("strengthLabel")
        self.label.setMinimumWidth(130)
        self.advice = QLabel(self)
        self.advice.setObjectName("strengthAdvice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        # Room for the verdict and two lines of advice from the start: the texts appear as the
        # person types, and a dialog laid out while they were empty would clip them.
        lines = self.advice.fontMetrics().lineSpacing()
        self.label.setMinimumHeight(self.label.fontMetrics().height() + 2)
        self.advice.setMinimumHeight(2 * lines + 2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.advice)
        self.strength: Strength | None = None
        self.update_for("")
        # The whole meter keeps that height too: forms that lay out by height-for-width
        # otherwise squeeze it back to one line.
        self.setMinimumHeight(layout.sizeHint().height())

    def update_for(self, passphrase: str) -> Strength | None:
        """Show the strength of `passphrase`; None (and an empty meter) while it is empty."""
        if not passphrase:
            self.strength = None
            self.bar.setValue(0)
            self.label.setText("")
            self.advice.setText("")
            return None
        strength = assess(passphrase)
        self.strength = strength
        colour = score_colour(strength.score)
        self.bar.setValue(strength.score + 1)
        self.bar.setStyleSheet(
            "QProgressBar { border: 1px solid palette(mid); border-radius: 3px;"
            " background: palette(base); }"
            f" QProgressBar::chunk {{ background: {colour}; border-radius: 2px; }}"
        )
        self.label.setText(f"<span style='color: {colour};'><b>{strength.label}</b></span>")
        if strength.problems:
            self.advice.setText(" ".join(strength.problems))
        elif strength.score < 4:
            self.advice.setText("Acceptable. Another word would make it stronger still.")
        else:
            self.advice.setText("A strong passphrase.")
        return strength

    @property
    def acceptable(self) -> bool:
        return self.strength is not None and self.strength.acceptable
