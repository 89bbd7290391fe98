"""Entry of a new passphrase: typed twice, with the strength meter the setup wizard uses.

Used wherever someone chooses a passphrase (adding a user, a manager's reset, changing one's
own), so the same rules and wording appear everywhere. The meter applies
`domain.passphrase.assess`, which the services apply again before accepting anything.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from prevent_desktop.domain.passphrase import MINIMUM_LENGTH
from prevent_desktop.ui.passphrase_strength import PassphraseStrengthMeter


class NewPassphraseFields(QWidget):
    """Passphrase, repeat, strength. `acceptable_changed` fires when the pair becomes usable
    or stops being so, for dialogs that enable their Save button on it."""

    acceptable_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("newPassphraseEdit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText(
            f"At least {MINIMUM_LENGTH} characters; a few unrelated words work well"
        )
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("repeatPassphraseEdit")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_check = QCheckBox("Sho&w what I type", self)
        self.meter = PassphraseStrengthMeter(self)
        self.match_label = QLabel(self)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        new_label = QLabel("&New passphrase:", self)
        new_label.setBuddy(self.passphrase_edit)
        repeat_label = QLabel("Re&peat it:", self)
        repeat_label.setBuddy(self.repeat_edit)
        form.addRow(new_label, self.passphrase_edit)
        form.addRow("Strength:", self.meter)
        form.addRow(repeat_label, self.repeat_edit)
        form.addRow("", self.match_label)
        form.addRow("", self.show_check)

        self._acceptable = False
        self.passphrase_edit.textChanged.connect(self._update)
        self.repeat_edit.textChanged.connect(self._update)
        self.show_check.toggled.connect(self._set_visible_text)
        self._update()

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def is_acceptable(self) -> bool:
        return self._acceptable

    def clear(self) -> None:
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        self.show_check.setChecked(False)

    def _set_visible_text(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)
        self.repeat_edit.setEchoMode(mode)

    def _update(self) -> None:
        passphrase = self.passphrase_edit.text()
        repeat = self.repeat_edit.text()
        self.meter.update_for(passphrase)
        if not repeat:
            match = ""
        elif repeat != passphrase:
            match = "⚠ The two passphrases are different."
        else:
            match = "✓ The passphrases match."
        self.match_label.setText(match)
        self.match_label.setVisible(bool(match))

        acceptable = self.meter.acceptable and repeat == passphrase
        if acceptable != self._acceptable:
            self._acceptable = acceptable
            self.acceptable_changed.emit(acceptable)
