"""The unlock window: right and wrong passphrases, damaged files, and the remember option."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup
from prevent_desktop.store.keychain import SERVICE, Keychain
from prevent_desktop.store.keyslots import KeyFile, key_file_path
from prevent_desktop.ui.unlock_window import UnlockWindow
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE
from tests.keyring_memory import MemoryKeyring

WindowMaker = Callable[..., UnlockWindow]


@pytest.fixture
def opened() -> Iterator[list[Workspace]]:
    """Workspaces a test unlocked; closed at the end so no key outlives the test."""
    workspaces: list[Workspace] = []
    yield workspaces
    for workspace in workspaces:
        workspace.close()


@pytest.fixture
def make_window(worker: DatabaseWorker, qtbot: QtBot, opened: list[Workspace]) -> WindowMaker:
    def make(db: Path, keychain: Keychain, **prepare: object) -> UnlockWindow:
        window = UnlockWindow(worker, db, keychain)
        qtbot.addWidget(window)
        window.unlocked.connect(opened.append)
        window.show()
        window.prepare(**prepare)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: not window.busy)
        return window

    return make


def fingerprint(*files: Path) -> list[str]:
    return [hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "-" for f in files]


def type_and_unlock(qtbot: QtBot, window: UnlockWindow, passphrase: str) -> None:
    window.ui.passphraseEdit.setText(passphrase)
    qtbot.mouseClick(window.ui.unlockButton, Qt.MouseButton.LeftButton)


def test_the_right_passphrase_unlocks(
    created_db: Path,
    make_window: WindowMaker,
    no_keychain: Keychain,
    qtbot: QtBot,
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    window = make_window(created_db, no_keychain)
    assert window.windowTitle() == "Prevent Desktop — Unlock"
    assert window.ui.userCombo.currentText() == "sam"
    assert [window.ui.userCombo.itemText(i) for i in range(window.ui.userCombo.count())] == ["sam"]
    screenshot(window, "unlock_window_no_keychain")
    with qtbot.waitSignal(window.unlocked, timeout=10_000) as signal:
        window.ui.passphraseEdit.setText(PASSPHRASE)
        qtbot.keyClick(window.ui.passphraseEdit, Qt.Key.Key_Return)
    workspace = signal.args[0]
    assert isinstance(workspace, Workspace)
    assert workspace.actor.login == "sam"
    assert window.ui.passphraseEdit.text() == ""


def test_a_wrong_passphrase_is_explained_and_touches_nothing(
    created_db: Path,
    make_window: WindowMaker,
    no_keychain: Keychain,
    qtbot: QtBot,
    opened: list[Workspace],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    files = [created_db, key_file_path(created_db)]
    before = fingerprint(*files)
    window = make_window(created_db, no_keychain)
    type_and_unlock(qtbot, window, "not the passphrase")
    qtbot.waitUntil(lambda: bool(window.error_text))
    assert window.error_text.startswith("Wrong passphrase")
    assert window.ui.passphraseEdit.text() == ""
    assert window.focusWidget() is window.ui.passphraseEdit
    assert window.ui.passphraseEdit.isEnabled() and not window.busy
    assert opened == []
    assert fingerprint(*files) == before
    screenshot(window, "unlock_window_wrong_passphrase")
    # ... and the right one still works afterwards.
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        type_and_unlock(qtbot, window, PASSPHRASE)
    assert not window.error_text


def test_after_three_wrong_passphrases_the_button_counts_the_wait_down(
    created_db: Path,
    make_window: WindowMaker,
    no_keychain: Keychain,
    qtbot: QtBot,
    opened: list[Workspace],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    """The store refuses tries during the wait (tests/unit/test_guess_throttle.py); the
    window shows it on the button and does not send them."""
    window = make_window(created_db, no_keychain)
    button = window.ui.unlockButton
    for attempt in range(3):
        type_and_unlock(qtbot, window, f"not the passphrase {attempt}")
        qtbot.waitUntil(lambda: bool(window.error_text) and not window.busy)
    assert "3 wrong passphrases in a row: wait 2 seconds" in window.error_text
    assert not button.isEnabled() and button.text().startswith("Wait ")
    screenshot(window, "unlock_window_wait")

    # Enter in the passphrase field does not get round it ...
    window.ui.passphraseEdit.setText(PASSPHRASE)
    qtbot.keyClick(window.ui.passphraseEdit, Qt.Key.Key_Return)
    assert not window.busy and opened == []
    # ... another user is not held up ...
    window.ui.userCombo.setCurrentText("someone else")
    assert button.isEnabled() and button.text() == "U&nlock"
    window.ui.userCombo.setCurrentText("sam")
    assert not button.isEnabled()
    # ... and once the wait is over, the right passphrase unlocks.
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    assert button.text() == "U&nlock"
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        type_and_unlock(qtbot, window, PASSPHRASE)


def test_a_damaged_database_offers_the_latest_backup_and_restores_it(
    created_db: Path,
    make_window: WindowMaker,
    no_keychain: Keychain,
    qtbot: QtBot,
    opened: list[Workspace],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    database = workspace.database
    made = backup.backup_if_due(database.engine, database.path, database.key)
    workspace.close()
    data = created_db.read_bytes()
    created_db.write_bytes(data[: len(data) // 2])  # truncated, as by a full stick

    window = make_window(created_db, no_keychain)
    assert window.restore_offer is None  # nothing is offered before anything went wrong
    type_and_unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.restore_offer is not None, timeout=10_000)
    assert "damaged" in window.error_text
    assert window.restore_offer.backup == made  # type: ignore[union-attr]
    screenshot(window, "unlock_window_restore_offer")

    qtbot.mouseClick(window.restoreButton, Qt.MouseButton.LeftButton)
    dialog = window.restore_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.user_combo.currentText() == "sam"
    dialog.passphrase_edit.setText("not the passphrase then")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_text) and not dialog.busy, timeout=10_000)
    assert "Wrong passphrase" in dialog.error_text
    assert created_db.read_bytes() == data[: len(data) // 2]  # nothing replaced yet
    screenshot(dialog, "restore_backup_dialog")

    dialog.passphrase_edit.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "was restored" in window.notice_text, timeout=10_000)
    assert "is kept as" in window.notice_text and window.restore_offer is None
    qtbot.waitUntil(lambda: not window.busy)  # reading the restored file's users
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        type_and_unlock(qtbot, window, PASSPHRASE)
    assert opened[0].database.integrity_problems() == []


def test_an_unknown_user_or_empty_fields_are_refused_inline(
    created_db: Path, make_window: WindowMaker, no_keychain: Keychain, qtbot: QtBot
) -> None:
    window = make_window(created_db, no_keychain)
    type_and_unlock(qtbot, window, "")
    assert window.error_text == "Type your passphrase."
    window.ui.userCombo.setEditText("nobody")
    type_and_unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: "nobody" in window.error_text)
    assert "No user called 'nobody'" in window.error_text


def test_a_missing_key_file_is_reported_and_nothing_is_created(
    created_db: Path, make_window: WindowMaker, no_keychain: Keychain, qtbot: QtBot
) -> None:
    keys = key_file_path(created_db)
    keys.unlink()
    window = make_window(created_db, no_keychain)
    assert "key file" in window.error_text and "missing" in window.error_text
    window.ui.userCombo.setEditText("sam")
    type_and_unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.busy)
    assert "missing" in window.error_text
    assert not keys.exists()


def test_a_damaged_database_is_reported(
    created_db: Path, make_window: WindowMaker, no_keychain: Keychain, qtbot: QtBot
) -> None:
    data = bytearray(created_db.read_bytes())
    data[5000:5064] = bytes(64)  # a page's ciphertext and HMAC no longer agree
    created_db.write_bytes(bytes(data))
    window = make_window(created_db, no_keychain)
    type_and_unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(window.error_text))
    assert "damaged" in window.error_text.lower()


def test_remember_is_disabled_with_the_reason_when_there_is_no_keychain(
    created_db: Path, make_window: WindowMaker, no_keychain: Keychain
) -> None:
    window = make_window(created_db, no_keychain)
    reason = no_keychain.unavailable_reason()
    assert reason
    assert not window.ui.rememberCheck.isEnabled()
    assert window.ui.rememberCheck.toolTip() == reason
    assert window.ui.keychainNote.isVisible()
    assert window.ui.keychainNote.text() == reason


def test_a_remembered_sign_in_unlocks_at_start_without_the_passphrase(
    created_db: Path,
    make_window: WindowMaker,
    memory_keychain: Keychain,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
    opened: list[Workspace],
    screenshot: Callable[[QWidget, str], Path],
) -> None:
    window = make_window(created_db, memory_keychain)
    assert window.ui.rememberCheck.isEnabled() and not window.ui.keychainNote.isVisible()
    window.ui.rememberCheck.setChecked(True)
    screenshot(window, "unlock_window")
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        type_and_unlock(qtbot, window, PASSPHRASE)
    database_id = KeyFile.for_database(created_db).database_id
    assert list(memory_keyring.passwords) == [(SERVICE, f"{database_id}:sam")]
    opened.pop().close()

    # After a lock the remembered key is NOT used: the window waits for the passphrase.
    window.prepare(locked=True)
    qtbot.waitUntil(lambda: not window.busy)
    assert window.ui.noticeLabel.isVisible()
    assert window.ui.rememberCheck.isChecked()
    assert opened == []

    # At the next start it is.
    second = UnlockWindow(window._worker, created_db, memory_keychain)
    qtbot.addWidget(second)
    second.show()
    with qtbot.waitSignal(second.unlocked, timeout=10_000) as signal:
        second.prepare(try_remembered=True)
    signal.args[0].close()


def test_a_stale_remembered_key_is_forgotten_and_the_passphrase_asked_for(
    created_db: Path,
    make_window: WindowMaker,
    memory_keychain: Keychain,
    memory_keyring: MemoryKeyring,
    opened: list[Workspace],
) -> None:
    database_id = KeyFile.for_database(created_db).database_id
    memory_keychain.remember(database_id, "sam", b"\x01" * 32)  # e.g. the passphrase changed
    window = make_window(created_db, memory_keychain, try_remembered=True)
    assert opened == []
    assert memory_keyring.passwords == {}
    assert not window.error_text
    assert not window.ui.rememberCheck.isChecked()


def test_unticking_remember_forgets_the_sign_in(
    created_db: Path,
    make_window: WindowMaker,
    memory_keychain: Keychain,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
) -> None:
    database_id = KeyFile.for_database(created_db).database_id
    memory_keychain.remember(database_id, "sam", b"\x01" * 32)
    window = make_window(created_db, memory_keychain)
    assert window.ui.rememberCheck.isChecked()
    window.ui.rememberCheck.setChecked(False)
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        type_and_unlock(qtbot, window, PASSPHRASE)
    assert memory_keyring.passwords == {}
