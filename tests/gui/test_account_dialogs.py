"""The Account menu: changing one's own passphrase (and the remembered sign-in) and the
recovery key behind a re-entered passphrase."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from prevent_desktop.errors import KnownError, PermissionDenied
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.recovery_key_dialog import RecoveryKeyDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE, STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, show_main_window, sign_in

NEW_PASSPHRASE = "granite willow sparrow 55"


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> MainWindow:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_main_window(qtbot, worker, workspace, memory_keychain)


def _open_change_passphrase(qtbot: QtBot, window: MainWindow) -> ChangePassphraseDialog:
    window.ui.actionChangePassphrase.trigger()
    dialog = window.findChild(ChangePassphraseDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _fill(dialog: ChangePassphraseDialog, current: str, new: str) -> None:
    dialog.ui.currentEdit.setText(current)
    dialog.ui.passphraseFields.passphrase_edit.setText(new)
    dialog.ui.passphraseFields.repeat_edit.setText(new)


def _save_button(dialog: ChangePassphraseDialog):  # type: ignore[no-untyped-def]
    return dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)


def test_change_own_passphrase_then_sign_in_with_it(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, screenshot: Screenshot
) -> None:
    dialog = _open_change_passphrase(qtbot, window)
    assert dialog.windowTitle() == "Prevent Desktop — Change my passphrase"
    assert not _save_button(dialog).isEnabled()
    _fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
    screenshot(dialog, "change_passphrase_dialog")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _save_button(dialog).click()
    assert "Your passphrase has been changed." in window.ui.statusBar.currentMessage()

    sign_in(workspace, "sam", NEW_PASSPHRASE).close()
    with pytest.raises(KnownError):
        sign_in(workspace, "sam", PASSPHRASE)


def test_a_wrong_current_passphrase_is_explained_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, screenshot: Screenshot
) -> None:
    dialog = _open_change_passphrase(qtbot, window)
    _fill(dialog, "not my passphrase at all", NEW_PASSPHRASE)
    _save_button(dialog).click()
    qtbot.waitUntil(lambda: dialog.ui.errorLabel.isVisible())
    assert dialog.isVisible() and dialog.isEnabled()
    screenshot(dialog, "change_passphrase_wrong_current")
    sign_in(workspace, "sam", PASSPHRASE).close()


def test_the_same_passphrase_again_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open_change_passphrase(qtbot, window)
    _fill(dialog, PASSPHRASE, PASSPHRASE)
    _save_button(dialog).click()
    assert "same as the current one" in dialog.ui.errorLabel.text()


def test_a_remembered_sign_in_follows_the_new_passphrase(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, memory_keychain: Keychain
) -> None:
    database_id = workspace.database.database_id
    _workspace, old_kek = Workspace.sign_in(workspace.database.path, "sam", PASSPHRASE)
    _workspace.close()
    memory_keychain.remember(database_id, "sam", old_kek)

    dialog = _open_change_passphrase(qtbot, window)
    _fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _save_button(dialog).click()

    remembered = memory_keychain.recall(database_id, "sam")
    assert remembered is not None and remembered != old_kek
    Workspace.sign_in_with_kek(workspace.database.path, "sam", remembered).close()
    assert "still remembers" in window.ui.statusBar.currentMessage()


def test_a_sign_in_that_was_not_remembered_stays_forgotten(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, memory_keychain: Keychain
) -> None:
    dialog = _open_change_passphrase(qtbot, window)
    _fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _save_button(dialog).click()
    assert memory_keychain.recall(workspace.database.database_id, "sam") is None


def test_recovery_key_needs_the_right_passphrase(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, screenshot: Screenshot
) -> None:
    window.ui.actionShowRecoveryKey.trigger()
    dialog = window.findChild(RecoveryKeyDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Prevent Desktop — Recovery key"
    screenshot(dialog, "recovery_key_confirm")

    dialog.ui.passphraseEdit.setText("a wrong guess here")
    dialog.ui.passphraseEdit.returnPressed.emit()
    qtbot.waitUntil(lambda: dialog.ui.errorLabel.isVisible())
    assert dialog.ui.pages.currentWidget() is dialog.ui.confirmPage
    assert dialog.key == ""

    dialog.ui.passphraseEdit.setText(PASSPHRASE)
    dialog.ui.passphraseEdit.returnPressed.emit()
    qtbot.waitUntil(lambda: dialog.ui.pages.currentWidget() is dialog.ui.keyPage)
    assert dialog.key == workspace.database.recovery_key()
    assert dialog.ui.keyPanel.key == dialog.key
    assert dialog.ui.passphraseEdit.text() == ""
    screenshot(dialog, "recovery_key_shown")

    dialog.reject()
    assert dialog.key == ""


def test_staff_cannot_see_the_recovery_key(workspace: Workspace) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            tom.recovery_key(STAFF_PASSPHRASE)
    finally:
        tom.close()


def test_new_passphrase_fields(qtbot: QtBot) -> None:
    fields = NewPassphraseFields()
    qtbot.addWidget(fields)
    seen: list[bool] = []
    fields.acceptable_changed.connect(seen.append)
    fields.passphrase_edit.setText("password1")
    fields.repeat_edit.setText("password1")
    assert not fields.is_acceptable()  # too short and too common
    fields.passphrase_edit.setText(NEW_PASSPHRASE)
    assert not fields.is_acceptable()
    assert "different" in fields.match_label.text()
    fields.repeat_edit.setText(NEW_PASSPHRASE)
    assert fields.is_acceptable()
    assert "match" in fields.match_label.text()
    fields.clear()
    assert not fields.is_acceptable()
    assert seen == [True, False]
