"""The fields of settings that two dialogs show: the training due-soon window (Training
settings and Site ▸ Settings ▸ Reminders) and the concern retention rule (Concern log
settings and Site ▸ Settings ▸ Retention). One builder each, with the ranges the domain
accepts, so the two places can never disagree."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from prevent_desktop.domain.concern import YEARS_AFTER_BIRTH_RANGE, YEARS_AFTER_CLOSURE_RANGE
from prevent_desktop.domain.training import DUE_SOON_RANGE


def due_soon_spin(parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(*DUE_SOON_RANGE)
    spin.setSuffix(" days")
    spin.setAccessibleName("Training due-soon window in days")
    spin.setMaximumWidth(160)
    return spin


def retention_spins(parent: QWidget) -> tuple[QSpinBox, QSpinBox]:
    """Years after the date of birth, and years after closure without one."""
    birth = _years(parent, YEARS_AFTER_BIRTH_RANGE, "Years after the date of birth")
    closure = _years(
        parent, YEARS_AFTER_CLOSURE_RANGE, "Years after closure, without a date of birth"
    )
    return birth, closure


def _years(parent: QWidget, allowed: tuple[int, int], name: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(*allowed)
    spin.setSuffix(" years")
    spin.setAccessibleName(name)
    spin.setMaximumWidth(160)
    return spin
