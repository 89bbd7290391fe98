"""The app controller: which window shows when, locking (idle, Ctrl+L), one instance per file."""

from __future__ import annotations

import gc
import hashlib
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from prevent_desktop.app import AppController, run_gui
from prevent_desktop.errors import ExitCode, ReadOnlyLocation, ValidationError
from prevent_desktop.paths import backup_dir_for
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.keyslots import key_file_path
from prevent_desktop.ui.idle_lock import IdleLock
from prevent_desktop.ui.setup_wizard import NewDatabase, create_database
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, add_dana_and_tom
from tests.gui.conftest import StandInMainWindow
from tests.unit.concern_support import sample_input
from tests.unit.test_page_check import damage_last_page

MakeController = Callable[..., AppController]


@pytest.fixture
def make_controller(
    worker: DatabaseWorker,
    no_keychain: Keychain,
    stand_in_factory: Callable[..., StandInMainWindow],
) -> Iterator[MakeController]:
    made: list[AppController] = []

    def make(db: Path, **options: Any) -> AppController:
        options.setdefault("keychain", no_keychain)
        options.setdefault("main_window_factory", stand_in_factory)
        controller = AppController(db, worker=worker, **options)
        made.append(controller)
        controller.start()
        return controller

    yield make
    for controller in made:
        controller.shutdown()
        for window in (controller.unlock_window, controller.wizard, controller.main_window):
            if window is not None:
                window.close()
                window.deleteLater()


def unlock(qtbot: QtBot, controller: AppController, passphrase: str = PASSPHRASE) -> None:
    window = controller.unlock_window
    assert window is not None
    qtbot.waitUntil(lambda: not window.busy)
    window.ui.passphraseEdit.setText(passphrase)
    qtbot.mouseClick(window.ui.unlockButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)


def create_in_wizard(worker: DatabaseWorker, db_path: Path) -> NewDatabase:
    """What the wizard's last page does on the worker: create the site's database."""
    return worker.run_and_wait(
        lambda _ctx: create_database(
            db_path,
            site_name="Leeds Training Centre",
            site_code="LTC",
            login="sam",
            full_name="Sam Patel",
            passphrase=PASSPHRASE,
            safeguarding_lead=True,
        ),
        timeout_ms=20_000,
    )


def test_a_first_launch_opens_the_setup_wizard(
    db_path: Path, make_controller: MakeController
) -> None:
    controller = make_controller(db_path)
    assert controller.wizard is not None and controller.wizard.isVisible()
    assert controller.unlock_window is None


