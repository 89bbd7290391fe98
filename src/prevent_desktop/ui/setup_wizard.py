"""The first-launch wizard: site, first manager, passphrase, then the recovery key; or, for a
second laptop of a site, the pairing file, code, user and passphrase, then the recovery key.

The database is created (on the worker) when the passphrase page, or the join page, is
committed; from then on there is no going back, and the last page will not finish until the
user confirms that the recovery key is printed or stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from prevent_desktop.errors import KnownError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.setup_pages import (
    ManagerPage,
    RecoveryKeyPage,
    SitePage,
    WelcomePage,
    note_label,
)
from prevent_desktop.ui.styles import ERROR_STYLE
from prevent_desktop.ui.sync_join_page import JoinPage
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

logger = logging.getLogger(__name__)


@dataclass
class NewDatabase:
    workspace: Workspace
    recovery_key: str


def create_database(
    db_path: Path,
    *,
    site_name: str,
    site_code: str,
    login: str,
    full_name: str,
    passphrase: str,
    safeguarding_lead: bool,
) -> NewDatabase:
    """Runs on the worker."""
    workspace = Workspace.create_site(
        db_path,
        site_name=site_name,
        site_code=site_code,
        login=login,
        display_name=full_name,
        passphrase=passphrase,
        safeguarding_lead=safeguarding_lead,
    )
    return NewDatabase(workspace, workspace.database.recovery_key())


class PassphrasePage(QWizardPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Passphrase")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Create database")
        # The same fields (and meter) as every other place a passphrase is chosen.
        self.fields = NewPassphraseFields(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(8)
        self.busy_label = QLabel("Creating the encrypted database…", self)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_bar)
        busy_row.addWidget(self.busy_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note_label(
                "Use three or four unrelated words: long is better than clever. You type it "
                "at every unlock. If it is ever forgotten, the recovery key on the next page "
                "is the way back in.",
                self,
            )
        )
        layout.addSpacing(6)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        layout.addLayout(busy_row)
        layout.addWidget(self.error_label)
        self.fields.passphrase_edit.textChanged.connect(self._changed)
        self.fields.repeat_edit.textChanged.connect(self._changed)
        self._busy = False
        self._created: NewDatabase | None = None
        self._set_busy(False)
        self.error_label.hide()

    def initializePage(self) -> None:
        self.setSubTitle(f"The passphrase {self.field('login')} will unlock Prevent Desktop with.")

    def _changed(self) -> None:
        self.error_label.hide()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._busy and self.fields.is_acceptable()

    def validatePage(self) -> bool:
        if self._created is not None:
            return True
        if self._busy or not self.isComplete():
            return False
        self._set_busy(True)
        wizard = self._wizard
        site_name = str(self.field("siteName")).strip()
        site_code = str(self.field("siteCode")).strip().upper()
        login = str(self.field("login")).strip()
        full_name = str(self.field("fullName")).strip()
        passphrase = self.fields.passphrase()
        safeguarding_lead = bool(self.field("isLead"))
        db_path = wizard.db_path
        wizard.worker.submit(
            lambda _ctx: create_database(
                db_path,
                site_name=site_name,
                site_code=site_code,
                login=login,
                full_name=full_name,
                passphrase=passphrase,
                safeguarding_lead=safeguarding_lead,
            ),
            self._done,
            self._failed,
            parent_widget=self,
        )
        return False

    def _done(self, created: NewDatabase) -> None:
        logger.info("Created database %s", created.workspace.database.database_id)
        self._created = created
        self._set_busy(False)
        self.fields.clear()
        self._wizard.database_created(created, str(self.field("siteName")).strip())
        self._wizard.next()

    def forget_created(self) -> None:
        self._created = None

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, KnownError):
            self.error_label.setText(error.message)
            self.error_label.show()
        else:
            report_failure(error, self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.fields.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        wizard = self.wizard()
        if wizard is not None:
            for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
                wizard.button(button).setEnabled(not busy)
        self.completeChanged.emit()


class SetupWizard(QWizard):
    created = Signal(object)  # the signed-in Workspace of the new database

    def __init__(
        self, worker: DatabaseWorker, db_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.db_path = Path(db_path)
        self._new: NewDatabase | None = None
        self._confirming_close: QMessageBox | None = None
        self.setObjectName("setupWizard")
        self.setWindowTitle("Prevent Desktop — Set up")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(680, 540)
        self.welcome_page = WelcomePage(self.db_path, self)
        self.site_page = SitePage(self)
        self.manager_page = ManagerPage(self)
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryKeyPage(self)
        self.join_page = JoinPage(worker, self.db_path, self._joined, self)
        for page in (
            self.welcome_page,
            self.site_page,
            self.manager_page,
            self.passphrase_page,
        ):
            self.addPage(page)
        self._recovery_id = self.addPage(self.recovery_page)
        self._join_id = self.addPage(self.join_page)

    def nextId(self) -> int:
        # Two paths meet at the recovery key: welcome -> site -> manager -> passphrase, or
        # welcome -> join; the key is the last page of both.
        page = self.currentPage()
        if page is self.welcome_page and self.welcome_page.joining():
            return self._join_id
        if page is self.join_page:
            return self._recovery_id
        if page is self.recovery_page:
            return -1
        return int(super().nextId())

    def _joined(self, workspace: Workspace, recovery_key: str, site_name: str) -> None:
        self.database_created(NewDatabase(workspace, recovery_key), site_name)

    def database_created(self, new: NewDatabase, site_name: str) -> None:
        self._new = new
        self.recovery_page.panel.set_key(new.recovery_key, site_name, self.db_path)

    @property
    def workspace(self) -> Workspace | None:
        return self._new.workspace if self._new else None

    def accept(self) -> None:
        if self._new is None:
            return
        # The main window opens before this one closes, so Qt never sees "no windows left".
        workspace = self._new.workspace
        self._forget_recovery_key()
        self.created.emit(workspace)
        super().accept()

    def _forget_recovery_key(self) -> None:
        # The key is shown once; keep no copy in this (hidden) window after it closes.
        self._new = None
        self.passphrase_page.forget_created()
        self.join_page.forget_joined()
        self.recovery_page.panel.clear()

    def reject(self) -> None:
        if self.passphrase_page._busy or self.join_page.busy:
            return  # creating takes a moment; closing half-way would leave the user unsure
        if self._new is None:
            super().reject()
            return
        if self._confirming_close is not None:
            return
        # The database exists now: make sure leaving without the key is a decision.
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Prevent Desktop — Set up",
            "The database has been created. Close without confirming that the recovery key "
            "is printed or stored? A manager can show it again later.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        close = box.addButton("Close anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
        self._confirming_close = box
        box.finished.connect(lambda _r: self._close_confirmed(box.clickedButton() is close))
        box.open()

    def _close_confirmed(self, close: bool) -> None:
        box, self._confirming_close = self._confirming_close, None
        if box is not None:
            box.deleteLater()
        if close and self._new is not None:
            workspace = self._new.workspace
            self._forget_recovery_key()
            self.worker.submit(lambda _ctx: workspace.close(), lambda _none: None)
            super().reject()
