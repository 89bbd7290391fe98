"""Any user changes their own passphrase, proving the current one first.

When "remember on this computer" holds this user's old key-encryption key, it would stop
working the moment the slot changes; so the keychain entry is replaced with the new one, or
forgotten if the keychain refuses, never left stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain, KeychainError
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.change_passphrase_dialog_ui import Ui_ChangePassphraseDialog
from prevent_desktop.ui.worker import DatabaseWorker


@dataclass(frozen=True)
class PassphraseChanged:
    """What happened to the keychain entry, for the confirmation the user sees."""

    keychain_note: str = ""


def change_own_passphrase(
    workspace: Workspace, keychain: Keychain, current: str, new_passphrase: str
) -> PassphraseChanged:
    """Runs on the worker: the slot change, then the keychain (which may block on D-Bus)."""
    kek = workspace.users.change_own_passphrase(current, new_passphrase)
    database_id = workspace.database.database_id
    login = workspace.actor.login
    if keychain.recall(database_id, login) is None:
        return PassphraseChanged()
    try:
        keychain.remember(database_id, login, kek)
    except KeychainError as error:
        keychain.forget(database_id, login)
        return PassphraseChanged(f"This computer no longer remembers your sign-in: {error.message}")
    return PassphraseChanged("This computer still remembers your sign-in.")


class ChangePassphraseDialog(QDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        keychain: Keychain,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ChangePassphraseDialog()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._keychain = keychain
        self._message = FormMessage(self.ui.errorLabel)
        self.result_note: str | None = None  # set once the change has been made

        self._save_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        self._save_button.setText("&Change passphrase")
        self.ui.currentEdit.textChanged.connect(self._update_save_button)
        self.ui.passphraseFields.acceptable_changed.connect(self._update_save_button)
        self._save_button.clicked.connect(self._save)
        self._update_save_button()

    def _update_save_button(self) -> None:
        self._save_button.setEnabled(
            bool(self.ui.currentEdit.text()) and self.ui.passphraseFields.is_acceptable()
        )

    def _save(self) -> None:
        self._message.clear()
        current = self.ui.currentEdit.text()
        new_passphrase = self.ui.passphraseFields.passphrase()
        if current == new_passphrase:
            self._message.error("The new passphrase is the same as the current one.")
            return
        workspace, keychain = self._workspace, self._keychain
        self.setEnabled(False)
        self._worker.submit(
            lambda _task: change_own_passphrase(workspace, keychain, current, new_passphrase),
            self._changed,
            self._message.failure_handler(self, after=self._failed),
            parent_widget=self,
        )

    def _failed(self) -> None:
        self.setEnabled(True)
        self.ui.currentEdit.selectAll()
        self.ui.currentEdit.setFocus()

    def _changed(self, outcome: PassphraseChanged) -> None:
        self.setEnabled(True)
        self.ui.currentEdit.clear()
        self.ui.passphraseFields.clear()
        self.result_note = " ".join(
            part for part in ("Your passphrase has been changed.", outcome.keychain_note) if part
        )
        self.accept()
