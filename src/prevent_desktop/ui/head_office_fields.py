"""The fields of Site ▸ Settings ▸ Head office: head office's public key and what the
quarterly return carries of the concern log. Managers only (the service refuses anyone else).

The key field checks a pasted key as it is typed, so a key cut short on the way from head
office is caught here rather than at the export; `HeadOfficeKeyField` is also the quarterly
export wizard's field for a key that is not set yet, and with `ConcernPolicyBox` the Settings
dialog's Head office page.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.errors import ValidationError
from prevent_desktop.services.quarterly_export import (
    POLICIES,
)
from prevent_desktop.sync.device import checked_recipient
from prevent_desktop.ui.styles import FIELD_HINT_STYLE, NOTE_STYLE

POLICY_NOTE = (
    "Only a safeguarding lead holding safeguarding access can send concern records. When a "
    "manager who is not a lead makes the export, head office receives statistics only."
)


# "Head office's &public key" and "&Save" have P and S.
POLICY_MNEMONICS = {"pseudonymised": "o", "full": "u", "statistics": "t"}


EMPTY_KEY_HINT = "It begins age1 and is 62 characters long; head office gives it to each site."


def with_mnemonic(text: str, letter: str) -> str:
    """`text` with its first `letter` (any case) marked as the Alt+letter key."""
    at = text.lower().find(letter) if letter else -1
    return text if at < 0 else f"{text[:at]}&{text[at:]}"


def key_problem(text: str) -> str | None:
    """Why `text` is not a public key, or None when it is one (or is empty)."""
    if not text.strip():
        return None
    try:
        checked_recipient(text)
    except ValidationError as error:
        return error.message
    return None


class HeadOfficeKeyField(QWidget):
    """A line to paste head office's public key into, with a line saying whether it is one."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setPlaceholderText("age1…  (head office gives it to you)")
        self.edit.setAccessibleName("Head office's public key")
        self.edit.setClearButtonEnabled(True)
        # Wide enough for a whole key (62 characters): one cut short shows at a glance.
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("a" * 66))
        self.check_label = QLabel(EMPTY_KEY_HINT, self)
        self.check_label.setWordWrap(True)
        self.check_label.setStyleSheet(NOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.check_label)
        self.edit.textChanged.connect(self._check)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.edit.setCursorPosition(0)

    def is_valid(self) -> bool:
        return bool(self.text()) and key_problem(self.text()) is None

    def _check(self) -> None:
        problem = key_problem(self.edit.text())
        if not self.text():
            self.check_label.setStyleSheet(NOTE_STYLE)
            self.check_label.setText(EMPTY_KEY_HINT)
        elif problem is None:
            self.check_label.setStyleSheet(NOTE_STYLE)
            self.check_label.setText("✓ A public key in the right form.")
        else:
            self.check_label.setStyleSheet(FIELD_HINT_STYLE)
            self.check_label.setText(f"⚠ {problem}")
        self.edited.emit()


class ConcernPolicyBox(QGroupBox):
    """The choice of what head office receives of the concern log, one radio button a policy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What head office receives of the concern log", parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        for name, description in POLICIES.items():
            text = with_mnemonic(description, POLICY_MNEMONICS.get(name, ""))
            button = QRadioButton(text, self)
            button.setObjectName(f"policy_{name}")
            button.setAccessibleName(description)
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        note = QLabel(POLICY_NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        layout.addWidget(note)

    def chosen(self) -> str:
        return next(name for name, button in self.buttons.items() if button.isChecked())

    def choose(self, policy: str) -> None:
        self.buttons[policy].setChecked(True)
