"""GUI test fixtures: the offscreen platform, a database worker per test, test keychains, a
stand-in main window, and screenshots.

Set PREVENT_DESKTOP_SCREENSHOTS=/some/folder to keep copies of the screenshots tests take.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.garbage_collector import MainThreadGarbageCollector
from prevent_desktop.ui.worker import DatabaseWorker
from tests.keyring_memory import MemoryKeyring

SCREENSHOT_COPIES = "PREVENT_DESKTOP_SCREENSHOTS"


@pytest.fixture(scope="package", autouse=True)
def _garbage_collected_on_the_ui_thread(qapp: QApplication) -> Iterator[None]:
    # As in the app: a cycle holding a widget must never be collected on the worker thread.
    collector = MainThreadGarbageCollector()
    collector.start()
    yield
    collector.stop()


@pytest.fixture(scope="package", autouse=True)
def _uk_locale(qapp: QApplication) -> None:
    # As app.run_gui does: dates, calendars and numbers as in the UK, whatever the machine's.
    QLocale.setDefault(QLocale("en_GB"))


@pytest.fixture(autouse=True)
def _quiet_application(qapp: QApplication) -> Iterator[None]:
    # Closing a test's only window must not quit the application that later tests share;
    # and no window of one test may outlive it.
    qapp.setQuitOnLastWindowClosed(False)
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()


@pytest.fixture
def worker(qapp: QApplication) -> Iterator[DatabaseWorker]:
    database_worker = DatabaseWorker()
    yield database_worker
    database_worker.shutdown()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def memory_keychain(memory_keyring: MemoryKeyring) -> Keychain:
    return Keychain(backend=memory_keyring)


@pytest.fixture
def no_keychain() -> Keychain:
    return Keychain(backend=fail.Keyring())


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[QWidget, str], Path]:
    def save(widget: QWidget, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        copies = os.environ.get(SCREENSHOT_COPIES)
        if copies:
            Path(copies).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(copies) / path.name)
        return path

    return save


class StandInMainWindow(QMainWindow):
    """The main window's contract (signals, clear_views, Ctrl+L) without its tabs."""

    lock_requested = Signal()
    sign_out_requested = Signal()
    changed = Signal(object)

    def __init__(self, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain) -> None:
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle("Prevent Desktop")
        self.record_label = QLabel(f"Signed in as {workspace.actor.display_name}", self)
        self.setCentralWidget(self.record_label)
        self.cleared = 0
        lock = QAction("Lock", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock_requested)
        self.addAction(lock)

    def clear_views(self) -> None:
        self.cleared += 1
        self.record_label.clear()


@pytest.fixture
def stand_in_windows() -> list[StandInMainWindow]:
    """Every stand-in main window the controller made, in order."""
    return []


@pytest.fixture
def stand_in_factory(
    stand_in_windows: list[StandInMainWindow],
) -> Callable[[DatabaseWorker, Workspace, Keychain], StandInMainWindow]:
    def make(worker: DatabaseWorker, workspace: Workspace, keychain: Keychain) -> StandInMainWindow:
        window = StandInMainWindow(worker, workspace, keychain)
        stand_in_windows.append(window)
        return window

    return make
