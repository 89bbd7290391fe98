"""The setup wizard's way in for a second laptop: join an existing site from the pairing file
and code made on one of its laptops (Sync ▸ Pair a new laptop…).

Like the wizard's passphrase page, this is a commit page: `Workspace.join_site` runs on the
worker when it is committed, and from then on there is no going back. What went wrong (a
mistyped code, a user who may not set up a laptop) is said on the page, with everything typed
kept, so that only the wrong field needs typing again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from prevent_desktop.errors import KnownError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

logger = logging.getLogger(__name__)

PAIRING_FILTER = "Pairing files (*.pdpair)"
CODE_EXAMPLE = "ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2"


def join_database(
    db_path: Path, pairing_file: Path, code: str, login: str, passphrase: str
) -> tuple[Workspace, str, str]:
    """Runs on the worker: the signed-in workspace, this database's recovery key, and the
    site's name."""
    workspace = Workspace.join_site(db_path, pairing_file, code, login=login, passphrase=passphrase)
    return workspace, workspace.database.recovery_key(), workspace.site.site().name


# What the wizard does with a joined database: (workspace, recovery key, site name).
Joined = Callable[[Workspace, str, str], None]


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class JoinPage(QWizardPage):
    def __init__(
        self, worker: DatabaseWorker, db_path: Path, on_joined: Joined, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._db_path = db_path
        self._on_joined = on_joined
        self.setTitle("Join an existing site")
        self.setSubTitle(
            "On the site's laptop, a manager or the safeguarding lead chose Sync ▸ Pair a new "
            "laptop…: it saved a pairing file and showed a code."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Join the site")

        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("pairingFile")
        self.file_edit.setPlaceholderText("The .pdpair file, e.g. on a USB stick")
        self.file_edit.setAccessibleName("Pairing file")
        self.choose_button = QPushButton("&Choose…", self)
        self.choose_button.setAccessibleName("Choose the pairing file")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("pairingCode")
        self.code_edit.setPlaceholderText(CODE_EXAMPLE)
        self.code_edit.setAccessibleName("Pairing code")
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code_edit.setMaxLength(64)
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("joinLogin")
        self.login_edit.setPlaceholderText("e.g. s.patel")
        self.login_edit.setAccessibleName("Your user name")
        self.login_edit.setMaxLength(64)
        self.fields = NewPassphraseFields(self)
        self.fields.passphrase_edit.setAccessibleName("New passphrase for this laptop")
        self.fields.repeat_edit.setAccessibleName("New passphrase again")

        form = QFormLayout()
        file_label = QLabel("Pairing &file:", self)
        file_label.setBuddy(self.file_edit)
        code_label = QLabel("Pairing c&ode:", self)
        code_label.setBuddy(self.code_edit)
        login_label = QLabel("&User name:", self)
        login_label.setBuddy(self.login_edit)
        form.addRow(file_label, file_row)
        form.addRow(code_label, self.code_edit)
        form.addRow(login_label, self.login_edit)
        # Below the form rather than in it: a wrapped note in a form row gets odd gaps.
        login_note = _note(
            "Your user name on the site (a manager or the safeguarding lead), and a new "
            "passphrase for this laptop: it may differ from the one on the other laptop.",
            self,
        )

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(8)
        self.busy_label = QLabel("Joining the site and creating the encrypted database…", self)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_bar)
        busy_row.addWidget(self.busy_label, 1)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("joinError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(login_note)
        layout.addSpacing(4)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        layout.addLayout(busy_row)
        layout.addWidget(self.error_label)

        for edit in (self.file_edit, self.code_edit, self.login_edit):
            edit.textChanged.connect(self._changed)
        self.code_edit.textEdited.connect(self._upper_case)
        self.fields.acceptable_changed.connect(lambda _ok: self._changed())
        self.busy = False
        self._joined = False
        self._set_busy(False)

    def choose_file(self) -> None:
        start = self.file_edit.text() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.HomeLocation
        )
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Prevent Desktop — Choose the pairing file", start, PAIRING_FILTER
        )
        if chosen:
            self.file_edit.setText(chosen)
            self.code_edit.setFocus()

    def _upper_case(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            position = self.code_edit.cursorPosition()
            self.code_edit.setText(upper)
            self.code_edit.setCursorPosition(position)

    def _changed(self) -> None:
        self.error_label.hide()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            not self.busy
            and bool(self.file_edit.text().strip())
            and bool(self.code_edit.text().strip())
            and bool(self.login_edit.text().strip())
            and self.fields.is_acceptable()
        )

    def validatePage(self) -> bool:
        if self._joined:
            return True
        if not self.isComplete():
            return False
        self._set_busy(True)
        db_path, pairing_file = self._db_path, Path(self.file_edit.text().strip())
        code, login = self.code_edit.text(), self.login_edit.text().strip()
        passphrase = self.fields.passphrase()
        self._worker.submit(
            lambda _ctx: join_database(db_path, pairing_file, code, login, passphrase),
            self._done,
            self._failed,
            parent_widget=self,
        )
        return False

    def _done(self, joined: tuple[Workspace, str, str]) -> None:
        workspace, recovery_key, site_name = joined
        logger.info("Joined a site as database %s", workspace.database.database_id)
        self._joined = True
        self._set_busy(False)
        self.fields.clear()
        self.code_edit.clear()  # the code opens the pairing file: keep it no longer
        self._on_joined(workspace, recovery_key, site_name)
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, KnownError):
            self.error_label.setText(f"⚠ {error.message}")
            self.error_label.show()
        else:
            report_failure(error, self)

    def forget_joined(self) -> None:
        self._joined = False

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (
            self.file_edit,
            self.choose_button,
            self.code_edit,
            self.login_edit,
            self.fields,
        ):
            widget.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        wizard = self.wizard()
        if wizard is not None:
            for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
                wizard.button(button).setEnabled(not busy)
        self.completeChanged.emit()
