"""The recovery key, shown to a manager only after they re-enter their passphrase.

The key opens the database in any SQLCipher 4 tool, so it is handled like the database
itself: shown only on request, dropped from memory when the dialog closes. The key panel
(copy with clipboard clearing, print, save) is the setup wizard's, so both read the same.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from prevent_desktop.services.site import SiteView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.recovery_key_dialog_ui import Ui_RecoveryKeyDialog
from prevent_desktop.ui.recovery_key_sheet import DATABASE_SHEET, SAFEGUARDING_SHEET
from prevent_desktop.ui.worker import DatabaseWorker


class RecoveryKeyDialog(QDialog):
    """The database recovery key (managers)."""

    sheet = DATABASE_SHEET

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_RecoveryKeyDialog()
        self.ui.setupUi(self)
        self.ui.keyPanel.sheet = self.sheet
        self._worker = worker
        self._workspace = workspace
        self._message = FormMessage(self.ui.errorLabel)
        self._key = ""
        self._site: SiteView | None = None

        self._show_button = self.ui.buttonBox.addButton(
            "&Show the key", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._show_button.setDefault(True)
        self._show_button.setEnabled(False)
        self._show_button.clicked.connect(self._reveal)
        self.ui.passphraseEdit.textChanged.connect(
            lambda text: self._show_button.setEnabled(bool(text))
        )
        self.ui.passphraseEdit.returnPressed.connect(self._reveal)

        self.ui.warningLabel.setText(f"<b>Keep this key safe.</b> {self.sheet.keep_it_safe}")
        self.ui.pages.setCurrentWidget(self.ui.confirmPage)

    @property
    def key(self) -> str:
        return self._key

    def _reveal(self) -> None:
        passphrase = self.ui.passphraseEdit.text()
        if not passphrase:
            return
        self._message.clear()
        workspace = self._workspace
        self.setEnabled(False)
        self._worker.submit(
            lambda _task: (self.reveal(workspace, passphrase), workspace.site.site()),
            self._revealed,
            self._message.failure_handler(self, after=self._refused),
            parent_widget=self,
        )

    @staticmethod
    def reveal(workspace: Workspace, passphrase: str) -> str:
        """Runs on the worker: the key, once the passphrase is proven."""
        return workspace.recovery_key(passphrase)

    def _refused(self) -> None:
        self.setEnabled(True)
        self.ui.passphraseEdit.selectAll()
        self.ui.passphraseEdit.setFocus()

    def _revealed(self, result: tuple[str, SiteView]) -> None:
        self.setEnabled(True)
        self._key, self._site = result
        self.ui.passphraseEdit.clear()
        site_name = f"{self._site.name} ({self._site.code})" if self._site.code else self._site.name
        self.ui.keyPanel.set_key(self._key, site_name, self._workspace.database.path)
        self.ui.pages.setCurrentWidget(self.ui.keyPage)
        self._show_button.hide()
        close = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText("&Close")

    def done(self, result: int) -> None:
        # Drop the key from memory the moment the dialog closes, whatever closed it.
        self._key = ""
        self.ui.keyPanel.set_key("", "", self._workspace.database.path)
        super().done(result)


class SafeguardingRecoveryKeyDialog(RecoveryKeyDialog):
    """The safeguarding recovery key (safeguarding leads who hold the key)."""

    sheet = SAFEGUARDING_SHEET

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(worker, workspace, parent)
        self.setWindowTitle("Prevent Desktop — Safeguarding recovery key")
        self.ui.confirmIntroLabel.setText(
            "The safeguarding recovery key gives a safeguarding lead back access to the concern "
            "log's confidential details if no lead can sign in. Print it and keep it sealed. "
            "Enter your own passphrase to show it."
        )

    @staticmethod
    def reveal(workspace: Workspace, passphrase: str) -> str:
        return workspace.safeguarding.show(passphrase)
