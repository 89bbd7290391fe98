"""The main window: tabs, status bar, menus by role, lock, clearing, backup."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.overview_views import Destination, Link
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab
from prevent_desktop.ui.threat_level_dialog import ThreatLevelDialog
from prevent_desktop.ui.users_dialog import UsersDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE, STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, drain, show_main_window, sign_in


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> MainWindow:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_main_window(qtbot, worker, workspace, memory_keychain)


def test_four_tabs_in_order(window: MainWindow, screenshot: Screenshot) -> None:
    tabs = window.ui.tabs
    # A tab's label may carry a count of what needs attention, e.g. "Incident plan (⚠ 6)".
    titles = [tabs.tabText(i).split(" (")[0] for i in range(tabs.count())]
    assert titles == [
        "Overview",
        "Risk register",
        "Concern log",
        "Training matrix",
        "Incident plan",
        "Strategy",
    ]
    risk_tab = tabs.widget(1)
    assert "risk assessment and action plan" in risk_tab.purpose
    screenshot(window, "main_window")


def test_status_bar_shows_site_user_and_threat_level(window: MainWindow) -> None:
    assert window.windowTitle() == "Prevent Desktop — Leeds Training Centre"
    text = window.status_panel.text()
    assert "Leeds Training Centre (LTC)" in text
    assert "Sam Patel — Manager" in text
    assert "Substantial" in text
    assert window.status_panel.threat_since_label.text().startswith("since ")
    badge = window.status_panel.threat_badge
    assert badge.accessibleName() == "National threat level: Substantial"


def test_clicking_the_threat_level_opens_its_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.status_panel.threat_badge, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ThreatLevelDialog)
    assert dialog is not None and dialog.isVisible()
    # A second request raises the open dialog rather than stacking another.
    assert window.open_threat_level() is dialog


def test_ctrl_l_emits_lock_requested(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    with qtbot.waitSignal(window.lock_requested, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.actionLock.shortcut().toString() == "Ctrl+L"


def test_ctrl_l_still_locks_while_a_dialog_is_open(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_threat_level()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(window.lock_requested, timeout=2000):
        qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_l_still_locks_from_a_dialog_opened_by_a_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    users = window.open_users()
    assert users is not None
    editor = users.open_add_user()
    qtbot.waitExposed(editor)
    with qtbot.waitSignal(window.lock_requested, timeout=2000):
        qtbot.keyClick(editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_sign_out_emits_sign_out_requested(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sign_out_requested, timeout=2000):
        window.ui.actionSignOut.trigger()


def test_clear_views_empties_tabs_status_and_dialogs(
    qtbot: QtBot, window: MainWindow, worker: DatabaseWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    cleared: list[str] = []
    for tab in window.tabs:
        monkeypatch.setattr(tab, "clear", lambda name=tab.title: cleared.append(name))
    users = window.open_users()
    assert users is not None
    qtbot.waitUntil(lambda: users.loaded)

    window.refresh_views()  # loads in flight when the lock comes must not repaint afterwards
    window.clear_views()
    drain(worker)

    assert cleared == [tab.title for tab in window.tabs] and cleared[0] == "Overview"
    assert not shiboken6.isValid(users) or not users.isVisible()
    assert window.windowTitle() == "Prevent Desktop"
    text = window.status_panel.text()
    assert "Sam Patel" not in text and "Leeds" not in text and "Substantial" not in text

    window.refresh_views()
    qtbot.waitUntil(lambda: "Substantial" in window.status_panel.text())
    assert "Sam Patel" in window.status_panel.text()


def test_changes_are_broadcast_to_the_tabs(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    training = next(tab for tab in window.tabs if isinstance(tab, TrainingMatrixTab))
    qtbot.waitUntil(lambda: not any(tab.stale for tab in window.tabs))  # preloading is done
    refreshed: list[bool] = []
    monkeypatch.setattr(training, "refresh", lambda: refreshed.append(True))
    window.changed.emit(ChangeSet("threat_level", "create", ("x",)))
    assert refreshed == [] and not training.stale  # not a record type the matrix shows

    # Behind the Overview, the matrix is marked stale and reloaded in the background.
    window.changed.emit(ChangeSet("user", "create", ("x",)))
    qtbot.waitUntil(lambda: refreshed == [True])

    # In front, it reloads at once.
    window.show_tab(training)
    window.changed.emit(ChangeSet("user", "create", ("x",)))
    assert refreshed == [True, True]


def test_only_the_tab_in_front_loads_at_once_and_the_others_follow_one_by_one(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    window = MainWindow(worker, workspace, memory_keychain)
    qtbot.addWidget(window)
    order: list[str] = []
    for tab in window.tabs:
        tab.loaded.connect(lambda name=tab.title: order.append(name))
    started = [tab.title for tab in window.tabs if not tab.stale]
    assert started == ["Overview"]  # the others wait for it
    qtbot.waitUntil(lambda: len(order) == len(window.tabs), timeout=20_000)
    assert order == [tab.title for tab in window.tabs]

    # After a lock every tab is stale again; bringing one forward loads it first.
    window.clear_views()
    assert all(tab.stale for tab in window.tabs)
    order.clear()
    training = next(tab for tab in window.tabs if isinstance(tab, TrainingMatrixTab))
    window.show_tab(training)
    assert not training.stale
    window.refresh_views()
    assert [tab.title for tab in window.tabs if not tab.stale] == ["Training matrix"]
    qtbot.waitUntil(lambda: len(order) == len(window.tabs), timeout=20_000)
    assert order[0] == "Training matrix"


def test_manager_menus(window: MainWindow) -> None:
    ui = window.ui
    for action in (ui.actionUsers, ui.actionSettings, ui.actionShowRecoveryKey, ui.actionBackUp):
        assert action.isVisible()
    assert ui.actionThreatLevel.text() == "Set &threat level…"


def test_staff_menus_hide_what_the_services_refuse(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        staff_window = MainWindow(worker, tom, memory_keychain)
        qtbot.addWidget(staff_window)
        ui = staff_window.ui
        for action in (
            ui.actionUsers,
            ui.actionSettings,
            ui.actionShowRecoveryKey,
            ui.actionBackUp,
        ):
            assert not action.isVisible()
        assert ui.actionChangePassphrase.isVisible()
        assert ui.actionThreatLevel.text() == "National &threat level…"
        assert staff_window.open_users() is None
        assert staff_window.open_recovery_key() is None
        assert staff_window.open_settings() is None
        qtbot.waitUntil(lambda: "Tom Reed — Staff" in staff_window.status_panel.text())
        drain(worker)
    finally:
        tom.close()


def test_back_up_now_writes_an_encrypted_copy_that_opens(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination = tmp_path / "copies" / "backup.db"
    monkeypatch.setattr(window, "choose_backup_file", lambda: destination)
    window.ui.actionBackUp.trigger()
    qtbot.waitUntil(lambda: "Backup saved" in window.ui.statusBar.currentMessage())
    assert not destination.read_bytes().startswith(b"SQLite format 3")
    copy, _kek = Workspace.sign_in(destination, "sam", PASSPHRASE)
    try:
        assert copy.site.site().name == "Leeds Training Centre"
    finally:
        copy.close()
    box = window.findChild(QMessageBox, "messageBox")
    assert box is not None and "backup was saved" in box.text()
    box.close()


def test_back_up_onto_an_existing_file_explains_and_overwrites_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination = tmp_path / "existing.db"
    destination.write_bytes(b"precious")
    monkeypatch.setattr(window, "choose_backup_file", lambda: destination)
    window.ui.actionBackUp.trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "messageBox") is not None)
    box = window.findChild(QMessageBox, "messageBox")
    assert "already exists" in box.text()
    assert destination.read_bytes() == b"precious"
    box.close()


def test_cancelling_a_running_backup_writes_nothing_and_says_so(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    destination = tmp_path / "backup.db"
    monkeypatch.setattr(window, "choose_backup_file", lambda: destination)
    release = threading.Event()
    backup_to = workspace.backup_to

    def held_backup_to(target: Path, should_cancel: Any = None) -> None:
        # Hold the export until the test has pressed Cancel, so the cancel lands mid-task.
        release.wait(10)
        assert should_cancel is not None and should_cancel()
        backup_to(target, should_cancel=should_cancel)

    monkeypatch.setattr(workspace, "backup_to", held_backup_to)
    window.ui.actionBackUp.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QProgressDialog)))
    progress = next(d for d in window.findChildren(QProgressDialog) if d.isVisible())
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: "Backup cancelled" in window.ui.statusBar.currentMessage())
    assert window.ui.statusBar.currentMessage() == "Backup cancelled; nothing was written."
    assert list(tmp_path.glob("*backup*")) == []  # no copy, no key file, no partial file
    assert window.findChild(QMessageBox, "messageBox") is None


def test_cancelling_the_backup_file_dialog_does_nothing(
    window: MainWindow, worker: DatabaseWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "choose_backup_file", lambda: None)
    window.back_up()
    drain(worker)
    assert window.ui.statusBar.currentMessage() == ""


def test_users_dialog_is_not_stacked(window: MainWindow) -> None:
    first = window.open_users()
    assert isinstance(first, UsersDialog)
    assert window.open_users() is first


def fresh_window(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain
) -> MainWindow:
    """A main window just built: only the Overview has started loading."""
    window = MainWindow(worker, workspace, keychain)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_link_into_a_tab_not_loaded_yet_picks_its_course_or_plan_once_loaded(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    wanted_course = workspace.training.courses()[1]
    wanted_plan = workspace.incidents.plans()[-1]
    window = fresh_window(qtbot, worker, workspace, memory_keychain)
    matrix = window.tab_of(TrainingMatrixTab)
    plans = window.tab_of(IncidentPlanTab)
    assert matrix is not None and plans is not None and matrix.stale and plans.stale

    window.follow_link(Link(Destination.TRAINING_COURSE, wanted_course.id))
    qtbot.waitUntil(lambda: not matrix.loading, timeout=10_000)
    assert matrix.filter_bar.course_combo.currentData() == wanted_course.id

    window.follow_link(Link(Destination.INCIDENT_PLAN, wanted_plan.id))
    qtbot.waitUntil(lambda: not plans.loading and not plans.stale, timeout=10_000)
    current = plans.plan_table.current_plan()
    assert current is not None and current.id == wanted_plan.id


def test_nothing_loads_after_the_window_is_cleared(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = fresh_window(qtbot, worker, workspace, memory_keychain)
    qtbot.waitUntil(lambda: not any(tab.stale for tab in window.tabs), timeout=20_000)
    drain(worker)
    started: list[str] = []
    for tab in window.tabs:
        monkeypatch.setattr(tab, "refresh", lambda name=tab.title: started.append(name))
    # A load is shown and, in the same pass of the event loop, the app locks.
    window.tabs[1].loaded.emit()
    window.clear_views()
    qtbot.wait(100)
    assert started == []
