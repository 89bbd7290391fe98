"""A message line under a form: an expected failure, or a note that something worked.

A wrong passphrase or a taken user name is best explained where the person is typing rather
than in a pop-up. Anything that is not a KnownError is a bug and still goes to the bug dialog
through the worker's default handler.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from prevent_desktop.errors import KnownError
from prevent_desktop.ui.styles import ERROR_STYLE, NOTICE_STYLE
from prevent_desktop.ui.worker import is_cancellation, report_failure


class FormMessage:
    """Owns one label, hidden while there is nothing to say. Styled like the unlock window's
    messages; the "⚠" makes an error more than a colour."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        self.clear()

    def error(self, message: str) -> None:
        self.label.setStyleSheet(ERROR_STYLE)
        self.label.setText(f"⚠ {message}")
        self.label.setVisible(True)

    def note(self, message: str) -> None:
        self.label.setStyleSheet(NOTICE_STYLE)
        self.label.setText(message)
        self.label.setVisible(True)

    def clear(self) -> None:
        self.label.clear()
        self.label.setVisible(False)

    def text(self) -> str:
        return self.label.text() if self.label.isVisible() else ""

    def failure_handler(
        self, parent: QWidget, after: Callable[[], None] | None = None
    ) -> Callable[[BaseException], None]:
        """An on_failure for `DatabaseWorker.submit`: KnownErrors here, bugs to the bug
        dialog. `after` runs either way (typically to re-enable the form)."""

        def handle(failure: BaseException) -> None:
            if after is not None:
                after()
            if is_cancellation(failure):
                return
            if isinstance(failure, KnownError):
                self.error(failure.message)
            else:
                report_failure(failure, parent)

        return handle
