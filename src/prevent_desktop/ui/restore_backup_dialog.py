"""Restoring the latest automatic backup, offered by the unlock window when the database will
not open (damaged pages, a truncated file, a lost key file or journal).

The same as `prevent-desktop restore --latest`: a manager signs in to the *backup* (with the
passphrase they had when it was made); the backup is copied beside the database and checked
in full before it replaces anything, and the file it replaces is kept, renamed, beside it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.ui.worker import DatabaseWorker
from prevent_desktop.ui.worker_dialog import WorkerDialog

if TYPE_CHECKING:
    from prevent_desktop.services.restore import RestoreOffer


KEY_FILE_LOST = (
    '<br><br><b>Only the key file is missing or damaged?</b> Then "Use the recovery key…" '
    "in the unlock window gets everyone back in without losing anything: prefer it."
)


class RestoreBackupDialog(WorkerDialog):
    """Emits `restored(kept path or None)` and accepts once the backup is in place."""

    restored = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        db_path: Path,
        offer: RestoreOffer,
        logins: Sequence[str] = (),
        login: str = "",
        *,
        key_file_lost: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Checking and restoring the backup…", parent)
        self.setObjectName("RestoreBackupDialog")
        self.setWindowTitle("Prevent Desktop — Restore the latest backup")
        self._worker = worker
        self._db_path = Path(db_path)
        self._offer = offer

        when = f" made on <b>{html.escape(offer.made)}</b>" if offer.made else ""
        self.intro_label = QLabel(
            f"Replace <b>{html.escape(self._db_path.name)}</b> with the automatic backup{when}."
            "<br><br>Anything recorded after the backup was made is lost. The file it replaces "
            "is kept beside it, renamed, so nothing is destroyed.<br><br>A manager signs in "
            "to the backup, with the passphrase they had when it was made. The backup is "
            "checked in full before anything is replaced."
            + (KEY_FILE_LOST if key_file_lost else ""),
            self,
        )
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)
        self.file_label = QLabel(html.escape(str(offer.backup)), self)
        self.file_label.setWordWrap(True)
        self.file_label.setStyleSheet("color: palette(placeholder-text);")

        self.user_combo = self._manager_combo(logins, login)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("passphraseEdit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        user_label = QLabel("&Manager:", self)
        user_label.setBuddy(self.user_combo)
        passphrase_label = QLabel("&Passphrase:", self)
        passphrase_label.setBuddy(self.passphrase_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(user_label, self.user_combo)
        form.addRow(passphrase_label, self.passphrase_edit)

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.button_box.addButton(
            "&Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.button_box.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore)
        self.passphrase_edit.returnPressed.connect(self.restore)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.file_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(self.busy_row)
        layout.addStretch(1)
        layout.addWidget(self.button_box)
        self.setMinimumWidth(460)
        self.user_combo.currentTextChanged.connect(self._update_restore_button)
        self.passphrase_edit.textChanged.connect(self._update_restore_button)
        self._set_busy(False)
        self.passphrase_edit.setFocus()

    def restore(self) -> None:
        if self._busy or not self._ready():
            return
        from prevent_desktop.ui.unlock_tasks import restore_latest_backup

        self._message.clear()
        db_path, offer = self._db_path, self._offer
        login = self.user_combo.currentText().strip()
        passphrase = self.passphrase_edit.text()
        self._set_busy(True)
        self._worker.submit(
            lambda _ctx: restore_latest_backup(db_path, offer, login, passphrase),
            self._done,
            self._failed,
            parent_widget=self,
        )

    def _done(self, kept: Path | None) -> None:
        self._set_busy(False)
        self.restored.emit(kept)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.passphrase_edit.clear()
        self._report(error)
        self.passphrase_edit.setFocus()

    def _ready(self) -> bool:
        return bool(self.user_combo.currentText().strip() and self.passphrase_edit.text())

    def _update_restore_button(self, *_args: object) -> None:
        self.restore_button.setEnabled(not self._busy and self._ready())

    def _set_busy(self, busy: bool) -> None:
        self._show_busy(busy)
        for widget in (self.user_combo, self.passphrase_edit):
            widget.setEnabled(not busy)
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        self._update_restore_button()

    def done(self, result: int) -> None:
        self.passphrase_edit.clear()  # the passphrase should not outlive the dialog
        super().done(result)
