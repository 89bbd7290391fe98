"""The setup wizard's simple pages: welcome (new site or join one), site, first manager and the
recovery key.

The passphrase page, which creates the database, lives with the wizard in `setup_wizard`; the
page that joins an existing site instead is `sync_join_page`.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from prevent_desktop.errors import ValidationError
from prevent_desktop.services.users import validate_login
from prevent_desktop.ui.recovery_key_sheet import KEEP_IT_SAFE, RecoveryKeyPanel
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE

SITE_CODE_PATTERN = r"[A-Z0-9][A-Z0-9_-]{0,31}"


def note_label(text: str, parent: QWidget) -> QLabel:
    """A quieter line of explanation under a field."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def suggest_site_code(name: str) -> str:
    initials = "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()
    return initials[:32]


class WelcomePage(QWizardPage):
    """Says what setting up means, and asks whether this is a new site or another laptop of
    one that already uses Prevent Desktop (the wizard's `nextId` follows the choice)."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Welcome to Prevent Desktop")
        self.setSubTitle("Let's set up this computer's encrypted Prevent duty records.")
        text = QLabel(
            "<p>Prevent Desktop keeps your site's Prevent duty records (the risk register, "
            "concerns, training and incident plans) in one encrypted file on this computer. "
            "Nothing is sent anywhere.</p>"
            f"<p>The database will be created at<br><b>{html.escape(str(db_path))}</b></p>"
            "<p>Setting up takes a couple of minutes. Is this the site's first laptop?</p>",
            self,
        )
        text.setWordWrap(True)
        self.new_site_radio = QRadioButton("&Set up a new site", self)
        self.new_site_radio.setObjectName("newSite")
        self.new_site_radio.setChecked(True)
        self.join_radio = QRadioButton("&Join an existing site (a second laptop)", self)
        self.join_radio.setObjectName("joinSite")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.new_site_radio)
        layout.addWidget(
            _indented(
                note_label(
                    "You name the training site, create the first manager's account and "
                    "passphrase, then print or store the recovery key.",
                    self,
                )
            )
        )
        layout.addWidget(self.join_radio)
        layout.addWidget(
            _indented(
                note_label(
                    "The site already uses Prevent Desktop on another laptop. There, a "
                    "manager or the safeguarding lead chooses Sync ▸ Pair a new laptop… to "
                    "make a pairing file and a code; you need both here.",
                    self,
                )
            )
        )
        layout.addStretch(1)
        self.registerField("joining", self.join_radio)

    def joining(self) -> bool:
        return self.join_radio.isChecked()


def _indented(label: QLabel) -> QWidget:
    """A radio button's explanation, lined up with the button's text."""
    holder = QWidget(label.parentWidget())
    row = QVBoxLayout(holder)
    row.setContentsMargins(24, 0, 0, 6)
    label.setParent(holder)
    row.addWidget(label)
    return holder


class SitePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Training site")
        self.setSubTitle("The site these records belong to. Its name appears on reports.")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("siteName")
        self.name_edit.setPlaceholderText("e.g. Leeds Training Centre")
        self.name_edit.setMaxLength(200)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("siteCode")
        self.code_edit.setPlaceholderText("e.g. LTC")
        self.code_edit.setMaxLength(32)
        self.code_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(SITE_CODE_PATTERN), self)
        )
        self._code_typed = False
        self.name_edit.textChanged.connect(self._suggest_code)
        self.code_edit.textEdited.connect(self._code_edited)
        form = QFormLayout(self)
        form.addRow("Site &name", self.name_edit)
        form.addRow("Site &code", self.code_edit)
        form.addRow(
            "",
            note_label(
                "A short code (capital letters, digits, - or _) used in "
                "exports and to tell sites apart at head office.",
                self,
            ),
        )
        self.registerField("siteName*", self.name_edit)
        self.registerField("siteCode*", self.code_edit)

    def _suggest_code(self, name: str) -> None:
        if not self._code_typed:
            self.code_edit.setText(suggest_site_code(name))

    def _code_edited(self, text: str) -> None:
        self._code_typed = bool(text)
        upper = text.upper()
        if upper != text:
            position = self.code_edit.cursorPosition()
            self.code_edit.setText(upper)
            self.code_edit.setCursorPosition(position)

    def validatePage(self) -> bool:
        return bool(self.name_edit.text().strip())


class ManagerPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("First manager")
        self.setSubTitle(
            "The manager adds the other users later: staff, other managers and the "
            "safeguarding lead."
        )
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("login")
        self.login_edit.setPlaceholderText("e.g. s.patel")
        self.login_edit.setMaxLength(64)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("fullName")
        self.name_edit.setPlaceholderText("e.g. Sam Patel")
        self.lead_check = QCheckBox("Also the safeguarding lead (DSL / Prevent lead)", self)
        self.lead_check.setObjectName("isLead")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        form = QFormLayout(self)
        form.addRow("&User name", self.login_edit)
        form.addRow("", note_label("Used to sign in: no spaces.", self))
        form.addRow("&Full name", self.name_edit)
        form.addRow("", self.lead_check)
        form.addRow(
            "",
            note_label(
                "The safeguarding lead reads and decides on concerns; a "
                "manager who is not the lead does not see their content.",
                self,
            ),
        )
        form.addRow(self.error_label)
        self.registerField("login*", self.login_edit)
        self.registerField("fullName*", self.name_edit)
        self.registerField("isLead", self.lead_check)
        self.login_edit.textEdited.connect(lambda _text: self.error_label.hide())

    def validatePage(self) -> bool:
        try:
            validate_login(self.login_edit.text())
        except ValidationError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            self.login_edit.setFocus()
            return False
        return bool(self.name_edit.text().strip())


class RecoveryKeyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Recovery key")
        self.setSubTitle(
            "Print it or store it safely now. Later it is shown only to a manager who "
            "re-enters their passphrase."
        )
        self.panel = RecoveryKeyPanel(self)
        self.stored_check = QCheckBox("I have printed or safely stored the recovery key", self)
        self.stored_check.setObjectName("keyStored")
        explanation = QLabel(KEEP_IT_SAFE, self)
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addSpacing(6)
        layout.addWidget(self.panel)
        layout.addStretch(1)
        layout.addWidget(self.stored_check)
        self.registerField("keyStored*", self.stored_check)
