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
from tests.conftest import LEAD_PASSPHRASE
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
    workspace.users.reset_passphrase(dana_id, "fresh start harbour 11")
    dana, _ = Workspace.sign_in(path, "dana", "fresh start harbour 11")
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
    workspace.users.reset_passphrase(dana_id, "fresh start harbour 11")
    dana, _ = Workspace.sign_in(path, "dana", "fresh start harbour 11")
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
