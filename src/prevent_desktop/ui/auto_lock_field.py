"""The auto-lock field of Site ▸ Settings ▸ General: after how many idle minutes the
application locks itself. The setting is the site's, so it applies to everyone who signs in
on this database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QSpinBox,
    QWidget,
)

from prevent_desktop.services.site import AUTO_LOCK_RANGE

AUTO_LOCK_NOTE = (
    "Prevent Desktop locks itself, clearing the screen and forgetting the key, when "
    "nobody has used it for this long. Ctrl+L locks it at once."
)


def minutes_spin(parent: QWidget) -> QSpinBox:
    """The idle minutes before locking, within the range the site service accepts."""
    spin = QSpinBox(parent)
    spin.setRange(*AUTO_LOCK_RANGE)
    spin.setSuffix(" minutes")
    spin.setAccessibleName("Idle minutes before locking")
    return spin
