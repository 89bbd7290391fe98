"""The one database worker: SQL and key derivation run here, never on the UI thread.

A single QThread runs submitted callables one at a time, in order. One thread rather than a
pool because SQLCipher serialises writers anyway, and one queue means tasks never race each
other for the database (the "database is locked" trouble other apps have had). Results and
failures come back to the UI thread through queued signals.

Only job numbers cross between the threads in signals; the task and its outcome pass through a
locked mailbox, and the worker lets go of them before it says a job is done. So the last
reference to a task's closure (which may reach a window) is always dropped on the UI thread: a
widget deleted on another thread corrupts Qt's per-thread state and crashes the app later.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from prevent_desktop.errors import KnownError, OperationCancelled
from prevent_desktop.ui.bug_dialog import show_bug, show_known_error

logger = logging.getLogger(__name__)

T = TypeVar("T")
PROGRESS_DELAY_MS = 300
_STOP = 0  # the job number that tells the worker thread to finish


class Cancelled(Exception):
    """Raised inside a task by `TaskContext.check_cancelled()` after the user cancelled it."""


def is_cancellation(error: BaseException) -> bool:
    """The user cancelled: the worker's own `Cancelled`, or a service that stopped (and
    tidied up) when its `should_cancel` said so."""
    return isinstance(error, (Cancelled, OperationCancelled))


@dataclass(frozen=True)
class LostFailure:
    """A task whose callbacks were discarded (a lock) failed. Only what the user may be told
    is kept: never the exception itself, whose traceback holds the task's local variables."""

    error_type: str
    message: str | None  # a KnownError's message; None for an unexpected error


class _Signals(QObject):
    """Lives on the UI thread, so the worker's emits reach it as queued calls."""

    submitted = Signal(int)
    progressed = Signal(int, int, int, str)
    completed = Signal(int)


