"""What every register dialog does on Save: write on the worker, stay disabled meanwhile, show
an expected failure in its own form, and on success broadcast the change and close."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.worker import DatabaseWorker


class SavingDialog(QDialog):
    """Subclasses set `_worker` and `message` and call `submit_write`. Emits `changed`."""

    changed = Signal(object)
    _worker: DatabaseWorker
    message: FormMessage

    def submit_write(self, write: Callable[[object], ChangeSet]) -> None:
        self.setEnabled(False)
        self._worker.submit(
            write,
            self._saved,
            self.message.failure_handler(self, after=lambda: self.setEnabled(True)),
            parent_widget=self,
        )

    def _saved(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        self.changed.emit(change)
        self.accept()
