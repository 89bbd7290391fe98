"""What the user sees when something fails: a plain message for expected failures, a dialog
with copyable details for bugs, and the exception hook that routes every uncaught exception
(UI thread or any other thread) to one of the two.
"""

from __future__ import annotations

import logging
import platform
import re
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop import __version__
from prevent_desktop.errors import KnownError

logger = logging.getLogger(__name__)

# Dialogs shown without blocking (open(), not exec()) have no Python owner once the function
# returns; this keeps them alive until they close.
_open_dialogs: dict[int, QDialog] = {}

# SQLAlchemy appends the statement's bound values to its messages; they are record content.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\]\s*$", re.MULTILINE | re.DOTALL)


def _keep_until_closed(dialog: QDialog) -> None:
    key = id(dialog)
    _open_dialogs[key] = dialog
    # The slot names the dialog by its key only: a closure over the dialog itself, connected
    # to the dialog's own signal, would be a reference cycle for the garbage collector.
    dialog.finished.connect(lambda _result: _open_dialogs.pop(key, None))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def show_message(
    text: str,
    parent: QWidget | None = None,
    *,
    title: str = "Prevent Desktop",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A message box that does not block the event loop (tests can find and close it)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    _keep_until_closed(box)
    box.open()
    return box


def show_known_error(error: KnownError, parent: QWidget | None = None) -> QMessageBox:
    return show_message(error.message, parent)


def format_details(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """What a developer needs: versions, platform and the full traceback, with any SQL
    parameters (record content) cut out."""
    from PySide6 import QtCore

    lines = [
        f"Prevent Desktop {__version__}",
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"Qt {QtCore.qVersion()}",
        f"{platform.platform()}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return _SQL_PARAMETERS.sub("[parameters withheld]", "\n".join(lines))


class BugDialog(QDialog):
    """An unexpected error: what happened, that the data is safe, and details to copy."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bugDialog")
        self.setWindowTitle("Prevent Desktop — Unexpected error")
        self.setMinimumSize(620, 420)
        self.summary = QLabel(
            "<b>Something went wrong that Prevent Desktop did not expect.</b><br>"
            "Your records are safe: every change is saved in a transaction, so a half-finished "
            "change is never written. You can carry on; if it happens again, send the details "
            "below to whoever supports Prevent Desktop at your organisation.",
            self,
        )
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText(details)
        caution = QLabel(
            "The details name no records, but an error message can quote what was being "
            "saved: read them before sending.",
            self,
        )
        caution.setWordWrap(True)
        caution.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy details", self)
        self.copy_button.setObjectName("copyDetails")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(caution)
        layout.addWidget(buttons)

    def add_details(self, details: str) -> None:
        """A further error while this dialog is open: appended, so one dialog shows them all."""
        self.details.appendPlainText("\n" + "-" * 60 + "\n" + details)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")


def show_bug(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> BugDialog:
    details = format_details(exc_type, exc, tb)
    existing = next((d for d in _open_dialogs.values() if isinstance(d, BugDialog)), None)
    if existing is not None:
        existing.add_details(details)
        return existing
    dialog = BugDialog(details, parent)
    _keep_until_closed(dialog)
    dialog.open()
    return dialog


class ExceptionHook(QObject):
    """Replaces sys.excepthook and threading.excepthook until `uninstall()`."""

    _raised = Signal(object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self._previous_sys: Any = None
        self._previous_threading: Any = None
        # Created on the UI thread, so an emit from another thread arrives queued on it. A plain
        # function, not a method: a hook connected to its own method would be a reference cycle.
        self._raised.connect(_show_uncaught, Qt.ConnectionType.AutoConnection)

    def install(self) -> None:
        if sys.excepthook != self.handle:
            self._previous_sys = sys.excepthook
            sys.excepthook = self.handle
        if threading.excepthook != self._handle_thread:
            self._previous_threading = threading.excepthook
            threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_sys is not None and sys.excepthook == self.handle:
            sys.excepthook = self._previous_sys
        if self._previous_threading is not None and threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_threading
        self._previous_sys = self._previous_threading = None

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, KnownError):
            logger.warning("Uncaught expected error: %s", exc_type.__name__)
        else:
            logger.error("Uncaught exception", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._raised.emit(exc_type, exc, tb)

    def _handle_thread(self, args: Any) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)


def _show_uncaught(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    parent = QApplication.activeWindow()
    try:
        if isinstance(exc, KnownError):
            show_known_error(exc, parent)
        else:
            show_bug(exc_type, exc, tb, parent)
    except Exception:  # never recurse into ourselves: a failing dialog goes to stderr
        logger.exception("Could not show the error dialog")
        sys.__excepthook__(exc_type, exc, tb)
    finally:
        # The details are formatted; release the frames' variables (record content, windows).
        traceback.clear_frames(tb)


_hook: ExceptionHook | None = None


def install_exception_hook() -> ExceptionHook:
    """Route uncaught exceptions to the log and a dialog. Call after the QApplication exists."""
    global _hook
    if _hook is None:
        _hook = ExceptionHook()
    _hook.install()
    return _hook
