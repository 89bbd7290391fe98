"""Light or dark: the app follows the desktop's colour scheme, and stays readable in both.

When the desktop asks for dark (QStyleHints.colorScheme), the app switches to the Fusion style
with `dark_palette()`; when it goes back to light, the style and palette it started with come
back. macOS is left alone: its own style already follows the system's appearance.

Every pair of colours here is chosen for at least 4.5:1 contrast (WCAG AA for body text), and
so is the muted "placeholder" grey that notes and hints are written in, in both schemes. Text
that carries a warning in a table or label asks `warning_colour()` for a red that reads on the
current background, rather than fixing one dark red that vanishes on a dark one.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# (role, active colour) of the dark palette.
DARK_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#202124",
    Role.WindowText: "#e8eaed",
    Role.Base: "#17181a",
    Role.AlternateBase: "#26272b",
    Role.Text: "#e8eaed",
    Role.Button: "#2d2e32",
    Role.ButtonText: "#e8eaed",
    Role.BrightText: "#ffffff",
    Role.ToolTipBase: "#2d2e32",
    Role.ToolTipText: "#e8eaed",
    Role.PlaceholderText: "#a8abb0",
    Role.Highlight: "#8ab4f8",
    Role.HighlightedText: "#0b1a33",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.Light: "#4a4b50",
    Role.Midlight: "#3a3b3f",
    Role.Mid: "#55575c",
    Role.Dark: "#111214",
    Role.Shadow: "#000000",
}
# Disabled controls are exempt from the contrast rule, but should still be legible.
DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#8a8d93",
    Role.Text: "#8a8d93",
    Role.ButtonText: "#8a8d93",
    Role.Highlight: "#3c4043",
    Role.HighlightedText: "#bdc1c6",
}
# Muted text on the light palette: the platform's default grey can fall below 4.5:1.
LIGHT_PLACEHOLDER = "#5f6368"

WARNING_ON_LIGHT = "#8a1c14"
WARNING_ON_DARK = "#ffb4ab"


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def readable_light(palette: QPalette | None = None) -> QPalette:
    """The light palette with a placeholder grey dark enough to read notes in. Without an
    argument only that role is set, so the rest keeps following the desktop's theme."""
    adjusted = QPalette(palette) if palette is not None else QPalette()
    for group in (Group.Active, Group.Inactive):
        adjusted.setColor(group, Role.PlaceholderText, QColor(LIGHT_PLACEHOLDER))
    return adjusted


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(Role.Base).lightness() < 128


def warning_colour(palette: QPalette | None = None) -> QColor:
    """Red text for a warning ("⚠ overdue"), readable on the palette's base and window."""
    return QColor(WARNING_ON_DARK if is_dark(palette) else WARNING_ON_LIGHT)


def muted_colour(palette: QPalette | None = None) -> QColor:
    """The grey of text that is secondary or superseded (still meant to be read)."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(Role.PlaceholderText)


class ColourScheme(QObject):
    """Applies the palette for the desktop's scheme now and whenever it changes."""

    def __init__(self, application: QApplication) -> None:
        super().__init__(application)
        self._application = application
        self._light_style = application.style().name()
        self.dark = False
        self.enabled = sys.platform != "darwin"
        if not self.enabled:
            return
        hints = application.styleHints()
        hints.colorSchemeChanged.connect(self.apply)
        self.apply(hints.colorScheme())

    def apply(self, scheme: Qt.ColorScheme) -> None:
        application = self._application
        dark = scheme == Qt.ColorScheme.Dark
        if dark:
            application.setStyle("Fusion")
            application.setPalette(dark_palette())
        else:
            if self.dark:  # back from dark: the style the app started with
                application.setStyle(self._light_style)
            application.setPalette(readable_light())
        self.dark = dark
        _repolish_style_sheets(application)


def _repolish_style_sheets(application: QApplication) -> None:
    """Style sheets resolve palette(...) when they are applied: apply them again."""
    for widget in application.allWidgets():
        sheet = widget.styleSheet()
        if sheet and "palette(" in sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)
