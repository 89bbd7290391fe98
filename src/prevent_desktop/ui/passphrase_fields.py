"""Entry of a new passphrase: typed twice, with a strength meter in words and colour.

Used wherever someone chooses a passphrase (adding a user, a manager's reset, changing one's
own), so that the same rules and wording appear everywhere. The meter mirrors
`domain.passphrase.assess`, which the services apply again before accepting anything.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from prevent_desktop.domain.passphrase import MINIMUM_LENGTH, assess

# One colour per strength score (0 very weak … 4 very strong); the label always says it in words.
_METER_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1b5e20")


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
        self.show_check = QCheckBox("Show what I type", self)

        self.meter = QProgressBar(self)
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.strength_label = QLabel(self)
        self.strength_label.setMinimumWidth(90)
        self.feedback_label = QLabel(self)
        self.feedback_label.setWordWrap(True)

        meter_row = QHBoxLayout()
        meter_row.setContentsMargins(0, 0, 0, 0)
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.strength_label)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        new_label = QLabel("&New passphrase:", self)
        new_label.setBuddy(self.passphrase_edit)
        repeat_label = QLabel("R&epeat it:", self)
        repeat_label.setBuddy(self.repeat_edit)
        form.addRow(new_label, self.passphrase_edit)
        form.addRow(repeat_label, self.repeat_edit)
        form.addRow("", self.show_check)
        form.addRow("Strength:", meter_row)
        form.addRow("", self.feedback_label)

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
        strength = assess(passphrase)
        if passphrase:
            self.meter.setValue(strength.score)
            colour = _METER_COLOURS[strength.score]
            self.meter.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")
            self.strength_label.setText(strength.label)
        else:
            self.meter.setValue(0)
            self.strength_label.setText("")

        if not passphrase:
            feedback = f"Choose a passphrase of at least {MINIMUM_LENGTH} characters."
        elif not strength.acceptable:
            feedback = " ".join(strength.problems)
        elif not repeat:
            feedback = "Type it again to make sure there is no typing mistake."
        elif repeat != passphrase:
            feedback = "The two passphrases are different."
        else:
            feedback = "The passphrases match."
        self.feedback_label.setText(feedback)

        acceptable = bool(passphrase) and strength.acceptable and repeat == passphrase
        if acceptable != self._acceptable:
            self._acceptable = acceptable
            self.acceptable_changed.emit(acceptable)
