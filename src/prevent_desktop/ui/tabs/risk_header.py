"""The strip above the register: the national threat level and the RAG legend.

The threat level shapes how a site weighs its Prevent risks, so it sits beside the register
rather than only in the status bar; "History…" asks the main window for the threat level
dialog (tabs never open each other's windows).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.ui.rag_band import legend_entries, legend_html
from prevent_desktop.ui.styles import WARNING_CHIP_STYLE
from prevent_desktop.ui.tabs.risk_table_model import format_date
from prevent_desktop.ui.threat_level_badge import ThreatLevelBadge


class RiskHeader(QWidget):
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        caption = QLabel("National threat level:", self)
        self.badge = ThreatLevelBadge(self)
        self.badge.setObjectName("riskThreatBadge")
        self.badge.set_interactive(False)
        self.since_label = QLabel(self)
        self.history_button = QPushButton("His&tory…", self)  # Alt+H is the Help menu
        self.history_button.setToolTip("The threat level's history (and, for managers, a change)")
        self.legend_caption = QLabel("Residual score:", self)
        self.legend_label = QLabel(self)
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.overdue_label = QLabel(self)
        self.overdue_label.setObjectName("overdueSummary")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(caption)
        layout.addWidget(self.badge)
        layout.addWidget(self.since_label)
        layout.addWidget(self.history_button)
        layout.addSpacing(24)
        layout.addWidget(self.overdue_label)
        layout.addStretch(1)
        layout.addWidget(self.legend_caption)
        layout.addWidget(self.legend_label)
        self.history_button.clicked.connect(self.history_requested)
        self.clear()

    def show_threat_level(self, entry: ThreatLevelEntry) -> None:
        self.badge.set_level(entry.level)
        self.badge.setToolTip(f"{entry.level.label}: {entry.level.meaning}")
        self.since_label.setText(f"since {format_date(entry.effective_on)}")

    def show_legend(self, thresholds: RagThresholds) -> None:
        self.legend_label.setText(legend_html(thresholds))
        self.legend_label.setAccessibleName(
            "RAG bands: " + ", ".join(words for _rag, words in legend_entries(thresholds))
        )

    def show_overdue(self, reviews: int, actions: int) -> None:
        parts = []
        if reviews:
            parts.append(f"{reviews} review{'s' if reviews != 1 else ''} overdue")
        if actions:
            parts.append(f"{actions} action{'s' if actions != 1 else ''} overdue")
        self.overdue_label.setText(f"⚠ {', '.join(parts)}" if parts else "")
        # A tinted chip, not bare red text: bare dark red vanishes on a dark window.
        self.overdue_label.setStyleSheet(WARNING_CHIP_STYLE if parts else "")

    def legend_text(self) -> str:
        """The legend without its markup, for tests and screen readers."""
        return self.legend_label.accessibleName()

    def clear(self) -> None:
        self.badge.set_level(None)
        self.badge.setToolTip("")
        self.since_label.clear()
        self.legend_label.clear()
        self.overdue_label.clear()
