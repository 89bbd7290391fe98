"""The one database worker: SQL and key derivation run here, never on the UI thread.

A single QThread runs submitted callables one at a time, in order. One thread rather than a
pool because SQLCipher serialises writers anyway, and one queue means tasks never race each
other for the database (the "database is locked" trouble other apps have had). Results and
failures come back to the UI thread through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from prevent_desktop.errors import KnownError
from prevent_desktop.ui.bug_dialog import show_bug, show_known_error

logger = logging.getLogger(__name__)

T = TypeVar("T")
PROGRESS_DELAY_MS = 300


class Cancelled(Exception):  # noqa: N818 (a state, like KeyboardInterrupt, not an "error")
    """Raised inside a task by `TaskContext.check_cancelled()` after the user cancelled it."""


class TaskContext:
    """What a running task may use: progress reports and the cancel flag."""

    def __init__(self, job: _Job) -> None:
        self._job = job

    def report(self, done: int, total: int, text: str = "") -> None:
        self._job.worker_signals.progressed.emit(self._job, done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


class TaskHandle:
    """The caller's grip on a submitted task."""

    def __init__(self, job: _Job) -> None:
        self._job = job

    def cancel(self) -> None:
        """Ask the task to stop. A task not yet started never starts; a running one stops at
        its next `check_cancelled()`. Either way on_failure receives `Cancelled`."""
        self._job.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()

    @property
    def finished(self) -> bool:
        return self._job.finished


@dataclass(eq=False)
class _Job(Generic[T]):
    task: Callable[[TaskContext], T]
    on_success: Callable[[T], None]
    on_failure: Callable[[BaseException], None] | None
    parent_widget: QWidget | None
    worker_signals: _Signals
    cancel_event: threading.Event = field(default_factory=threading.Event)
    discarded: bool = False  # the result is no longer wanted: run no callback at all
    finished: bool = False
    dialog: QProgressDialog | None = None


class _Signals(QObject):
    """Lives on the UI thread, so the worker's emits reach it as queued calls."""

    submitted = Signal(object)
    progressed = Signal(object, int, int, str)
    completed = Signal(object, object, object)  # job, result, error


class _Runner(QObject):
    """Lives on the worker thread; runs one job per queued call."""

    def __init__(self, signals: _Signals) -> None:
        super().__init__()
        self._signals = signals

    @Slot(object)
    def run(self, job: _Job[Any] | None) -> None:
        if job is None:  # the shutdown sentinel, queued behind every earlier job
            QThread.currentThread().quit()
            return
        result: Any = None
        error: BaseException | None = None
        try:
            if job.cancel_event.is_set():
                raise Cancelled()
            result = job.task(TaskContext(job))
        except BaseException as caught:  # handed to the UI thread, never swallowed
            error = caught
        self._signals.completed.emit(job, result, error)


