"""The exception hook, the bug dialog and the privacy of the log file."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop import paths
from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.ui.bug_dialog import BugDialog, ExceptionHook, install_exception_hook
from prevent_desktop.ui.logging_setup import (
    BACKUP_COUNT,
    LOG_FILENAME,
    MAX_BYTES,
    configure_logging,
    stop_logging,
)

PERSONAL = "Jane Doe, 14 Acacia Avenue"


def visible(kind: type) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def raised(error: BaseException) -> tuple[type[BaseException], BaseException, Any]:
    """An exception with a real traceback, as the hook receives it."""
    try:
        raise error
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


@pytest.fixture
def hook(qapp: QApplication) -> Iterator[ExceptionHook]:
    installed = install_exception_hook()
    yield installed
    installed.uninstall()
    assert sys.excepthook != installed.handle
    assert threading.excepthook != installed._handle_thread


@pytest.fixture
def log_file(data_dir: Path) -> Iterator[Path]:
    path = configure_logging()
    yield path
    stop_logging()


def test_a_bug_shows_its_traceback_with_a_copy_button(
    hook: ExceptionHook, qtbot: QtBot, screenshot: Callable[[QWidget, str], Path]
) -> None:
    assert sys.excepthook == hook.handle
    hook.handle(*raised(ZeroDivisionError("division by zero")))
    qtbot.waitUntil(lambda: bool(visible(BugDialog)))
    dialog = visible(BugDialog)[0]
    details = dialog.details.toPlainText()
    assert "Traceback (most recent call last)" in details
    assert "ZeroDivisionError: division by zero" in details
    assert "Prevent Desktop" in details.splitlines()[0]
    assert dialog.details.isReadOnly()
    screenshot(dialog, "bug_dialog")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details
    dialog.reject()


def test_a_second_error_is_added_to_the_open_dialog(hook: ExceptionHook, qtbot: QtBot) -> None:
    hook.handle(*raised(KeyError("first")))
    hook.handle(*raised(IndexError("second")))
    qtbot.waitUntil(lambda: "IndexError" in visible(BugDialog)[0].details.toPlainText())
    assert len(visible(BugDialog)) == 1
    visible(BugDialog)[0].reject()


def test_an_expected_error_shows_only_its_message(hook: ExceptionHook, qtbot: QtBot) -> None:
    hook.handle(*raised(DamagedDatabase("prevent.db is damaged. Restore the latest backup.")))
    qtbot.waitUntil(lambda: bool(visible(QMessageBox)))
    assert visible(QMessageBox)[0].text() == "prevent.db is damaged. Restore the latest backup."
    assert not visible(BugDialog)
    visible(QMessageBox)[0].accept()


def test_an_exception_in_another_thread_reaches_the_ui_thread(
    hook: ExceptionHook, qtbot: QtBot
) -> None:
    def crash() -> None:
        raise LookupError("from a background thread")

    thread = threading.Thread(target=crash)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(visible(BugDialog)))
    assert "LookupError: from a background thread" in visible(BugDialog)[0].details.toPlainText()
    visible(BugDialog)[0].reject()


def test_sql_parameters_are_withheld_from_the_details(hook: ExceptionHook, qtbot: QtBot) -> None:
    message = (
        "(IntegrityError) NOT NULL\n[SQL: INSERT INTO concern VALUES (?)]\n"
        f"[parameters: ('{PERSONAL}',)]"
    )
    hook.handle(*raised(RuntimeError(message)))
    qtbot.waitUntil(lambda: bool(visible(BugDialog)))
    details = visible(BugDialog)[0].details.toPlainText()
    assert PERSONAL not in details
    assert "[parameters withheld]" in details
    visible(BugDialog)[0].reject()


def test_the_log_rotates_and_holds_tracebacks_without_messages(
    log_file: Path, hook: ExceptionHook, qtbot: QtBot
) -> None:
    assert log_file.parent == paths.log_dir()
    assert log_file.name == LOG_FILENAME
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    ]
    assert [(h.maxBytes, h.backupCount) for h in handlers] == [(MAX_BYTES, BACKUP_COUNT)]
    hook.handle(*raised(ValueError(PERSONAL)))
    qtbot.waitUntil(lambda: bool(visible(BugDialog)))
    visible(BugDialog)[0].reject()
    for handler in handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Uncaught exception" in text
    assert "builtins.ValueError (message not logged" in text
    assert "test_bug_dialog.py" in text  # the frames are there for the developer
    assert PERSONAL not in text
