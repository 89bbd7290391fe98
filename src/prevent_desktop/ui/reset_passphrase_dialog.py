"""A manager sets a new passphrase for someone who forgot theirs, or who is being reactivated
(deactivation removed their passphrase, so they need a new one to sign in again)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.reset_passphrase_dialog_ui import Ui_ResetPassphraseDialog
from prevent_desktop.ui.last_holder import retry_when_confirmed
from prevent_desktop.ui.worker import DatabaseWorker


class ResetPassphraseDialog(QDialog):
    """Emits `changed(ChangeSet)` and accepts once the new passphrase is in place."""

    changed = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        user: UserView,
        *,
        reactivate: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ResetPassphraseDialog()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._user = user
        self._reactivate = reactivate
        self._message = FormMessage(self.ui.errorLabel)
        self.done_message = ""  # what the users dialog says once this has saved
        self._save_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)

        who = f"{user.display_name} ({user.login})"
        if reactivate:
            self.setWindowTitle(f"Prevent Desktop — Reactivate {user.display_name}")
            self._save_button.setText("&Reactivate")
            self.ui.introLabel.setText(
                f"{who} was deactivated, which removed their passphrase. Choose a new one to "
                "let them sign in again, and give it to them in person."
            )
        else:
            self.setWindowTitle(f"Prevent Desktop — Reset passphrase for {user.display_name}")
            self._save_button.setText("&Reset passphrase")
            self.ui.introLabel.setText(
                f"Choose a new passphrase for {who} and give it to them in person. Their old "
                "passphrase stops working at once; they can change the new one after signing in."
            )
        self._save_button.setEnabled(False)
        self.ui.passphraseFields.acceptable_changed.connect(self._save_button.setEnabled)
        self._save_button.clicked.connect(self._save)

    def _save(self, force_last_holder: bool = False) -> None:
        self._message.clear()
        users = self._workspace.users
        user_id = self._user.id
        passphrase = self.ui.passphraseFields.passphrase()
        reactivate = self._reactivate

        def write(_task: object) -> ChangeSet:
            # Reactivating without a passphrase would leave someone active who cannot sign in;
            # the passphrase goes in straight after, in the same task.
            if reactivate:
                users.set_active(user_id, True)
            return users.reset_passphrase(user_id, passphrase, force_last_holder=force_last_holder)

        self.setEnabled(False)
        self._worker.submit(
            write,
            self._saved,
            retry_when_confirmed(
                self,
                lambda: self._save(force_last_holder=True),
                self._message.failure_handler(self, after=self._failed),
            ),
            parent_widget=self,
        )

    def _failed(self) -> None:
        self.setEnabled(True)
        if self._reactivate:
            # The reactivation may have gone through before the passphrase failed.
            self.changed.emit(ChangeSet("user", "update", (self._user.id,)))

    def _saved(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        name = self._user.display_name
        self.done_message = (
            f"{name} was reactivated with a new passphrase."
            if self._reactivate
            else f"{name}'s passphrase was reset."
        )
        self.changed.emit(change)
        self.accept()
