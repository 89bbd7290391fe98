"""Head office's public key, to give to every site, and its fingerprint.

The key is public: it only lets a site encrypt a return that head office alone can open, so
it may go by email or on paper. The private identity never leaves the database here.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.sync_key_dialogs import code_label, copy_briefly
from prevent_desktop.ui.worker import DatabaseWorker


class HeadOfficeKeyDialog(QDialog):
    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("headOfficeKeyDialog")
        self.setWindowTitle("Prevent Desktop — Head office's public key")
        self.loaded = False
        intro = QLabel(
            "Give this public key to each site. There, a manager enters it once in Site ▸ "
            "Settings… (Head office); from then on the site's quarterly returns are encrypted "
            "so that only head office can open them. The key is public: it may be sent by "
            "email or printed.",
            self,
        )
        intro.setWordWrap(True)
        self.public_key_edit = QLineEdit(self)
        self.public_key_edit.setReadOnly(True)
        self.public_key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.public_key_edit.setAccessibleName("Head office's public key")
        self.public_key_edit.setMinimumWidth(
            self.public_key_edit.fontMetrics().horizontalAdvance("a" * 64)
        )
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy the public key")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(
            lambda: copy_briefly(self.public_key_edit.text(), self.copy_button)
        )
        key_row = QHBoxLayout()
        key_row.addWidget(self.public_key_edit, 1)
        key_row.addWidget(self.copy_button)
        key_label = QLabel("&Public key:", self)
        key_label.setBuddy(self.public_key_edit)
        self.fingerprint_label = code_label(self, "Head office's fingerprint", 1.4)
        form = QFormLayout()
        form.addRow(key_label, key_row)
        form.addRow("Fingerprint:", self.fingerprint_label)
        trust_note = QLabel(
            "When a site's first return is imported, head office is shown the fingerprint of "
            "the site laptop that made it. Compare it with the one that laptop shows (Sync ▸ "
            "This laptop's keys) before accepting it.",
            self,
        )
        trust_note.setWordWrap(True)
        trust_note.setStyleSheet(NOTE_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(trust_note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())
        sync = workspace.sync
        worker.submit(lambda _task: sync.this_device(), self._show, parent_widget=self)

    def _show(self, card: DeviceCard) -> None:
        self.public_key_edit.setText(card.age_recipient)
        self.public_key_edit.setCursorPosition(0)
        self.fingerprint_label.setText(card.fingerprint)
        self.loaded = True
