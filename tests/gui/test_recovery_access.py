"""The unlock window's "Use the recovery key…": a manager's new passphrase, a lost key file
rebuilt, and the refusals (a wrong key, someone who is not a manager) explained inline."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import WrongPassphrase
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.keyslots import key_file_path
from prevent_desktop.ui.recovery_access_dialog import RecoveryAccessDialog
from prevent_desktop.ui.unlock_window import UnlockWindow
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE, STAFF_PASSPHRASE

NEW_PASSPHRASE = "amber meadow falcon 63"
WindowMaker = Callable[[Path], UnlockWindow]


@pytest.fixture
def recovery_key(created_db: Path) -> str:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    try:
        return workspace.recovery_key(PASSPHRASE)
    finally:
        workspace.close()


@pytest.fixture
def opened() -> Iterator[list[Workspace]]:
    workspaces: list[Workspace] = []
    yield workspaces
    for workspace in workspaces:
        workspace.close()


@pytest.fixture
def make_window(
    worker: DatabaseWorker, qtbot: QtBot, no_keychain: Keychain, opened: list[Workspace]
) -> WindowMaker:
    def make(db: Path) -> UnlockWindow:
        window = UnlockWindow(worker, db, no_keychain)
        qtbot.addWidget(window)
        window.unlocked.connect(opened.append)
        window.show()
        window.prepare()
        qtbot.waitUntil(lambda: not window.busy)
        return window

    return make


def fingerprint(*files: Path) -> list[str]:
    return [hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "-" for f in files]


def open_dialog(qtbot: QtBot, window: UnlockWindow) -> RecoveryAccessDialog:
    assert window.ui.recoveryButton.isVisible() and window.ui.recoveryButton.isEnabled()
    qtbot.mouseClick(window.ui.recoveryButton, Qt.MouseButton.LeftButton)
    dialog = window.recovery_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Prevent Desktop — Use the recovery key"
    return dialog


def fill(
    dialog: RecoveryAccessDialog, key: str, login: str, passphrase: str = NEW_PASSPHRASE
) -> None:
    dialog.key_edit.setText(key)
    dialog.user_combo.setEditText(login)
    dialog.passphrase_fields.passphrase_edit.setText(passphrase)
    dialog.passphrase_fields.repeat_edit.setText(passphrase)


def press_reset(qtbot: QtBot, dialog: RecoveryAccessDialog) -> None:
    assert dialog.reset_button.isEnabled()
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)


def reset_and_wait_for_the_window(
    qtbot: QtBot, window: UnlockWindow, dialog: RecoveryAccessDialog
) -> None:
    left_in_the_key_field: list[str] = []
    dialog.finished.connect(lambda _result: left_in_the_key_field.append(dialog.key_edit.text()))
    with qtbot.waitSignal(dialog.access_reset, timeout=20_000):
        press_reset(qtbot, dialog)
    # The dialog closed (and is deleted) and the window read the users again.
    qtbot.waitUntil(lambda: window.recovery_dialog is None and not window.busy)
    assert left_in_the_key_field == [""]  # the key does not linger in a closed dialog


def signs_in(db: Path, login: str, passphrase: str) -> bool:
    try:
        workspace, _kek = Workspace.sign_in(db, login, passphrase)
    except WrongPassphrase:
        return False
    workspace.close()
    return True


def test_a_wrong_recovery_key_is_refused_inline_and_changes_nothing(
    created_db: Path, make_window: WindowMaker, qtbot: QtBot, recovery_key: str
) -> None:
    files = [created_db, key_file_path(created_db)]
    before = fingerprint(*files)
    window = make_window(created_db)
    dialog = open_dialog(qtbot, window)
    assert dialog.user_combo.currentText() == "sam"

    fill(dialog, "not a key", "sam")  # the wrong shape: said at once, no worker needed
    press_reset(qtbot, dialog)
    assert "64 hexadecimal digits" in dialog.error_text
    assert dialog.focusWidget() is dialog.key_edit

    wrong = "-".join(["0123"] * 16)
    assert wrong.replace("-", "") != recovery_key.replace("-", "").lower()
    fill(dialog, wrong, "sam")
    press_reset(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy)
    qtbot.waitUntil(lambda: "recovery key" in dialog.error_text.lower())
    assert dialog.isVisible() and dialog.reset_button.isEnabled()
    assert fingerprint(*files) == before
    assert signs_in(created_db, "sam", PASSPHRASE)
    assert not signs_in(created_db, "sam", NEW_PASSPHRASE)


def test_the_right_key_gives_the_manager_a_new_passphrase(
    created_db: Path,
    make_window: WindowMaker,
    qtbot: QtBot,
    recovery_key: str,
    opened: list[Workspace],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    window = make_window(created_db)
    dialog = open_dialog(qtbot, window)
    assert "Other users keep theirs, unless the key file was lost." in dialog.intro_label.text()
    assert not dialog.reset_button.isEnabled()  # nothing typed yet
    fill(dialog, recovery_key.lower().replace("-", " "), "Sam")
    screenshot(dialog, "recovery_access")
    reset_and_wait_for_the_window(qtbot, window, dialog)

    assert window.notice_text == "New passphrase set for sam: sign in with it."
    assert window.ui.userCombo.currentText() == "sam"
    assert not window.error_text
    assert not signs_in(created_db, "sam", PASSPHRASE)
    assert signs_in(created_db, "sam", NEW_PASSPHRASE)
    # ... and the window signs in with it.
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        window.ui.passphraseEdit.setText(NEW_PASSPHRASE)
        qtbot.keyClick(window.ui.passphraseEdit, Qt.Key.Key_Return)
    assert opened[0].actor.login == "sam"


@pytest.mark.parametrize("trouble", ["missing", "damaged"])
def test_a_lost_key_file_is_rebuilt_through_the_recovery_route(
    trouble: str,
    created_db: Path,
    make_window: WindowMaker,
    qtbot: QtBot,
    recovery_key: str,
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    keys = key_file_path(created_db)
    if trouble == "missing":
        keys.unlink()
    else:
        keys.write_text("{ this is not a key file")
    window = make_window(created_db)
    assert "key file" in window.error_text and trouble in window.error_text
    assert window.ui.userCombo.count() == 0
    assert window.ui.userCombo.isEnabled() and window.ui.unlockButton.isEnabled()
    assert window.focusWidget() is window.ui.recoveryButton
    screenshot(window, f"unlock_window_key_file_{trouble}")

    dialog = open_dialog(qtbot, window)
    assert dialog.user_combo.count() == 0 and dialog.user_combo.currentText() == ""
    assert "new one will be made" in dialog.intro_label.text()
    fill(dialog, recovery_key, "sam")
    screenshot(dialog, f"recovery_access_key_file_{trouble}")
    reset_and_wait_for_the_window(qtbot, window, dialog)

    assert not window.error_text
    assert window.notice_text.startswith("New passphrase set for sam: sign in with it.")
    assert [window.ui.userCombo.itemText(i) for i in range(window.ui.userCombo.count())] == ["sam"]
    assert window.ui.userCombo.currentText() == "sam"
    assert keys.exists()
    kept = list(keys.parent.glob(f"{keys.name}.unreadable-*"))
    if trouble == "damaged":
        assert len(kept) == 1 and str(kept[0]) in window.notice_text
        assert kept[0].read_text() == "{ this is not a key file"
    else:
        assert kept == [] and "unreadable" not in window.notice_text
    assert signs_in(created_db, "sam", NEW_PASSPHRASE)


def test_someone_who_is_not_a_manager_is_refused_inline(
    created_db: Path, make_window: WindowMaker, qtbot: QtBot, recovery_key: str
) -> None:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    workspace.users.add_user(
        login="tom",
        display_name="Tom Reed",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase=STAFF_PASSPHRASE,
    )
    workspace.close()
    files = [created_db, key_file_path(created_db)]
    before = fingerprint(*files)

    window = make_window(created_db)
    window.ui.userCombo.setCurrentText("tom")
    dialog = open_dialog(qtbot, window)
    assert sorted(dialog.user_combo.itemText(i) for i in range(dialog.user_combo.count())) == [
        "sam",
        "tom",
    ]
    assert dialog.user_combo.currentText() == "tom"
    fill(dialog, recovery_key, "tom")
    press_reset(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.error_text))
    assert "not a manager" in dialog.error_text
    assert dialog.focusWidget() is dialog.user_combo

    fill(dialog, recovery_key, "nobody")
    press_reset(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy and "nobody" in dialog.error_text)
    assert dialog.isVisible()
    assert fingerprint(*files) == before
    assert signs_in(created_db, "tom", STAFF_PASSPHRASE)


def test_a_weak_passphrase_keeps_reset_disabled_and_cancel_closes(
    created_db: Path, make_window: WindowMaker, qtbot: QtBot, recovery_key: str
) -> None:
    window = make_window(created_db)
    dialog = open_dialog(qtbot, window)
    fill(dialog, recovery_key, "sam", "short")
    assert not dialog.reset_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: window.recovery_dialog is None)
    assert not window.notice_text


def test_the_reset_works_while_the_app_holds_its_instance_lock(
    created_db: Path, make_window: WindowMaker, qtbot: QtBot, recovery_key: str
) -> None:
    with InstanceLock(created_db):  # as app._run holds it for the whole session
        window = make_window(created_db)
        dialog = open_dialog(qtbot, window)
        fill(dialog, recovery_key, "sam")
        press_reset(qtbot, dialog)
        qtbot.waitUntil(lambda: window.recovery_dialog is None and not window.busy, timeout=20_000)
        assert window.notice_text == "New passphrase set for sam: sign in with it."
        assert signs_in(created_db, "sam", NEW_PASSPHRASE)
