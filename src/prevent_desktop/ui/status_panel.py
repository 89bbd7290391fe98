"""The main window's status bar: which site, who is signed in, and the national threat level.

These stay in view permanently: whoever glances at the screen should see whose records these
are, under whose name changes will be logged, and the level that shapes the site's plans.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from prevent_desktop.services.context import Actor
from prevent_desktop.services.site import SiteView, ThreatLevelEntry
from prevent_desktop.ui.elided_label import ElidedLabel
from prevent_desktop.ui.threat_history_model import DATE_FORMAT
from prevent_desktop.ui.threat_level_badge import ThreatLevelBadge


def _separator(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class StatusPanel(QWidget):
    """`threat_level_clicked` fires when the badge is clicked (or pressed with the keyboard)."""

    threat_level_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Shortened with "…" when the window is narrow (a small screen at 200%), never
        # pushing the window wider than the screen; the whole text is in the tooltip.
        self.site_label = ElidedLabel("", self)
        self.site_label.setObjectName("siteLabel")
        self.user_label = ElidedLabel("", self)
        self.user_label.setObjectName("userLabel")
        self.threat_caption = QLabel("National threat level:", self)
        self.threat_badge = ThreatLevelBadge(self)
        self.threat_badge.setObjectName("threatLevelBadge")
        self.threat_since_label = QLabel(self)
        self.threat_since_label.setObjectName("threatSinceLabel")
        self.threat_caption.setBuddy(self.threat_badge)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(10)
        layout.addWidget(self.site_label)
        layout.addWidget(_separator(self))
        layout.addWidget(self.user_label)
        layout.addWidget(_separator(self))
        layout.addWidget(self.threat_caption)
        layout.addWidget(self.threat_badge)
        layout.addWidget(self.threat_since_label)
        self.threat_badge.clicked.connect(self.threat_level_clicked)
        self.clear()

    def show_site(self, site: SiteView) -> None:
        text = f"{site.name} ({site.code})" if site.code else site.name
        self.site_label.setText(f"Site: {text}")

    def show_user(self, actor: Actor) -> None:
        self.user_label.setText(f"Signed in: {actor.display_name} — {actor.role_label}")

    def show_threat_level(self, entry: ThreatLevelEntry) -> None:
        self.threat_badge.set_level(entry.level)
        self.threat_badge.setToolTip(
            f"{entry.level.label}: {entry.level.meaning}. "
            "Click to see the history or record a change."
        )
        self.threat_since_label.setText(f"since {entry.effective_on.strftime(DATE_FORMAT)}")

    def clear(self) -> None:
        self.site_label.setText("Site: …")
        self.user_label.setText("")
        self.threat_badge.set_level(None)
        self.threat_badge.setToolTip("")
        self.threat_since_label.setText("")

    def text(self) -> str:
        """Everything the panel says, for tests and accessibility checks."""
        parts = (
            self.site_label.text(),
            self.user_label.text(),
            self.threat_caption.text(),
            self.threat_badge.text(),
            self.threat_since_label.text(),
        )
        return " ".join(part for part in parts if part)
