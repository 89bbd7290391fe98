"""The national threat level as a coloured band that always carries the level's name.

Colour helps at a glance, but it is never the only signal: the text says the level, so the
badge works for people who cannot tell the colours apart and on a greyscale printout.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from prevent_desktop.domain.threat import ThreatLevel

# (background, text) per level, chosen for at least 4.5:1 contrast between them.
BAND_COLOURS: dict[ThreatLevel, tuple[str, str]] = {
    ThreatLevel.CRITICAL: ("#6d0a0a", "#ffffff"),
    ThreatLevel.SEVERE: ("#c62828", "#ffffff"),
    ThreatLevel.SUBSTANTIAL: ("#ef6c00", "#000000"),
    ThreatLevel.MODERATE: ("#fbc02d", "#000000"),
    ThreatLevel.LOW: ("#2e7d32", "#ffffff"),
}
_UNKNOWN_COLOURS = ("#9e9e9e", "#000000")


class ThreatLevelBadge(QPushButton):
    """Shows one level. In the status bar it is a button that opens the threat level dialog;
    elsewhere `set_interactive(False)` makes it a plain label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level: ThreatLevel | None = None
        self._interactive = True
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._apply_style()

    @property
    def level(self) -> ThreatLevel | None:
        return self._level

    def set_level(self, level: ThreatLevel | None) -> None:
        self._level = level
        self.setText(level.label if level else "—")
        self.setAccessibleName(f"National threat level: {level.label}" if level else "")
        self._apply_style()

    def set_interactive(self, interactive: bool) -> None:
        self._interactive = interactive
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if interactive else Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not interactive)
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if interactive else Qt.CursorShape.ArrowCursor
        )
        self._apply_style()

    def _apply_style(self) -> None:
        background, foreground = BAND_COLOURS[self._level] if self._level else _UNKNOWN_COLOURS
        # The focus ring matters for keyboard users; a hover outline shows it can be clicked.
        hover = "QPushButton:hover { border-color: palette(highlight); }"
        self.setStyleSheet(
            f"QPushButton {{ background-color: {background}; color: {foreground};"
            " font-weight: bold; letter-spacing: 1px; border: 2px solid transparent;"
            " border-radius: 4px; padding: 3px 12px; }"
            " QPushButton:focus { border-color: palette(highlight); }"
            + (f" {hover}" if self._interactive else "")
        )