class DatabaseWorker(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals(self)
        self._thread = QThread()
        self._thread.setObjectName("database-worker")
        self._runner = _Runner(self._signals)
        self._runner.moveToThread(self._thread)
        self._signals.submitted.connect(self._runner.run, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._on_progress)
        self._signals.completed.connect(self._on_completed)
        self._pending: list[_Job[Any]] = []
        self._stopped = False
        self._thread.start()
        # A QThread destroyed while running aborts the process, so stop with the application
        # even if nobody calls shutdown() explicitly.
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.shutdown)

    def submit(
        self,
        task: Callable[[TaskContext], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        progress: str | None = None,
        parent_widget: QWidget | None = None,
    ) -> TaskHandle:
        """Queue `task` to run on the worker thread. `on_success(result)` or
        `on_failure(error)` then runs on the UI thread. Without on_failure, a KnownError shows
        its message, a `Cancelled` is ignored and anything else opens the bug dialog. With
        `progress`, a cancellable progress dialog appears if the task takes a moment."""
        if self._stopped:
            raise RuntimeError("The database worker has been shut down.")
        job = _Job(task, on_success, on_failure, parent_widget, self._signals)
        self._pending.append(job)
        if progress is not None:
            self._prepare_progress_dialog(job, progress)
        self._signals.submitted.emit(job)
        return TaskHandle(job)

    def discard_pending(self) -> None:
        """Cancel every queued and running task and drop their callbacks (used when locking:
        the windows those callbacks would update are going away)."""
        for job in self._pending:
            job.discarded = True
            job.cancel_event.set()
            self._close_dialog(job)

    def run_and_wait(self, task: Callable[[TaskContext], T], timeout_ms: int = 30_000) -> T:
        """Run `task` on the worker and wait for its result in a local event loop, re-raising
        its exception. For tests and start-up code only: windows use `submit`."""
        outcome: dict[str, Any] = {}
        loop = QEventLoop()

        def finish(key: str, value: object) -> None:
            outcome[key] = value
            loop.quit()

        self.submit(task, lambda r: finish("result", r), lambda e: finish("error", e))
        if not outcome:
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        if "result" not in outcome:
            raise TimeoutError(f"The database task took longer than {timeout_ms} ms.")
        return outcome["result"]  # type: ignore[no-any-return]

    def shutdown(self) -> None:
        """Stop the thread: tasks not yet started are dropped, the running one is waited for."""
        if self._stopped:
            return
        self._stopped = True
        self.discard_pending()
        self._signals.submitted.emit(None)
        self._thread.wait()

    # ---- UI-thread side ------------------------------------------------------------------

    def _prepare_progress_dialog(self, job: _Job[Any], text: str) -> None:
        dialog = QProgressDialog(text, "Cancel", 0, 0, job.parent_widget)
        dialog.setWindowTitle("Prevent Desktop")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        # We decide when it shows (below); Qt's own timer would pop it up for quick tasks too.
        dialog.setMinimumDuration(2**31 - 1)
        dialog.canceled.connect(job.cancel_event.set)
        dialog.hide()
        job.dialog = dialog
        # Quick tasks finish before the dialog would show, so nothing flickers.
        QTimer.singleShot(PROGRESS_DELAY_MS, dialog, lambda: self._show_dialog(job))

    @staticmethod
    def _show_dialog(job: _Job[Any]) -> None:
        if job.dialog is not None and not job.finished and not job.discarded:
            job.dialog.show()

    @Slot(object, int, int, str)
    def _on_progress(self, job: _Job[Any], done: int, total: int, text: str) -> None:
        dialog = job.dialog
        if dialog is None or job.finished or not shiboken6.isValid(dialog):
            return
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(max(done, 0), max(total, 0)))

    @Slot(object, object, object)
    def _on_completed(self, job: _Job[Any], result: object, error: BaseException | None) -> None:
        job.finished = True
        if job in self._pending:
            self._pending.remove(job)
        self._close_dialog(job)
        if job.discarded:
            return
        widget = job.parent_widget
        if widget is not None and not shiboken6.isValid(widget):
            return  # the window that asked has been deleted; nobody is left to tell
        if error is None:
            job.on_success(result)
        elif job.on_failure is not None:
            job.on_failure(error)
        else:
            report_failure(error, widget)

    @staticmethod
    def _close_dialog(job: _Job[Any]) -> None:
        dialog, job.dialog = job.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.hide()
            dialog.deleteLater()


def report_failure(error: BaseException, parent: QWidget | None = None) -> None:
    """The default on_failure: a plain message for expected failures, else the bug dialog."""
    if isinstance(error, Cancelled):
        return
    if isinstance(error, KnownError):
        logger.info("Task failed with an expected error: %s", type(error).__name__)
        show_known_error(error, parent)
        return
    logger.error(
        "Unexpected error in a database task", exc_info=(type(error), error, error.__traceback__)
    )
    show_bug(type(error), error, error.__traceback__, parent)
