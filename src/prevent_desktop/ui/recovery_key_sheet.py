"""The recovery key on screen, on paper and in a text file.

The key is the raw database key, so the sheet says plainly what it unlocks, where to keep it,
and how to open the database with it in any SQLCipher 4 tool (the data is never locked into
this program). Used by the setup wizard; the manager's recovery key dialog can reuse it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from prevent_desktop.domain.uk_date import uk_date
from prevent_desktop.errors import KnownError
from prevent_desktop.store.atomic import write_atomic
from prevent_desktop.ui.bug_dialog import show_known_error

GROUPS_PER_LINE = 4
CLIPBOARD_CLEAR_MS = 60_000
KEEP_IT_SAFE = (
    "This key opens the database if every passphrase is forgotten. Anyone holding it and a "
    "copy of the database can read every record, so keep it locked away (a safe, or a sealed "
    "envelope with the safeguarding lead), never in an email or on this computer."
)


SAFEGUARDING_KEEP_IT_SAFE = (
    "This key gives a safeguarding lead back access to the concern log's confidential details "
    "if no lead can sign in any more. It is not the database recovery key, and it is for the "
    "safeguarding lead only: keep it sealed, apart from the database recovery key."
)


@dataclass(frozen=True)
class KeySheet:
    """What a printed or saved key sheet says: which key it is and how it is used."""

    title: str
    keep_it_safe: str
    how_to_use: tuple[str, ...]
    sqlcipher_hint: bool


def _database_sheet() -> KeySheet:
    return KeySheet(
        "Prevent Desktop recovery key",
        KEEP_IT_SAFE,
        (
            "With Prevent Desktop's command line, put the key alone in a file and run:",
            "    prevent-desktop check --db DATABASE --recovery-key-file KEYFILE",
        ),
        True,
    )


DATABASE_SHEET = _database_sheet()
SAFEGUARDING_SHEET = KeySheet(
    "Prevent Desktop safeguarding recovery key",
    SAFEGUARDING_KEEP_IT_SAFE,
    (
        "A safeguarding lead who has lost safeguarding access signs in and chooses",
        "Site > Restore safeguarding access, then types this key.",
    ),
    False,
)


def key_lines(key: str) -> list[str]:
    """The grouped key split into short lines that are easy to copy by hand."""
    groups = key.split("-")
    return ["-".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), 4)]


def _sqlcipher_hint(key: str) -> str:
    return f"PRAGMA key = \"x'{key.replace('-', '').lower()}'\";"


def recovery_key_text(
    key: str, site_name: str, db_path: Path, sheet: KeySheet = DATABASE_SHEET
) -> str:
    sqlcipher = (
        [
            "To use it with any SQLCipher 4 tool (for example DB Browser for SQLite), open the",
            "database file and run:",
            f"    {_sqlcipher_hint(key)}",
        ]
        if sheet.sqlcipher_hint
        else []
    )
    return "\n".join(
        [
            sheet.title,
            "",
            f"Site:     {site_name}",
            f"Database: {db_path}",
            f"Written:  {uk_date(date.today())}",
            "",
            *(f"    {line}" for line in key_lines(key)),
            "",
            sheet.keep_it_safe,
            "",
            *sqlcipher,
            *sheet.how_to_use,
            "",
        ]
    )


def recovery_key_document(
    key: str, site_name: str, db_path: Path, sheet: KeySheet = DATABASE_SHEET
) -> QTextDocument:
    esc = html.escape
    lines = "<br>".join(esc(line) for line in key_lines(key))
    sqlcipher = (
        "<p>To open the database with it in any SQLCipher 4 tool, run:<br>"
        f'<span style="font-family: monospace;">{esc(_sqlcipher_hint(key))}</span></p>'
        if sheet.sqlcipher_hint
        else f"<p>{esc(' '.join(line.strip() for line in sheet.how_to_use))}</p>"
    )
    document = QTextDocument()
    document.setHtml(
        f"""
        <h1>{esc(sheet.title)}</h1>
        <p>Site: <b>{esc(site_name)}</b><br>
        Database file: {esc(str(db_path))}<br>
        Printed: {uk_date(date.today())}</p>
        <p style="font-family: 'DejaVu Sans Mono', monospace; font-size: 20pt;
                  margin: 18pt 0;">{lines}</p>
        <p>{esc(sheet.keep_it_safe)}</p>
        {sqlcipher}
        """
    )
    return document


class RecoveryKeyPanel(QWidget):
    """The key in large monospace text with Copy, Print… and Save as text file… buttons."""

    kept = Signal(str)  # "copied", "printed" or "saved": the user did something with the key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = DATABASE_SHEET
        self._key = ""
        self._site_name = ""
        self._db_path = Path()
        self.key_label = QLabel(self)
        self.key_label.setObjectName("recoveryKey")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.7)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet(
            "QLabel { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 12px; }"
        )
        self.copy_button = QPushButton("&Copy", self)
        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("&Save as text file…", self)
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button.clicked.connect(self.save_with_dialog)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.copy_button, self.print_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key_label)
        layout.addLayout(buttons)

    def set_key(self, key: str, site_name: str, db_path: Path) -> None:
        self._key, self._site_name, self._db_path = key, site_name, Path(db_path)
        self.key_label.setText("\n".join(key_lines(key)))

    def clear(self) -> None:
        """Forget the key (the wizard is done with it) so it does not linger on screen or in
        memory longer than needed."""
        self._key, self._site_name, self._db_path = "", "", Path()
        self.key_label.clear()

    @property
    def key(self) -> str:
        return self._key

    @Slot()
    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self._key)
        self.copy_button.setText("Copied")
        # Clipboard managers and other apps can read the clipboard: do not leave it there.
        key = self._key
        # Timed on the clipboard, not this panel: the panel may be deleted before it fires.
        QTimer.singleShot(
            CLIPBOARD_CLEAR_MS,
            clipboard,
            lambda: clipboard.clear() if clipboard.text() == key else None,
        )
        self.kept.emit("copied")

    @Slot()
    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery key")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Render the sheet on `printer` (a real printer, or a PDF printer in tests)."""
        printer.setDocName(self.sheet.title)
        recovery_key_document(self._key, self._site_name, self._db_path, self.sheet).print_(printer)
        self.kept.emit("printed")

    @Slot()
    def save_with_dialog(self) -> None:
        suggested = Path.home() / f"{self.sheet.title} - {self._site_name}.txt"
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Save the key as plain text: keep the file somewhere safe, not on this computer",
            str(suggested),
            "Text files (*.txt)",
        )
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, path: Path) -> None:
        try:
            write_atomic(
                path,
                recovery_key_text(self._key, self._site_name, self._db_path, self.sheet).encode(
                    "utf-8"
                ),
                doing="saving the recovery key",
            )
        except KnownError as error:
            show_known_error(error, self)
            return
        self.save_button.setText("Saved")
        self.kept.emit("saved")
