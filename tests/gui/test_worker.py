"""The database worker: off the UI thread, in order, cancellable, failures reported."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from prevent_desktop.errors import OperationCancelled, ValidationError
from prevent_desktop.ui.bug_dialog import BugDialog
from prevent_desktop.ui.worker import Cancelled, DatabaseWorker, TaskContext


def visible(kind: type) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_task_runs_off_the_ui_thread_and_its_result_arrives_on_it(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    ui_thread = threading.get_ident()
    seen: dict[str, Any] = {}

    def task(_ctx: TaskContext) -> int:
        seen["task_thread"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["callback_thread"] = threading.get_ident()
        seen["result"] = result

    worker.submit(task, done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["task_thread"] != ui_thread
    assert seen["callback_thread"] == ui_thread


def test_tasks_run_one_at_a_time_in_the_order_submitted(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    order: list[int] = []
    threads: set[int] = set()

    def task(number: int) -> Any:
        def run(_ctx: TaskContext) -> int:
            threads.add(threading.get_ident())
            return number

        return run

    for number in range(6):
        worker.submit(task(number), order.append)
    qtbot.waitUntil(lambda: len(order) == 6)
    assert order == list(range(6))
    assert len(threads) == 1


def test_a_failure_goes_to_on_failure_on_the_ui_thread(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    failures: list[tuple[BaseException, int]] = []

    def task(_ctx: TaskContext) -> None:
        raise ValidationError("That date is in the future.")

    worker.submit(
        task,
        lambda _r: pytest.fail("should have failed"),
        lambda error: failures.append((error, threading.get_ident())),
    )
    qtbot.waitUntil(lambda: bool(failures))
    error, thread = failures[0]
    assert isinstance(error, ValidationError)
    assert thread == threading.get_ident()


def test_cancelling_a_running_task_stops_it(worker: DatabaseWorker, qtbot: QtBot) -> None:
    started = threading.Event()
    failures: list[BaseException] = []

    def task(ctx: TaskContext) -> None:
        started.set()
        while True:
            ctx.check_cancelled()
            threading.Event().wait(0.005)

    handle = worker.submit(task, lambda _r: None, failures.append)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], Cancelled)
    assert handle.finished and handle.cancelled


def test_a_task_cancelled_before_it_starts_never_runs(worker: DatabaseWorker, qtbot: QtBot) -> None:
    release = threading.Event()
    ran: list[str] = []
    failures: list[BaseException] = []
    worker.submit(lambda _ctx: release.wait(5), lambda _r: ran.append("blocker"))
    handle = worker.submit(lambda _ctx: ran.append("second"), lambda _r: None, failures.append)
    handle.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], Cancelled)
    assert ran == ["blocker"]


def test_a_slow_task_shows_progress_and_its_cancel_button_works(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    failures: list[BaseException] = []

    def task(ctx: TaskContext) -> None:
        ctx.report(3, 10, "Checking pages…")
        while not ctx.cancelled:
            threading.Event().wait(0.005)
        ctx.check_cancelled()

    worker.submit(task, lambda _r: None, failures.append, progress="Checking the database…")
    qtbot.waitUntil(lambda: bool(visible(QProgressDialog)), timeout=3000)
    dialog = visible(QProgressDialog)[0]
    qtbot.waitUntil(lambda: dialog.value() == 3)
    assert dialog.maximum() == 10
    assert dialog.labelText() == "Checking pages…"
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button.text() == "Cancel"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], Cancelled)
    qtbot.waitUntil(lambda: not visible(QProgressDialog))


def test_a_quick_task_shows_no_progress_dialog(worker: DatabaseWorker, qtbot: QtBot) -> None:
    results: list[str] = []
    worker.submit(lambda _ctx: "done", results.append, progress="Saving…")
    qtbot.waitUntil(lambda: bool(results))
    qtbot.wait(400)  # past the delay after which a progress dialog would have appeared
    assert not visible(QProgressDialog)


def test_without_on_failure_an_expected_error_shows_its_message(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    def task(_ctx: TaskContext) -> None:
        raise ValidationError("The review date must be after the assessment date.")

    worker.submit(task, lambda _r: None)
    qtbot.waitUntil(lambda: bool(visible(QMessageBox)))
    box = visible(QMessageBox)[0]
    assert box.text() == "The review date must be after the assessment date."
    assert not visible(BugDialog)
    box.accept()


def test_without_on_failure_a_bug_opens_the_bug_dialog(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    def task(_ctx: TaskContext) -> None:
        raise RuntimeError("unexpected state")

    worker.submit(task, lambda _r: None)
    qtbot.waitUntil(lambda: bool(visible(BugDialog)))
    dialog = visible(BugDialog)[0]
    details = dialog.details.toPlainText()
    assert "RuntimeError: unexpected state" in details
    assert "in task" in details
    dialog.reject()


def test_run_and_wait_returns_the_result_or_raises(worker: DatabaseWorker) -> None:
    assert worker.run_and_wait(lambda _ctx: threading.get_ident()) != threading.get_ident()

    def task(_ctx: TaskContext) -> None:
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        worker.run_and_wait(task)


def test_discarded_tasks_still_run_but_call_nothing_back(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    release = threading.Event()
    ran: list[str] = []
    called: list[object] = []
    worker.submit(lambda _ctx: release.wait(5), called.append)
    worker.submit(lambda _ctx: ran.append("queued save"), called.append, called.append)
    worker.discard_pending()
    release.set()
    assert worker.run_and_wait(lambda _ctx: "after") == "after"
    assert ran == ["queued save"]  # a lock never loses a save that was already asked for
    assert called == []


def test_failures_of_discarded_tasks_are_logged_by_type_and_kept_for_later(
    worker: DatabaseWorker, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def rejected(_ctx: TaskContext) -> None:
        raise ValidationError("Ann Smith's concern needs a date.")

    def broken(_ctx: TaskContext) -> None:
        raise RuntimeError("Ann Smith")

    def stopped(_ctx: TaskContext) -> None:
        raise OperationCancelled("Stopped.")

    called: list[object] = []
    for task in (rejected, broken, stopped):
        worker.submit(task, called.append, called.append)
    worker.submit(lambda ctx: ctx.check_cancelled(), called.append).cancel()
    worker.discard_pending()
    with caplog.at_level(logging.WARNING, logger="prevent_desktop.ui.worker"):
        assert worker.run_and_wait(lambda _ctx: "after") == "after"
    assert called == []
    assert not visible(QMessageBox)
    lost = worker.take_lost_failures()
    assert [(f.error_type, f.message) for f in lost] == [
        ("ValidationError", "Ann Smith's concern needs a date."),
        ("RuntimeError", None),
    ]
    assert worker.take_lost_failures() == []  # told once
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(logged) == 2 and not any("Ann" in line for line in logged)


def test_an_operation_cancelled_by_a_service_is_as_quiet_as_cancelled(
    worker: DatabaseWorker, qtbot: QtBot
) -> None:
    def task(_ctx: TaskContext) -> None:
        raise OperationCancelled("Stopped; nothing was written.")

    called: list[object] = []
    worker.submit(task, called.append)
    worker.run_and_wait(lambda _ctx: None)
    assert called == [] and not visible(QMessageBox) and not visible(BugDialog)


def test_shutdown_waits_for_the_running_task_then_refuses_new_ones(qapp: QApplication) -> None:
    database_worker = DatabaseWorker()
    started, finished = threading.Event(), threading.Event()

    def task(_ctx: TaskContext) -> None:
        started.set()
        threading.Event().wait(0.1)
        finished.set()

    never: list[str] = []
    database_worker.submit(task, lambda _r: None)
    database_worker.submit(lambda _ctx: never.append("ran"), never.append, never.append)
    assert started.wait(5)
    database_worker.shutdown()
    assert finished.is_set()
    assert never == []  # queued behind the running task, so dropped
    with pytest.raises(RuntimeError):
        database_worker.submit(lambda _ctx: None, lambda _r: None)
    database_worker.shutdown()  # a second call is harmless
