"""Logging to a rotating file in the log folder, and Qt's own warnings routed into it.

The log must never hold personal data: no names, logins, record content, passphrases or keys.
Code logs ids and events only ("unlock failed: WrongPassphrase", "task failed"), never an
error's message (a KnownError's message can name a user or a file). Tracebacks are logged
with their frames and exception types but WITHOUT the exception messages, because a message
such as a database error's parameters or a KeyError's key may quote a young person's details.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from prevent_desktop import __version__, paths

LOG_FILENAME = "prevent-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def describe_exception_for_log(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """A traceback with every frame but no exception message (see the module docstring)."""
    chain: list[traceback.TracebackException] = []
    current: traceback.TracebackException | None = traceback.TracebackException(exc_type, exc, tb)
    while current is not None:
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    parts: list[str] = []
    for link in reversed(chain):
        if parts:
            parts.append("\nDuring or because of the error above:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(link.stack.format())
        name = f"{link.exc_type.__module__}.{link.exc_type.__qualname__}" if link.exc_type else "?"
        parts.append(f"{name} (message not logged: it may contain personal data)\n")
    return "".join(parts)


class PrivacyFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # logging caches the formatted traceback on the record; another handler (the console,
        # pytest) may have filled that cache with the messages we withhold, so ignore it.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        exc_type, exc, tb = ei
        if exc_type is None or exc is None:
            return ""
        return describe_exception_for_log(exc_type, exc, tb).rstrip("\n")


_handler: logging.Handler | None = None


def configure_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating log file (1 MB × 5); returns the file's path.
    Calling it again (a test, a changed --data-dir) replaces the previous file handler."""
    global _handler
    log_file = paths.ensure_dir(paths.log_dir()) / LOG_FILENAME
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(PrivacyFormatter(_FORMAT))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    qInstallMessageHandler(_qt_message_to_log)
    logging.getLogger(__name__).info(
        "Prevent Desktop %s started (Python %s, %s)",
        __version__,
        sys.version.split()[0],
        sys.platform,
    )
    return log_file


def stop_logging() -> None:
    """Detach the file handler (tests, and the end of run_gui) so the file can be removed."""
    global _handler
    qInstallMessageHandler(None)
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message_to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # Qt's warnings are about widgets and platforms (fonts, screens, timers), not records.
    category = context.category or "qt"
    logging.getLogger(f"qt.{category}").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