def test_finishing_the_wizard_opens_the_main_window_and_lets_the_wizard_go(
    db_path: Path,
    make_controller: MakeController,
    worker: DatabaseWorker,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(db_path)
    wizard = controller.wizard
    assert wizard is not None
    new = create_in_wizard(worker, db_path)
    wizard.database_created(new, "Leeds Training Centre")
    panel = wizard.recovery_page.panel
    assert panel.key == new.recovery_key
    destroyed: list[bool] = []
    wizard.destroyed.connect(lambda: destroyed.append(True))
    wizard.accept()
    assert controller.workspace is new.workspace and stand_in_windows[0].isVisible()
    assert controller.wizard is None
    assert panel.key == "" and panel.key_label.text() == ""
    qtbot.waitUntil(lambda: destroyed == [True])


def test_unlocking_opens_the_main_window(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(created_db)
    assert controller.wizard is None
    assert controller.unlock_window is not None and controller.unlock_window.isVisible()
    unlock(qtbot, controller)
    assert stand_in_windows[0].isVisible()
    assert not controller.unlock_window.isVisible()
    assert controller.workspace is not None and controller.workspace.actor.login == "sam"


def test_a_damaged_page_found_beside_the_session_is_reported(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    damage_last_page(created_db)  # never read by signing in: only the page check finds it
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: message_boxes() != [], timeout=10_000)
    text = message_boxes()[0].text()
    assert "found 1 damaged page(s)" in text and "HMAC verification failed" in text
    assert "prevent-desktop check" in text and "backup" in text
    assert controller.workspace is not None  # the session goes on: the user decides
    message_boxes()[0].close()


def test_a_sound_session_makes_the_daily_backup_once(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: backup.latest_automatic_backup(created_db) is not None, timeout=15_000)
    made = backup.latest_automatic_backup(created_db)
    assert made is not None and made.name.endswith("-daily.db")
    stand_in_windows[0].sign_out_requested.emit()
    unlock(qtbot, controller)
    page_check = controller._page_check
    assert page_check is not None
    qtbot.waitUntil(lambda: page_check.finished, timeout=15_000)
    assert backup.automatic_backups(backup_dir_for(created_db), created_db.stem) == [made]
    assert message_boxes() == []


def test_a_daily_backup_that_fails_is_reported(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    backup_dir_for(created_db).write_text("a file where the backups folder should be")
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: message_boxes() != [], timeout=15_000)
    text = message_boxes()[0].text()
    assert text.startswith("Today's automatic backup could not be made:")
    assert "Back up now" in text
    message_boxes()[0].close()


def test_after_damage_is_found_the_unlock_window_offers_the_latest_backup(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    database = workspace.database
    made = backup.backup_if_due(database.engine, database.path, database.key)
    workspace.close()
    damage_last_page(created_db)
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: message_boxes() != [], timeout=10_000)
    assert "offers to restore the latest automatic backup" in message_boxes()[0].text()
    message_boxes()[0].close()
    # No backup of the damaged file pushed the good one along.
    assert backup.automatic_backups(backup_dir_for(created_db), created_db.stem) == [made]

    stand_in_windows[0].sign_out_requested.emit()
    window = controller.unlock_window
    assert window is not None
    qtbot.waitUntil(lambda: window.restore_offer is not None)
    assert window.restoreButton.text().startswith("Restore the automatic backup of ")


def message_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_idle_time_locks_clears_the_views_and_drops_the_key(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(created_db, idle_interval_ms=150)
    unlock(qtbot, controller)
    workspace = controller.workspace
    assert workspace is not None
    main = stand_in_windows[0]
    detail = QMessageBox(QMessageBox.Icon.Information, "Concern", "A record on screen", parent=main)
    detail.open()

    qtbot.waitUntil(lambda: controller.workspace is None, timeout=3000)
    assert main.cleared == 1 and main.record_label.text() == ""
    assert not main.isVisible() and not detail.isVisible()
    qtbot.waitUntil(lambda: workspace.database.key == b"")
    unlock_window = controller.unlock_window
    assert unlock_window is not None and unlock_window.isVisible()
    assert unlock_window.ui.noticeLabel.isVisible()
    qtbot.waitUntil(lambda: not unlock_window.busy)
    assert unlock_window.ui.userCombo.currentText() == "sam"  # the same user, ready to go on
    assert not controller.idle_lock.active

    unlock(qtbot, controller)  # and back in, with a new window and a new session
    assert len(stand_in_windows) == 2 and stand_in_windows[1].isVisible()
    assert controller.workspace is not None and controller.workspace is not workspace


def test_a_save_that_fails_after_the_lock_is_reported_at_the_next_unlock(
    created_db: Path,
    make_controller: MakeController,
    worker: DatabaseWorker,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(created_db)
    unlock(qtbot, controller)

    def save(_ctx: object) -> None:
        raise ValidationError("The review date must be after the assessment date.")

    worker.submit(save, lambda _none: None)  # still queued when the lock comes
    controller.lock()
    unlock(qtbot, controller)
    main = stand_in_windows[1]
    qtbot.waitUntil(lambda: main.findChild(QMessageBox, "messageBox") is not None)
    box = main.findChild(QMessageBox, "messageBox")
    assert box.text() == (
        "A change made just before Prevent Desktop locked could not be saved: "
        "The review date must be after the assessment date."
    )
    box.close()
    assert worker.take_lost_failures() == []


def test_activity_postpones_the_idle_lock(qtbot: QtBot) -> None:
    idle = IdleLock()
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    idle.set_interval_ms(400)
    idle.start()
    try:
        qtbot.wait(250)
        assert idle.remaining_ms < 200
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert idle.remaining_ms > 300
        with qtbot.waitSignal(idle.idle_timeout, timeout=2000):
            pass
    finally:
        idle.stop()
    assert not idle.active and idle.remaining_ms == -1


def test_ctrl_l_in_the_real_main_window_locks(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    from prevent_desktop.ui.main_window import MainWindow

    controller = make_controller(created_db, main_window_factory=None)
    unlock(qtbot, controller)
    main = controller.main_window
    assert isinstance(main, MainWindow)
    workspace = controller.workspace
    assert workspace is not None
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.workspace is None)
    assert not main.isVisible()
    assert controller.unlock_window is not None and controller.unlock_window.isVisible()
    qtbot.waitUntil(lambda: workspace.database.key == b"")


def test_signing_out_shows_the_unlock_window_without_the_lock_notice(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
) -> None:
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    stand_in_windows[0].sign_out_requested.emit()
    assert controller.workspace is None
    assert controller.unlock_window is not None and controller.unlock_window.isVisible()
    assert not controller.unlock_window.ui.noticeLabel.isVisible()


def test_quitting_drops_the_key(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    controller = make_controller(created_db)
    unlock(qtbot, controller)
    workspace = controller.workspace
    assert workspace is not None
    controller.shutdown()
    assert workspace.database.key == b""
    assert controller.workspace is None


def test_a_missing_key_file_is_reported_and_nothing_is_created(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    keys = key_file_path(created_db)
    keys.unlink()
    before = hashlib.sha256(created_db.read_bytes()).hexdigest()
    controller = make_controller(created_db)
    assert controller.wizard is None
    window = controller.unlock_window
    assert window is not None
    qtbot.waitUntil(lambda: "missing" in window.error_text)
    assert not keys.exists()
    assert hashlib.sha256(created_db.read_bytes()).hexdigest() == before


def test_a_second_window_on_the_same_database_is_refused(created_db: Path, qtbot: QtBot) -> None:
    seen: list[str] = []

    def close_the_message() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_the_message)

    with InstanceLock(created_db):
        QTimer.singleShot(20, close_the_message)
        exit_code = run_gui(created_db)
    assert exit_code == ExitCode.ENVIRONMENT
    assert len(seen) == 1
    assert "already open in another Prevent Desktop window" in seen[0]


def test_a_read_only_location_is_explained_in_a_message_box(
    created_db: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores chmod, so the lock's refusal is stood in for rather than provoked.
    def refuse(_lock: InstanceLock) -> None:
        raise ReadOnlyLocation("The folder is read-only: choose another.")

    monkeypatch.setattr(InstanceLock, "acquire", refuse)
    seen: list[str] = []

    def close_the_message() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_the_message)

    QTimer.singleShot(20, close_the_message)
    exit_code = run_gui(created_db)
    assert exit_code == ExitCode.ENVIRONMENT == 5
    assert seen == ["The folder is read-only: choose another."]


def test_a_manager_changes_the_auto_lock_minutes_and_the_timer_follows(
    created_db: Path, make_controller: MakeController, qtbot: QtBot
) -> None:
    from prevent_desktop.ui.main_window import MainWindow

    controller = make_controller(created_db, main_window_factory=None)
    unlock(qtbot, controller)
    main = controller.main_window
    assert isinstance(main, MainWindow)
    qtbot.waitUntil(lambda: controller.idle_lock.interval_ms == 10 * 60_000)
    dialog = main.open_settings()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=10_000)
    assert dialog.general.minutes.value() == 10
    dialog.general.minutes.setValue(3)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: controller.idle_lock.interval_ms == 3 * 60_000)
    workspace = controller.workspace
    assert workspace is not None
    assert workspace.site.auto_lock_minutes() == 3


def test_the_wizard_ends_on_the_overview_with_the_starter_data_and_the_checklist(
    db_path: Path, make_controller: MakeController, worker: DatabaseWorker, qtbot: QtBot
) -> None:
    from prevent_desktop.ui.main_window import MainWindow

    controller = make_controller(db_path, main_window_factory=None)
    wizard = controller.wizard
    assert wizard is not None
    new = create_in_wizard(worker, db_path)
    wizard.database_created(new, "Leeds Training Centre")
    wizard.accept()
    main = controller.main_window
    assert isinstance(main, MainWindow) and main.overview_tab is not None
    overview = main.overview_tab
    assert main.ui.tabs.currentWidget() is overview
    qtbot.waitUntil(lambda: overview.data is not None, timeout=10_000)
    data = overview.data
    assert data is not None
    # The strategy's starter register, courses and plans are in place ...
    assert sum(data.risks_by_rag.values()) > 0 and data.training_by_course
    assert data.next_drill is not None
    # ... and the checklist says what to fill in first.
    assert overview.checklist.isVisible()
    labels = [item.label for item in data.checklist if not item.done]
    assert "Fill in your local contacts" in labels and "Add your staff list" in labels
    assert "Set head office's public key" in labels


def unlock_as_dana(qtbot: QtBot, controller: AppController) -> None:
    window = controller.unlock_window
    assert window is not None
    qtbot.waitUntil(lambda: not window.busy)
    window.ui.userCombo.setCurrentText("dana")
    unlock(qtbot, controller, LEAD_PASSPHRASE)


def listed_people(worker: DatabaseWorker, controller: AppController) -> list[str | None]:
    workspace = controller.workspace
    assert workspace is not None
    concerns = workspace.concerns
    return [s.person for s in worker.run_and_wait(lambda _task: concerns.list_concerns())]


def test_a_locked_session_is_let_go_with_who_its_concerns_are_about(
    created_db: Path,
    make_controller: MakeController,
    qtbot: QtBot,
    stand_in_windows: list[StandInMainWindow],
    worker: DatabaseWorker,
) -> None:
    owner, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    add_dana_and_tom(owner)
    owner.concerns.log_concern(sample_input())
    owner.close()
    controller = make_controller(created_db)
    unlock_as_dana(qtbot, controller)
    assert controller.workspace is not None
    service = weakref.ref(controller.workspace.concerns)
    people = controller.workspace.concerns._people
    assert listed_people(worker, controller) != [None]  # a lead's list names the person
    assert people  # kept for the session
    controller.lock()
    unlock_as_dana(qtbot, controller)  # a second session, then locked too
    controller.lock()
    assert people == {}  # forgotten when the first session closed
    stand_in_windows.clear()
    for _ in range(5):  # the page checks' threads end; nothing else holds the session
        qtbot.wait(50)
        gc.collect()
    assert service() is None
