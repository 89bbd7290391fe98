"""The Sync menu's dialogs about keys: this laptop's keys and its partners, and the pairing
code made for a new laptop.

Fingerprints and codes are read off one screen and compared with or typed on another, so they
are shown large, in a fixed-width font, and selectable; a copied code leaves the clipboard
after a minute, as the recovery key does.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.sync import PairedView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.ui.recovery_key_sheet import CLIPBOARD_CLEAR_MS
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE
from prevent_desktop.ui.sync_import_summary import local_time_text
from prevent_desktop.ui.worker import DatabaseWorker

BOXED = (
    "QLabel { background: palette(base); border: 1px solid palette(mid);"
    " border-radius: 4px; padding: 10px; }"
)


def large_monospace(scale: float = 1.6) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * scale)
    return font


def code_label(parent: QWidget, name: str, scale: float = 1.6) -> QLabel:
    label = QLabel(parent)
    label.setFont(large_monospace(scale))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setStyleSheet(BOXED)
    label.setAccessibleName(name)
    return label


def copy_briefly(text: str, button: QPushButton) -> None:
    """Copy `text`, say so on the button, and clear the clipboard a minute later if it still
    holds it (other programs can read the clipboard)."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    button.setText("Copied")
    QTimer.singleShot(
        CLIPBOARD_CLEAR_MS,
        clipboard,
        lambda: clipboard.clear() if clipboard.text() == text else None,
    )


class PairedDeviceTableModel(RowTableModel):
    LAPTOP, FINGERPRINT, LAST_BUNDLE, IMPORTED, PAIRED = range(5)
    HEADERS = ("Laptop", "Fingerprint", "Last bundle", "Imported", "Paired")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        paired: PairedView | None = self.row_item(index)
        if paired is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LAPTOP:
                return paired.label
            if column == self.FINGERPRINT:
                return paired.fingerprint
            if column == self.LAST_BUNDLE:
                return f"No. {paired.last_sequence}" if paired.last_sequence else "None yet"
            if column == self.IMPORTED:
                return local_time_text(paired.last_imported_at)
            return local_time_text(paired.trusted_at)
        if role == Qt.ItemDataRole.FontRole and column == self.FINGERPRINT:
            return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        return None


class ThisLaptopDialog(QDialog):
    """This laptop's name, public key and fingerprint, and the laptops it is paired with."""

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("thisLaptopDialog")
        self.setWindowTitle("Prevent Desktop — This laptop's keys")
        self.loaded = False
        intro = QLabel(
            "When another laptop of the site imports a bundle from this one for the first "
            "time, it shows a fingerprint and asks whether it matches. Compare it with the "
            "one below, group by group.",
            self,
        )
        intro.setWordWrap(True)
        self.label_value = QLabel(self)
        self.label_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label_value.setAccessibleName("This laptop's name")
        self.public_key_edit = QLineEdit(self)
        self.public_key_edit.setReadOnly(True)
        self.public_key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.public_key_edit.setAccessibleName("This laptop's public key")
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy the public key")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(
            lambda: copy_briefly(self.public_key_edit.text(), self.copy_button)
        )
        key_row = QHBoxLayout()
        key_row.addWidget(self.public_key_edit, 1)
        key_row.addWidget(self.copy_button)
        self.fingerprint_label = code_label(self, "This laptop's fingerprint", 1.6)
        form = QFormLayout()
        form.addRow("Laptop:", self.label_value)
        key_label = QLabel("&Public key:", self)
        key_label.setBuddy(self.public_key_edit)
        form.addRow(key_label, key_row)
        form.addRow("Fingerprint:", self.fingerprint_label)

        paired_title = QLabel("Paired &laptops: their bundles are accepted here", self)
        self.paired_model = PairedDeviceTableModel(self)
        self.paired_view = QTableView(self)
        self.paired_view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.paired_view.setObjectName("pairedView")
        self.paired_view.setAccessibleName("Paired laptops")
        self.paired_view.setModel(self.paired_model)
        self.paired_view.verticalHeader().hide()
        self.paired_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.paired_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.paired_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PairedDeviceTableModel.LAPTOP, QHeaderView.ResizeMode.Stretch)
        paired_title.setBuddy(self.paired_view)
        self.none_paired = QLabel(
            "None yet. Pair a laptop with Sync ▸ Pair a new laptop…, or import a bundle from "
            "one and confirm its fingerprint.",
            self,
        )
        self.none_paired.setWordWrap(True)
        self.none_paired.setStyleSheet(NOTE_STYLE)
        self.none_paired.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(paired_title)
        layout.addWidget(self.paired_view, 1)
        layout.addWidget(self.none_paired)
        layout.addWidget(buttons)
        self.resize(960, 520)

        sync = workspace.sync
        worker.submit(
            lambda _task: (sync.this_device(), sync.paired_devices()),
            self._show,
            parent_widget=self,
        )

    def _show(self, loaded: tuple[DeviceCard, list[PairedView]]) -> None:
        card, paired = loaded
        self.label_value.setText(card.label)
        self.public_key_edit.setText(card.age_recipient)
        self.public_key_edit.setCursorPosition(0)
        # One line, as the other laptop's question shows it: compared group by group.
        self.fingerprint_label.setText(card.fingerprint)
        self.paired_model.set_rows(paired)
        self.none_paired.setVisible(not paired)
        self.loaded = True


class PairingCodeDialog(QDialog):
    """The one-time code that opens a pairing file, with what to do on the new laptop. The
    code exists only here: nothing stores it, and closing the dialog forgets it."""

    def __init__(
        self, code: str, pairing_file: Path, carries_key: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pairingCodeDialog")
        self.setWindowTitle("Prevent Desktop — Pairing code")
        self.code = code
        saved = QLabel(
            f"The pairing file was saved to <b>{html.escape(str(pairing_file))}</b>. It opens "
            "only with this code, which is not stored anywhere: keep this window open until "
            "the new laptop has joined.",
            self,
        )
        saved.setWordWrap(True)
        self.code_label = code_label(self, "Pairing code", 2.0)
        self.code_label.setText(code)
        self.copy_button = QPushButton("&Copy the code", self)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(lambda: copy_briefly(self.code, self.copy_button))
        copy_row = QHBoxLayout()
        copy_row.addStretch(1)
        copy_row.addWidget(self.copy_button)
        self.steps_label = QLabel(
            "<p>On the new laptop:</p><ol>"
            "<li>Copy the pairing file onto it (a USB stick will do).</li>"
            "<li>Start Prevent Desktop there and choose <b>Join an existing site</b>.</li>"
            "<li>Choose the pairing file.</li>"
            "<li>Type this code, your user name and a new passphrase for that laptop.</li>"
            "</ol>",
            self,
        )
        self.steps_label.setWordWrap(True)
        self.lead_warning = QLabel(
            "⚠ The file carries the site's safeguarding key, so that you can read concerns on "
            "the new laptop. Keep the file and this code apart: never send or store them "
            "together, and delete the file once the laptop has joined.",
            self,
        )
        self.lead_warning.setWordWrap(True)
        self.lead_warning.setStyleSheet(ERROR_STYLE)
        self.lead_warning.setVisible(carries_key)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(saved)
        layout.addWidget(self.code_label)
        layout.addLayout(copy_row)
        layout.addWidget(self.steps_label)
        layout.addWidget(self.lead_warning)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def done(self, result: int) -> None:
        self.code = ""
        self.code_label.clear()
        super().done(result)
