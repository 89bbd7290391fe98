"""A dialog that hands one task to the database worker and waits for it.

What the recovery-key and restore dialogs share: the inline message line for an expected
failure, a busy row while the task runs, and no closing meanwhile (the task may be writing a
key file or swapping database files; closing under it would leave the user not knowing which
state they are in).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QProgressBar, QWidget

from prevent_desktop.ui.form_message import FormMessage


class WorkerDialog(QDialog):
    def __init__(self, busy_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self._message = FormMessage(self.error_label)
        self._report = self._message.failure_handler(self)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumSize(120, 10)
        self.busy_label = QLabel(busy_text, self)
        self.busy_row = QHBoxLayout()
        self.busy_row.addWidget(self.busy_bar)
        self.busy_row.addWidget(self.busy_label)
        self.busy_row.addStretch(1)

    def _manager_combo(self, logins: Sequence[str], login: str) -> QComboBox:
        """The manager's user name: the users the unlock window knows, or one typed in."""
        combo = QComboBox(self)
        combo.setObjectName("managerCombo")
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(logins))
        combo.setCurrentText(login)
        return combo

    def _show_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)

    def reject(self) -> None:
        if self._busy:  # the task is writing: let it finish
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def error_text(self) -> str:
        return self._message.text()
