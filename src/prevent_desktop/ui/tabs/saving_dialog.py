"""What every register dialog does on Save: write on the worker, stay disabled meanwhile, show
an expected failure in its own form, and on success broadcast the change and close."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.worker import DatabaseWorker


class SavingDialog(QDialog):
    """Subclasses set `_worker` and `message` and call `submit_write`. Emits `changed`."""

    changed = Signal(object)
    _worker: DatabaseWorker
    message: FormMessage

    def submit_write(self, write: Callable[[object], ChangeSet]) -> None:
        self.pause()
        self._worker.submit(
            write,
            self._saved,
            self.message.failure_handler(self, after=self.resume),
            parent_widget=self,
        )

    def pause(self) -> None:
        """Disabled while the worker runs. Disabling takes the focus away: remember where
        it was."""
        self._focus_before: QWidget | None = self.focusWidget()
        self.setEnabled(False)

    def resume(self) -> None:
        """Enabled again with the focus back where it was (or on the first control), so that
        a keyboard user carries on from the same place after a refusal or a load."""
        self.setEnabled(True)
        before, self._focus_before = getattr(self, "_focus_before", None), None
        try:
            if before is not None and before.isVisible() and before.isEnabled():
                before.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        except RuntimeError:  # deleted while the worker ran
            pass
        if self.focusWidget() is None:
            self.focusNextChild()

    def _saved(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        self.changed.emit(change)
        self.accept()
