"""A passphrase for one sync bundle: chosen (typed twice, with the strength meter) for a laptop
that is not paired yet, or typed once to open such a bundle.

The service insists on 12 characters (the file may travel on a USB stick that gets lost); the
dialog says so as the person types rather than after they press Export.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.styles import NOTE_STYLE

BUNDLE_PASSPHRASE_MINIMUM = 12  # what SyncService.export_with_passphrase accepts


class BundlePassphraseDialog(QDialog):
    """A passphrase for one bundle: chosen (typed twice) to export, or typed once to open.
    Emits `passphrase_chosen(str)` on OK; the fields are cleared whatever closes it."""

    passphrase_chosen = Signal(str)

    def __init__(self, *, choosing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bundlePassphraseDialog")
        self.choosing = choosing
        self.fields: NewPassphraseFields | None = None
        layout = QVBoxLayout(self)
        if choosing:
            self.setWindowTitle("Prevent Desktop — Export with a passphrase")
            intro = (
                f"Choose a passphrase of at least {BUNDLE_PASSPHRASE_MINIMUM} characters for "
                "this bundle. Anyone with the file and the passphrase can read every record "
                "in it: tell it to the person importing it separately, never on or with the "
                "file."
            )
            self.fields = NewPassphraseFields(self)
            self.fields.passphrase_edit.setPlaceholderText(
                f"At least {BUNDLE_PASSPHRASE_MINIMUM} characters; a few unrelated words"
            )
            self.fields.passphrase_edit.setAccessibleName("Bundle passphrase")
            self.fields.repeat_edit.setAccessibleName("Bundle passphrase again")
            self.passphrase_edit = self.fields.passphrase_edit
            self.fields.passphrase_edit.textChanged.connect(self._update)
            self.fields.repeat_edit.textChanged.connect(self._update)
        else:
            self.setWindowTitle("Prevent Desktop — Open with a passphrase")
            intro = "Type the passphrase the bundle was exported with."
            self.passphrase_edit = QLineEdit(self)
            self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.passphrase_edit.setAccessibleName("Bundle passphrase")
            self.passphrase_edit.textChanged.connect(self._update)
        intro_label = QLabel(intro, self)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        if self.fields is not None:
            layout.addWidget(self.fields)
        else:
            form = QFormLayout()
            label = QLabel("&Passphrase:", self)
            label.setBuddy(self.passphrase_edit)
            form.addRow(label, self.passphrase_edit)
            show = QCheckBox("Sho&w what I type", self)
            show.toggled.connect(
                lambda on: self.passphrase_edit.setEchoMode(
                    QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
                )
            )
            form.addRow("", show)
            layout.addLayout(form)
        # Always there, empty while there is nothing to say, so the dialog never jumps.
        self.length_label = QLabel(self)
        self.length_label.setStyleSheet(NOTE_STYLE)
        self.length_label.setMinimumHeight(self.length_label.fontMetrics().lineSpacing())
        layout.addWidget(self.length_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Export" if choosing else "&Open")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(520, self.sizeHint().height())

    def is_acceptable(self) -> bool:
        text = self.passphrase_edit.text()
        if self.fields is None:
            return bool(text)
        return self.fields.is_acceptable() and len(text) >= BUNDLE_PASSPHRASE_MINIMUM

    def _update(self) -> None:
        length = len(self.passphrase_edit.text())
        short = self.fields is not None and 0 < length < BUNDLE_PASSPHRASE_MINIMUM
        self.length_label.setText(
            f"⚠ A bundle passphrase needs at least {BUNDLE_PASSPHRASE_MINIMUM} characters "
            f"({length} so far)."
            if short
            else ""
        )
        self.ok_button.setEnabled(self.is_acceptable())

    def _accept(self) -> None:
        if not self.is_acceptable():
            return
        passphrase = self.passphrase_edit.text()
        self.accept()
        self.passphrase_chosen.emit(passphrase)

    def done(self, result: int) -> None:
        if self.fields is not None:
            self.fields.clear()
        else:
            self.passphrase_edit.clear()
        super().done(result)
