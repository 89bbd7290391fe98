"""Help ▸ About shows the versions a support call asks for; Help ▸ Keyboard shortcuts lists
every shortcut the window's menus offer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop import __version__
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.help_dialogs import (
    WINDOW_SHORTCUTS,
    AboutDialog,
    ShortcutsDialog,
    UserGuideDialog,
)
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.shell_support import show_main_window

Screenshot = Callable[[QWidget, str], Path]


def _open(qtbot: QtBot, kind: type) -> QWidget:
    found: list[QWidget] = []

    def shown() -> bool:
        found[:] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(shown)
    return found[0]


def _cells(table) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (table.item(row, 0).text(), table.item(row, 1).text()) for row in range(table.rowCount())
    ]


def test_about_names_the_app_qt_and_sqlcipher_versions(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    window.ui.actionAbout.trigger()
    dialog = _open(qtbot, AboutDialog)
    versions = dict(_cells(dialog.table))
    assert versions["Prevent Desktop"] == __version__
    assert versions["SQLCipher"] == workspace.database.sqlcipher_version()
    assert versions["Qt"].count(".") == 2 and versions["PySide6"]
    screenshot(dialog, "help_about")
    dialog.close()


def test_the_shortcuts_list_comes_from_the_menus(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    window.actionShortcuts.trigger()
    dialog = _open(qtbot, ShortcutsDialog)
    rows = _cells(dialog.table)
    assert [keys for _what, keys in rows].count("Ctrl+L") == 1
    expected = [
        keys
        for top in window.ui.menuBar.actions()
        if top.isVisible() and top.menu() is not None
        for action in top.menu().actions()
        if action.isVisible() and not action.shortcut().isEmpty()
        for keys in [action.shortcut().toString()]
    ]
    # ... and the window's own shortcuts that no menu shows (Ctrl+F, Ctrl+Tab).
    expected += [keys for _what, keys in WINDOW_SHORTCUTS if keys not in expected]
    assert sorted(keys for _what, keys in rows) == sorted(expected)
    assert ("Search in the tab in view", "Ctrl+F") in rows
    assert ("Account ▸ Lock", "Ctrl+L") in rows
    screenshot(dialog, "help_shortcuts")
    dialog.close()


def test_the_user_guide_opens_from_help_and_with_f1(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    assert window.actionUserGuide in window.ui.menuHelp.actions()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = _open(qtbot, UserGuideDialog)
    text = dialog.text()
    # What the issue asks of it: what to record and why, the quarterly export, a lost laptop.
    for heading in (
        "What to record, and why",
        "The quarterly export to head office",
        "If the laptop is lost or stolen",
    ):
        assert heading in text
    assert "# " not in text  # rendered, not shown as raw Markdown
    screenshot(dialog, "help_user_guide")
    dialog.close()


def test_the_go_menu_shortcuts_are_listed(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, memory_keychain: Keychain
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    window.actionShortcuts.trigger()
    rows = _cells(_open(qtbot, ShortcutsDialog).table)
    assert ("Go ▸ Overview", "Ctrl+1") in rows
    assert ("Help ▸ User guide", "F1") in rows
