"""The safeguarding recovery key on screen, and restoring a lead's access with it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.recovery_key_dialog import SafeguardingRecoveryKeyDialog
from prevent_desktop.ui.recovery_key_sheet import recovery_key_text
from prevent_desktop.ui.restore_safeguarding_dialog import RestoreSafeguardingDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, TEMPORARY_PASSPHRASE
from tests.gui.shell_support import Screenshot, show_main_window
from tests.unit.concern_support import sample_input, sign_in


def test_a_lead_prints_the_key_and_a_locked_out_lead_restores_access(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    screenshot: Screenshot,
    tmp_path: Path,
) -> None:
    path = workspace.database.path
    concern_id = workspace.concerns.log_concern(sample_input()).ids[0]
    dana = sign_in(path, "dana")
    shown = SafeguardingRecoveryKeyDialog(worker, dana)
    qtbot.addWidget(shown)
    shown.show()
    assert "safeguarding" in shown.ui.confirmIntroLabel.text()
    shown.ui.passphraseEdit.setText(LEAD_PASSPHRASE)
    shown.ui.passphraseEdit.returnPressed.emit()
    qtbot.waitUntil(lambda: shown.ui.pages.currentWidget() is shown.ui.keyPage, timeout=10_000)
    key = shown.key
    assert key and key != dana.database.recovery_key()
    screenshot(shown, "safeguarding_recovery_key")
    sheet = recovery_key_text(key, "Leeds", path, shown.ui.keyPanel.sheet)
    assert sheet.startswith("Prevent Desktop safeguarding recovery key")
    assert "PRAGMA key" not in sheet and "Restore safeguarding access" in sheet
    shown.reject()
    assert shown.key == ""
    dana.close()

    dana_id = next(u.id for u in workspace.users.list_users() if u.login == "dana")
    workspace.users.reset_passphrase(dana_id, TEMPORARY_PASSPHRASE, force_last_holder=True)
    dana, _ = Workspace.sign_in(path, "dana", TEMPORARY_PASSPHRASE)
    dana.users.change_own_passphrase(TEMPORARY_PASSPHRASE, "fresh start harbour 11")
    try:
        restore = RestoreSafeguardingDialog(worker, dana)
        qtbot.addWidget(restore)
        restore.show()
        assert not restore.restore_button.isEnabled()
        restore.key_edit.setPlainText("0000-1111")
        restore.restore_button.click()
        qtbot.waitUntil(lambda: restore.isEnabled(), timeout=10_000)
        assert restore.isVisible() and not dana.concerns.holds_key()
        screenshot(restore, "restore_safeguarding_refused")
        restore.key_edit.setPlainText(key.replace("-", " "))
        with qtbot.waitSignal(restore.accepted, timeout=10_000):
            restore.restore_button.click()
        assert dana.concerns.holds_key()
        assert dana.concerns.open_concern(concern_id).details.account
    finally:
        dana.close()


def test_the_site_menu_offers_each_role_the_right_entry(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, no_keychain: Keychain
) -> None:
    path = workspace.database.path
    manager = show_main_window(qtbot, worker, workspace, no_keychain)
    assert not manager.actionSafeguardingKey.isVisible()
    assert not manager.actionRestoreSafeguarding.isVisible()

    dana = sign_in(path, "dana")
    try:
        lead = show_main_window(qtbot, worker, dana, no_keychain)
        assert lead.actionSafeguardingKey.isVisible()
        assert not lead.actionRestoreSafeguarding.isVisible()
        lead.actionSafeguardingKey.trigger()
        dialog = lead.findChild(SafeguardingRecoveryKeyDialog)
        assert dialog is not None
        key = SafeguardingRecoveryKeyDialog.reveal(dana, LEAD_PASSPHRASE)
        dialog.reject()
    finally:
        dana.close()

    dana_id = next(u.id for u in workspace.users.list_users() if u.login == "dana")
    workspace.users.reset_passphrase(dana_id, TEMPORARY_PASSPHRASE, force_last_holder=True)
    dana, _ = Workspace.sign_in(path, "dana", TEMPORARY_PASSPHRASE)
    dana.users.change_own_passphrase(TEMPORARY_PASSPHRASE, "fresh start harbour 11")
    try:
        locked_out = show_main_window(qtbot, worker, dana, no_keychain)
        assert locked_out.actionRestoreSafeguarding.isVisible()
        locked_out.actionRestoreSafeguarding.trigger()
        restore = locked_out.findChild(RestoreSafeguardingDialog)
        assert restore is not None
        restore.key_edit.setPlainText(key)
        with qtbot.waitSignal(locked_out.changed, timeout=10_000):
            restore.restore_button.click()
        assert locked_out.actionSafeguardingKey.isVisible()
        assert not locked_out.actionRestoreSafeguarding.isVisible()
        assert "restored" in locked_out.ui.statusBar.currentMessage()
    finally:
        dana.close()


def test_a_new_lead_is_asked_to_choose_their_own_passphrase_then_holds_the_key(
    qtbot: QtBot,
    worker: DatabaseWorker,
    created_db: Path,
    no_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from prevent_desktop.domain.roles import Role
    from prevent_desktop.ui.change_passphrase_dialog import ChangePassphraseDialog

    manager = sign_in(created_db, "sam")
    manager.users.add_user(
        login="dana",
        display_name="Dana Okafor",
        role=Role.SAFEGUARDING_LEAD,
        is_safeguarding_lead=True,
        passphrase=TEMPORARY_PASSPHRASE,
    )
    manager.close()
    dana, _ = Workspace.sign_in(created_db, "dana", TEMPORARY_PASSPHRASE)
    try:
        window = show_main_window(qtbot, worker, dana, no_keychain)
        qtbot.waitUntil(lambda: window.findChild(ChangePassphraseDialog) is not None)
        dialog = window.findChild(ChangePassphraseDialog)
        assert dialog is not None
        assert dialog.windowTitle() == "Prevent Desktop — Choose your own passphrase"
        assert "set by a manager" in dialog.ui.introLabel.text()
        assert not window.actionSafeguardingKey.isVisible()
        screenshot(dialog, "choose_own_passphrase")
        dialog.ui.currentEdit.setText(TEMPORARY_PASSPHRASE)
        dialog.ui.passphraseFields.passphrase_edit.setText(LEAD_PASSPHRASE)
        dialog.ui.passphraseFields.repeat_edit.setText(LEAD_PASSPHRASE)
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).click()
        assert dana.concerns.holds_key()  # the site's key, made in her own session
        assert window.actionSafeguardingKey.isVisible()
    finally:
        dana.close()
