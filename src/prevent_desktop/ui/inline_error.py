"""Expected failures shown next to the form that caused them instead of in a pop-up.

A wrong passphrase or a taken user name is best explained where the person is typing. Anything
that is not a KnownError is a bug and still goes to the bug dialog through the worker's
default handler.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from prevent_desktop.errors import KnownError
from prevent_desktop.ui.worker import Cancelled, report_failure

# A red that stays readable on light and dark palettes; the "⚠" makes it more than colour.
_ERROR_STYLE = "color: #c62828; font-weight: 600;"


class InlineError:
    """Owns one label: hidden while there is nothing to say."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        label.setStyleSheet(_ERROR_STYLE)
        self.clear()

    def show(self, message: str) -> None:
        self.label.setText(f"⚠ {message}")
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

        def handle(error: BaseException) -> None:
            if after is not None:
                after()
            if isinstance(error, KnownError):
                self.show(error.message)
            elif not isinstance(error, Cancelled):
                report_failure(error, parent)

        return handle
