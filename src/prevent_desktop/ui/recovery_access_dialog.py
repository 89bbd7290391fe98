"""Getting back in with the recovery key, from the unlock window: a manager who forgot their
passphrase, or a database whose key file is missing or damaged, gets a new passphrase.

The same as `prevent-desktop reset-access`. The recovery key is checked for its shape here;
whether it opens the database, and who may be reset, is for `services.access` to say, on the
database worker (the new key slot's Argon2 takes a moment). Failures are explained inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.errors import KnownError, UnknownUser, ValidationError, WrongKey
from prevent_desktop.store.keyslots import parse_recovery_key
from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.unlock_tasks import AccessReset, reset_with_recovery_key
from prevent_desktop.ui.worker import DatabaseWorker
from prevent_desktop.ui.worker_dialog import WorkerDialog

EXPLANATION = (
    "Type the recovery key from the sheet printed when this database was set up. This gives "
    "the manager a new passphrase. Other users keep theirs, unless the key file was lost."
)
KEY_FILE_LOST = (
    "The key file is missing or damaged, so a new one will be made with only this manager in "
    "it: after signing in, they can reset everyone else's passphrase."
)


class RecoveryAccessDialog(WorkerDialog):
    """Emits `access_reset(AccessReset)` and accepts once the new passphrase is in place."""

    access_reset = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        db_path: Path,
        logins: Sequence[str] = (),
        login: str = "",
        *,
        key_file_lost: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Setting the new passphrase…", parent)
        self.setObjectName("RecoveryAccessDialog")
        self.setWindowTitle("Prevent Desktop — Use the recovery key")
        self._worker = worker
        self._db_path = Path(db_path)

        intro = EXPLANATION + (f"\n\n{KEY_FILE_LOST}" if key_file_lost else "")
        self.intro_label = QLabel(intro, self)
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)

        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("recoveryKeyEdit")
        self.key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key_edit.setPlaceholderText("0000-0000-0000-0000-…  (64 digits 0-9, A-F)")
        self.key_edit.setMaxLength(200)
        # Wide enough for the whole key as the sheet prints it, so it can be checked by eye.
        whole_key = self.key_edit.fontMetrics().horizontalAdvance("-".join(["0000"] * 16))
        self.key_edit.setMinimumWidth(whole_key + 24)
        self.key_hint = QLabel(
            "Dashes and spaces are fine; upper or lower case does not matter.", self
        )
        self.key_hint.setStyleSheet(NOTE_STYLE)

        self.user_combo = self._manager_combo(logins, login)
        line_edit = self.user_combo.lineEdit()
        line_edit.setPlaceholderText("The manager's user name")

        key_label = QLabel("Recovery &key:", self)
        key_label.setBuddy(self.key_edit)
        user_label = QLabel("&Manager:", self)
        user_label.setBuddy(self.user_combo)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(key_label, self.key_edit)
        form.addRow("", self.key_hint)
        form.addRow(user_label, self.user_combo)

        self.passphrase_fields = NewPassphraseFields(self)

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.reset_button = self.button_box.addButton(
            "&Reset passphrase", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.reset_button.setDefault(True)
        self.button_box.rejected.connect(self.reject)
        self.reset_button.clicked.connect(self.reset)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_fields)
        layout.addWidget(self.error_label)
        layout.addLayout(self.busy_row)
        layout.addStretch(1)
        layout.addWidget(self.button_box)

        passphrase_form = self.passphrase_fields.layout()
        assert isinstance(passphrase_form, QFormLayout)
        _align_label_columns(form, passphrase_form)
        self.key_edit.textChanged.connect(self._update_reset_button)
        self.user_combo.currentTextChanged.connect(self._update_reset_button)
        self.passphrase_fields.acceptable_changed.connect(self._update_reset_button)
        self._set_busy(False)
        self.key_edit.setFocus()

    # ---- resetting -----------------------------------------------------------------------

    def reset(self) -> None:
        if self._busy or not self._ready():
            return
        self._message.clear()
        try:
            recovery_key = parse_recovery_key(self.key_edit.text())
        except WrongKey as error:
            self._message.error(error.message)
            self.key_edit.setFocus()
            self.key_edit.selectAll()
            return
        db_path = self._db_path
        login = self.user_combo.currentText().strip()
        passphrase = self.passphrase_fields.passphrase()
        self._set_busy(True)
        self._worker.submit(
            lambda _ctx: reset_with_recovery_key(db_path, recovery_key, login, passphrase),
            self._done,
            self._failed,
            parent_widget=self,
        )

    def _done(self, result: AccessReset) -> None:
        self._set_busy(False)
        self.access_reset.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, WrongKey):
            # The store's message names the file and "that key"; here it can be plainer.
            self._message.error(
                f"That recovery key does not open {self._db_path.name}. Check each group of "
                "four against the printed sheet for this database. If it is right, the "
                "database file itself may be damaged: restore the latest backup."
            )
        else:
            self._report(error)
        if not isinstance(error, KnownError):
            return
        if isinstance(error, WrongKey):
            focus: QWidget = self.key_edit
            self.key_edit.selectAll()
        elif isinstance(error, UnknownUser) or (
            isinstance(error, ValidationError) and "manager" in error.message
        ):
            focus = self.user_combo
            self.user_combo.lineEdit().selectAll()
        elif isinstance(error, ValidationError):
            focus = self.passphrase_fields.passphrase_edit
        else:
            focus = self.reset_button
        focus.setFocus()

    # ---- presentation --------------------------------------------------------------------

    def _ready(self) -> bool:
        return (
            bool(self.key_edit.text().strip())
            and bool(self.user_combo.currentText().strip())
            and self.passphrase_fields.is_acceptable()
        )

    def _update_reset_button(self, *_args: object) -> None:
        self.reset_button.setEnabled(not self._busy and self._ready())

    def _set_busy(self, busy: bool) -> None:
        self._show_busy(busy)
        for widget in (self.key_edit, self.user_combo, self.passphrase_fields):
            widget.setEnabled(not busy)
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        self._update_reset_button()

    def done(self, result: int) -> None:
        # The recovery key and the passphrase should not outlive the dialog in its widgets.
        self.key_edit.clear()
        self.passphrase_fields.clear()
        super().done(result)


def _align_label_columns(*forms: QFormLayout) -> None:
    """Two form layouts one above the other read as one form when their labels share a width."""
    labels = [
        item.widget()
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and item.widget() is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
