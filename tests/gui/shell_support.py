"""Helpers for the main window and its dialogs, on top of tests/gui/conftest.py's fixtures
(a real worker thread, a memory keychain, screenshots) and the root `workspace` fixture (a
real encrypted database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.worker import DatabaseWorker


def show_main_window(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain
) -> MainWindow:
    """The main window, shown, with its status bar loaded."""
    window = MainWindow(worker, workspace, keychain)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.status_panel.threat_badge.level is not None)
    return window


def drain(worker: DatabaseWorker) -> None:
    """Wait until every task submitted so far has run and delivered its callbacks."""
    worker.run_and_wait(lambda _task: None)


def sign_in(workspace: Workspace, login: str, passphrase: str) -> Workspace:
    other, _kek = Workspace.sign_in(workspace.database.path, login, passphrase)
    return other


def user_id(workspace: Workspace, login: str) -> str:
    return next(u.id for u in workspace.users.list_users() if u.login == login)


# The type of tests/gui/conftest.py's `screenshot` fixture.
Screenshot = Callable[[QWidget, str], Path]
