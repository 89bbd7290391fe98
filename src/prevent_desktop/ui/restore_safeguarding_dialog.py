"""A safeguarding lead without access types the safeguarding recovery key to get it back."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.worker import DatabaseWorker


class RestoreSafeguardingDialog(QDialog):
    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Restore safeguarding access")
        self._worker = worker
        self._workspace = workspace
        self.result_change: ChangeSet | None = None
        intro = QLabel(
            "Type the safeguarding recovery key that a lead printed for this site (16 groups of "
            "4 characters; spaces and dashes do not matter). It is not the database recovery "
            "key. Once it is accepted you can read the concern log at once.",
            self,
        )
        intro.setWordWrap(True)
        self.key_edit = QPlainTextEdit(self)
        self.key_edit.setAccessibleName("Safeguarding recovery key")
        self.key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key_edit.setFixedHeight(80)
        error = QLabel(self)
        error.setWordWrap(True)
        self._message = FormMessage(error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(
            "&Restore access", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(False)
        self.key_edit.textChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.key_edit.toPlainText().strip()))
        )
        self.restore_button.clicked.connect(self._restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.key_edit, error, self.buttons):
            layout.addWidget(widget)
        self.resize(520, self.sizeHint().height())

    def _restore(self) -> None:
        text = self.key_edit.toPlainText()
        workspace = self._workspace
        self._message.clear()
        self.setEnabled(False)
        self._worker.submit(
            lambda _task: workspace.safeguarding.restore(text),
            self._restored,
            self._message.failure_handler(self, after=lambda: self.setEnabled(True)),
            parent_widget=self,
        )

    def _restored(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        self.key_edit.clear()
        self.result_change = change
        self.accept()
