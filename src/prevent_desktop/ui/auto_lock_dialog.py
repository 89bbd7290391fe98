"""A manager chooses after how many idle minutes the application locks itself.

Small enough to build in code rather than Designer. The setting is the site's, so it applies
to everyone who signs in on this database.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.site import AUTO_LOCK_RANGE
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.worker import DatabaseWorker


class AutoLockDialog(QDialog):
    """Emits `changed(ChangeSet)` and accepts once the new interval is saved."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Auto-lock")
        self._worker = worker
        self._workspace = workspace

        intro = QLabel(
            "Prevent Desktop locks itself, clearing the screen and forgetting the key, when "
            "nobody has used it for this long. Ctrl+L locks it at once.",
            self,
        )
        intro.setWordWrap(True)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(*AUTO_LOCK_RANGE)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Idle minutes before locking")
        self.minutes.setEnabled(False)  # until the current value has been read
        error = QLabel(self)
        error.setWordWrap(True)
        self._message = FormMessage(error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Lock after:", self.minutes)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(error)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())

        site = workspace.site
        worker.submit(lambda _ctx: site.auto_lock_minutes(), self._loaded, parent_widget=self)

    def _loaded(self, minutes: int) -> None:
        self.minutes.setValue(minutes)
        self.minutes.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.minutes.setFocus()

    def _save(self) -> None:
        self._message.clear()
        site = self._workspace.site
        minutes = self.minutes.value()
        self.setEnabled(False)
        self._worker.submit(
            lambda _ctx: site.set_auto_lock_minutes(minutes),
            self._saved,
            self._message.failure_handler(self, after=lambda: self.setEnabled(True)),
            parent_widget=self,
        )

    def _saved(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        self.changed.emit(change)
        self.accept()
