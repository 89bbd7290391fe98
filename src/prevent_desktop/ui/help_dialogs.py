"""Help ▸ User guide (resources/user_guide.md, shipped with the app: no network), Help ▸ About
(with the versions a support call asks for) and Help ▸ Keyboard shortcuts (read from the
window's own menus, so the list is never out of date)."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop import __version__
from prevent_desktop.resources_access import resource

APP_TITLE = "Prevent Desktop"
# Shortcuts that work everywhere in the window, listed unless a menu item already shows them.
WINDOW_SHORTCUTS = (
    ("Lock now (also from inside dialogs)", "Ctrl+L"),
    ("Search in the tab in view", "Ctrl+F"),
    ("Next or previous tab", "Ctrl+Tab, Ctrl+Shift+Tab"),
)


def versions(sqlcipher: str) -> list[tuple[str, str]]:
    return [
        (APP_TITLE, __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLCipher", sqlcipher),
        ("Python", platform.python_version()),
        ("System", f"{platform.system()} {platform.release()}"),
    ]


class UserGuideDialog(QDialog):
    """The short user guide: what to record and why, the quarterly export, a lost laptop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — User guide")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenLinks(False)  # nothing in it leaves the app
        self.browser.setMarkdown(resource("user_guide.md").read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 680)

    def text(self) -> str:
        return self.browser.toPlainText()


class AboutDialog(QDialog):
    def __init__(self, sqlcipher: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_TITLE}")
        intro = QLabel(
            f"<h3>{APP_TITLE} {__version__}</h3>"
            "<p>Offline, encrypted Prevent duty records for apprenticeship and further-education "
            "training sites: risk register, concern log, training matrix and incident plans, "
            "with encrypted bundles between a site's laptops and to head office.</p>"
            "<p>Everything is stored on this computer in an encrypted database.</p>"
        )
        self.table = _table(["Component", "Version"], versions(sqlcipher))
        self.table.setAccessibleName("Versions")
        _lay_out(self, intro, self.table, (520, 360))


class ShortcutsDialog(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — Keyboard shortcuts")
        note = QLabel(
            "Every menu opens with Alt and its underlined letter; inside a menu, the underlined "
            "letter chooses an item. Tab moves between fields, Enter confirms, Esc closes."
        )
        self.table = _table(["What", "Keys"], shortcut_rows(menu_bar))
        self.table.setAccessibleName("Keyboard shortcuts")
        _lay_out(self, note, self.table, (560, 420))


def _lay_out(dialog: QDialog, intro: QLabel, table: QTableWidget, size: tuple[int, int]) -> None:
    """About and Keyboard shortcuts alike: a wrapped introduction, the table, and Close."""
    intro.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for widget in (intro, table, buttons):
        layout.addWidget(widget)
    dialog.resize(*size)


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str]]:
    """(menu ▸ item, keys) for every visible action with a shortcut, then the window's own."""
    rows: list[tuple[str, str]] = []
    for top in menu_bar.actions():
        menu = top.menu()
        if not top.isVisible() or not isinstance(menu, QMenu):
            continue
        for action in _actions(menu):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys and action.isVisible():
                rows.append((f"{_plain(top.text())} ▸ {_plain(action.text())}", keys))
    listed = {keys for _what, keys in rows}
    return rows + [row for row in WINDOW_SHORTCUTS if row[1] not in listed]


def _actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += _actions(sub)
        elif not action.isSeparator():
            found.append(action)
    return found


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _table(headers: list[str], rows: list[tuple[str, str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.ResizeToContents)
    return table