class TaskContext:
    """What a running task may use: progress reports and the cancel flag."""

    def __init__(self, job_id: int, cancel_event: threading.Event, signals: _Signals) -> None:
        self._job_id = job_id
        self._cancel_event = cancel_event
        self._signals = signals

    def report(self, done: int, total: int, text: str = "") -> None:
        self._signals.progressed.emit(self._job_id, done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


@dataclass(eq=False)
class _Job:
    """The UI thread's record of a submitted task; the worker thread never sees it."""

    task: Callable[[TaskContext], Any]
    on_success: Callable[[Any], None]
    on_failure: Callable[[BaseException], None] | None
    parent_widget: QWidget | None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    discarded: bool = False  # the result is no longer wanted: run no callback at all
    finished: bool = False
    dialog: QProgressDialog | None = None


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


class _Mailbox:
    """Tasks waiting to run and outcomes waiting to be delivered, under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[int, tuple[Callable[[TaskContext], Any], threading.Event]] = {}
        self._outcomes: dict[int, tuple[Any, BaseException | None]] = {}

    def post(self, job_id: int, job: _Job) -> None:
        with self._lock:
            self._tasks[job_id] = (job.task, job.cancel_event)

    def take_task(self, job_id: int) -> tuple[Callable[[TaskContext], Any], threading.Event] | None:
        with self._lock:
            return self._tasks.pop(job_id, None)

    def put_outcome(self, job_id: int, result: Any, error: BaseException | None) -> None:
        with self._lock:
            self._outcomes[job_id] = (result, error)

    def take_outcome(self, job_id: int) -> tuple[Any, BaseException | None]:
        with self._lock:
            return self._outcomes.pop(job_id, (None, None))

    def clear_outcomes(self) -> None:
        with self._lock:
            self._outcomes.clear()


class _Runner(QObject):
    """Lives on the worker thread; runs one job per queued call."""

    def __init__(self, mailbox: _Mailbox, signals: _Signals) -> None:
        super().__init__()
        self._mailbox = mailbox
        self._signals = signals

    @Slot(int)
    def run(self, job_id: int) -> None:
        if job_id == _STOP:  # queued behind every earlier job
            QThread.currentThread().quit()
            return
        taken = self._mailbox.take_task(job_id)
        if taken is None:  # discarded before it started
            return
        task, cancel_event = taken
        del taken
        result: Any = None
        error: BaseException | None = None
        try:
            if cancel_event.is_set():
                raise Cancelled()
            result = task(TaskContext(job_id, cancel_event, self._signals))
        except BaseException as caught:  # handed to the UI thread, never swallowed
            error = caught
        self._mailbox.put_outcome(job_id, result, error)
        # Let go of everything before announcing the outcome (see the module docstring).
        del task, result, error
        self._signals.completed.emit(job_id)


class DatabaseWorker(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals(self)
        self._mailbox = _Mailbox()
        self._thread = QThread()
        self._thread.setObjectName("database-worker")
        self._runner = _Runner(self._mailbox, self._signals)
        self._runner.moveToThread(self._thread)
        self._signals.submitted.connect(self._runner.run, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._on_progress)
        self._signals.completed.connect(self._on_completed)
        self._jobs: dict[int, _Job] = {}
        self._numbers = itertools.count(_STOP + 1)
        self._stopped = False
        self._lost_failures: list[LostFailure] = []
        self._thread.start()
        # A QThread destroyed while running aborts the process, so stop with the application
        # even if nobody calls shutdown() explicitly.
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.shutdown)

    @property
    def running(self) -> bool:
        """False once shut down: nothing more may be submitted."""
        return not self._stopped

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
        its message, a cancellation is ignored and anything else opens the bug dialog. With
        `progress`, a cancellable progress dialog appears if the task takes a moment."""
        if self._stopped:
            raise RuntimeError("The database worker has been shut down.")
        job_id = next(self._numbers)
        job = _Job(task, on_success, on_failure, parent_widget)
        self._jobs[job_id] = job
        self._mailbox.post(job_id, job)
        if progress is not None:
            self._prepare_progress_dialog(job, progress)
        self._signals.submitted.emit(job_id)
        return TaskHandle(job)

    def discard_pending(self) -> None:
        """Drop the callbacks of every queued and running task: the windows they would update
        are going away (a lock). The tasks still run, so a save already asked for is kept."""
        for job in self._jobs.values():
            job.discarded = True
            self._close_dialog(job)

    def take_lost_failures(self) -> list[LostFailure]:
        """Failures of tasks whose callbacks `discard_pending` dropped, since the last call."""
        lost, self._lost_failures = self._lost_failures, []
        return lost

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
        error = outcome.pop("error", None)
        if error is not None:
            try:
                raise error
            finally:  # else this frame, in the error's traceback, keeps the loop in a cycle
                del error, outcome, loop
        if "result" not in outcome:
            raise TimeoutError(f"The database task took longer than {timeout_ms} ms.")
        return outcome["result"]  # type: ignore[no-any-return]

    def shutdown(self) -> None:
        """Stop the thread: tasks not yet started are dropped, the running one is waited for."""
        if self._stopped:
            return
        self._stopped = True
        self.discard_pending()
        for job_id, job in list(self._jobs.items()):
            job.cancel_event.set()
            if self._mailbox.take_task(job_id) is not None:
                del self._jobs[job_id]  # never started, and now never will
        self._signals.submitted.emit(_STOP)
        self._thread.wait()
        self._mailbox.clear_outcomes()
        self._jobs.clear()

    # ---- UI-thread side ------------------------------------------------------------------

    def _prepare_progress_dialog(self, job: _Job, text: str) -> None:
        dialog = QProgressDialog(text, "Cancel", 0, 0, job.parent_widget)
        dialog.setWindowTitle("Prevent Desktop")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        # We decide when it shows (below); Qt's own timer would pop it up for quick tasks too.
        dialog.setMinimumDuration(2**31 - 1)
        dialog.canceled.connect(job.cancel_event.set)
        dialog.rejected.connect(job.cancel_event.set)  # Escape, or the window's close button
        job.dialog = dialog
        # Quick tasks finish before the dialog would show, so nothing flickers.
        QTimer.singleShot(PROGRESS_DELAY_MS, dialog, lambda: self._show_dialog(job))

    @staticmethod
    def _show_dialog(job: _Job) -> None:
        if job.dialog is not None and not job.finished and not job.discarded:
            job.dialog.show()

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, done: int, total: int, text: str) -> None:
        job = self._jobs.get(job_id)
        dialog = job.dialog if job is not None else None
        if dialog is None or not shiboken6.isValid(dialog):
            return
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(max(done, 0), max(total, 0)))

    @Slot(int)
    def _on_completed(self, job_id: int) -> None:
        result, error = self._mailbox.take_outcome(job_id)
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        job.finished = True
        self._close_dialog(job)
        widget = job.parent_widget
        if job.discarded:
            if error is not None:
                self._keep_lost_failure(error)
            return
        if widget is not None and not shiboken6.isValid(widget):
            return  # nobody is left to tell (the window that asked has gone)
        if error is None:
            job.on_success(result)
            return
        try:
            if job.on_failure is not None:
                job.on_failure(error)
            else:
                report_failure(error, widget)
        finally:
            # Drop the failed task's local variables (a passphrase, a workspace, the window
            # that asked) from the traceback's frames; the file and line numbers stay.
            traceback.clear_frames(error.__traceback__)

    def _keep_lost_failure(self, error: BaseException) -> None:
        # A save queued just before a lock failed after its window went away: keep a note
        # for the next unlock. The type only in the log: messages may name people.
        if is_cancellation(error):
            return
        logger.warning("A task queued before a lock failed: %s", type(error).__name__)
        message = error.message if isinstance(error, KnownError) else None
        self._lost_failures.append(LostFailure(type(error).__name__, message))

    @staticmethod
    def _close_dialog(job: _Job) -> None:
        dialog, job.dialog = job.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.hide()
            dialog.deleteLater()


def report_failure(error: BaseException, parent: QWidget | None = None) -> None:
    """The default on_failure: a plain message for expected failures, else the bug dialog."""
    if is_cancellation(error):
        return
    if isinstance(error, KnownError):
        logger.info("Task failed with an expected error: %s", type(error).__name__)
        show_known_error(error, parent)
        return
    logger.error(
        "Unexpected error in a database task", exc_info=(type(error), error, error.__traceback__)
    )
    show_bug(type(error), error, error.__traceback__, parent)
