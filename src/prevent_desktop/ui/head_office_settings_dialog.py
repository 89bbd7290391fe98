"""Site ▸ Head office settings: head office's public key and what the quarterly return carries
of the concern log. Managers only (the service refuses anyone else).

The key field checks a pasted key as it is typed, so a key cut short on the way from head
office is caught here rather than at the export; `HeadOfficeKeyField` is also the quarterly
export wizard's field for a key that is not set yet.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.quarterly_export import (
    CONCERN_POLICY_SETTING,
    HEAD_OFFICE_KEY_SETTING,
    POLICIES,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.device import checked_recipient
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.styles import FIELD_HINT_STYLE, NOTE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker

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


class HeadOfficeSettingsDialog(QDialog):
    """Emits `changed(ChangeSet)` and accepts once saved."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("headOfficeSettingsDialog")
        self.setWindowTitle("Prevent Desktop — Head office settings")
        self._worker = worker
        self._quarterly = workspace.quarterly
        self._saved_key: str | None = None
        self._saved_policy = ""
        self.loaded = False

        intro = QLabel(
            "Each quarter the site sends head office a return (Sync ▸ Quarterly export to "
            "head office…). It is encrypted to head office's public key, so only head office "
            "can open it. Head office gives the key to each site: paste it here once.",
            self,
        )
        intro.setWordWrap(True)
        self.key_field = HeadOfficeKeyField(self)
        key_label = QLabel("Head office's &public key:", self)
        key_label.setBuddy(self.key_field.edit)
        form = QFormLayout()
        form.addRow(key_label, self.key_field)

        self.policy_box = QGroupBox("What head office receives of the concern log", self)
        self.policy_group = QButtonGroup(self)
        self.policy_buttons: dict[str, QRadioButton] = {}
        policy_layout = QVBoxLayout(self.policy_box)
        for name, description in POLICIES.items():
            text = with_mnemonic(description, POLICY_MNEMONICS.get(name, ""))
            button = QRadioButton(text, self.policy_box)
            button.setObjectName(f"policy_{name}")
            self.policy_group.addButton(button)
            self.policy_buttons[name] = button
            policy_layout.addWidget(button)
        note = QLabel(POLICY_NOTE, self.policy_box)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        policy_layout.addWidget(note)

        message = QLabel(self)
        message.setWordWrap(True)
        self._message = FormMessage(message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)  # until the current settings have been read
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.key_field.edited.connect(self._message.clear)

        layout = QVBoxLayout(self)
        # Grows the dialog when a longer message appears under the key, instead of clipping.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.policy_box)
        layout.addWidget(message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(self.sizeHint())

        quarterly = self._quarterly
        worker.submit(
            lambda _task: (quarterly.head_office_key(), quarterly.concern_policy()),
            self._show,
            parent_widget=self,
        )

    def _show(self, loaded: tuple[str | None, str]) -> None:
        key, policy = loaded
        self._saved_key, self._saved_policy = key, policy
        self.key_field.set_text(key or "")
        self.policy_buttons[policy].setChecked(True)
        self.save_button.setEnabled(True)
        self.loaded = True

    def chosen_policy(self) -> str:
        return next(name for name, button in self.policy_buttons.items() if button.isChecked())

    def _save(self) -> None:
        if not self.loaded:
            return
        key, policy = self.key_field.text(), self.chosen_policy()
        problem = key_problem(key)
        if problem is not None:
            self._message.error(problem)
            self.key_field.edit.setFocus()
            return
        if not key and self._saved_key:
            self._message.error(
                "Head office's public key cannot be removed, only replaced: paste the new one."
            )
            return
        new_key = key if key and key != self._saved_key else None
        new_policy = policy if policy != self._saved_policy else None
        if new_key is None and new_policy is None:
            self.accept()
            return
        quarterly = self._quarterly
        self.save_button.setEnabled(False)

        def save(_task: object) -> None:
            if new_key is not None:  # first: a refused key leaves the policy unchanged too
                quarterly.set_head_office_key(new_key)
            if new_policy is not None:
                quarterly.set_concern_policy(new_policy)

        settings = tuple(
            setting
            for setting, value in (
                (HEAD_OFFICE_KEY_SETTING, new_key),
                (CONCERN_POLICY_SETTING, new_policy),
            )
            if value is not None
        )
        self._worker.submit(
            save,
            lambda _none: self._saved(settings),
            self._message.failure_handler(self, lambda: self.save_button.setEnabled(True)),
            parent_widget=self,
        )

    def _saved(self, settings: tuple[str, ...]) -> None:
        self.changed.emit(ChangeSet("setting", "update", settings))
        self.accept()
