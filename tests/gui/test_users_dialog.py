"""The users dialog: everything goes through workspace.users on the worker, and the result is
proved by signing in (or failing to) with the real key file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import KnownError
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.passphrase_fields import NewPassphraseFields
from prevent_desktop.ui.user_editor_dialog import UserEditorDialog
from prevent_desktop.ui.user_table_model import UserTableModel
from prevent_desktop.ui.users_dialog import UsersDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, show_main_window, sign_in, user_id

NEW_PASSPHRASE = "amber meadow falcon 83"


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> MainWindow:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_main_window(qtbot, worker, workspace, memory_keychain)


@pytest.fixture
def users(qtbot: QtBot, window: MainWindow) -> UsersDialog:
    window.ui.actionUsers.trigger()
    dialog = window.findChild(UsersDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def _row_texts(dialog: UsersDialog, column: int) -> list[str]:
    proxy = dialog.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _save(dialog: QDialogButtonBox) -> None:
    dialog.button(QDialogButtonBox.StandardButton.Save).click()


def _type_passphrase(
    fields: NewPassphraseFields, passphrase: str, repeat: str | None = None
) -> None:
    fields.passphrase_edit.setText(passphrase)
    fields.repeat_edit.setText(passphrase if repeat is None else repeat)


def test_lists_users_with_role_lead_status_and_passphrase(
    users: UsersDialog, screenshot: Screenshot
) -> None:
    assert users.windowTitle() == "Prevent Desktop — Users"
    assert _row_texts(users, UserTableModel.NAME) == ["Dana Okafor", "Sam Patel (you)", "Tom Reed"]
    assert _row_texts(users, UserTableModel.ROLE) == ["Safeguarding lead", "Manager", "Staff"]
    assert _row_texts(users, UserTableModel.LEAD) == ["Yes", "No", "No"]
    assert set(_row_texts(users, UserTableModel.STATUS)) == {"Active"}
    assert set(_row_texts(users, UserTableModel.PASSPHRASE)) == {"Set"}
    screenshot(users, "users_dialog")


def test_add_user_who_can_then_sign_in(
    qtbot: QtBot, users: UsersDialog, workspace: Workspace, screenshot: Screenshot
) -> None:
    editor = users.open_add_user()
    qtbot.waitExposed(editor)
    ui = editor.ui
    save = ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    ui.displayNameEdit.setText("Jo Smith")
    ui.loginEdit.setText("j.smith")
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findData(Role.STAFF.value))
    _type_passphrase(ui.passphraseFields, "short")
    assert not save.isEnabled()
    _type_passphrase(ui.passphraseFields, NEW_PASSPHRASE, "something else entirely 1")
    assert not save.isEnabled()
    _type_passphrase(ui.passphraseFields, NEW_PASSPHRASE)
    assert save.isEnabled()
    screenshot(editor, "add_user_dialog")

    with qtbot.waitSignal(users.changed, timeout=10_000):
        save.click()
    qtbot.waitUntil(lambda: "Jo Smith" in _row_texts(users, UserTableModel.NAME))
    assert users.ui.statusLabel.text() == "Jo Smith was added."
    assert users.selected_user() is not None and users.selected_user().login == "j.smith"

    jo = sign_in(workspace, "j.smith", NEW_PASSPHRASE)
    try:
        assert jo.actor.display_name == "Jo Smith"
        assert jo.actor.role is Role.STAFF
    finally:
        jo.close()


def test_a_taken_user_name_is_explained_in_the_dialog(
    qtbot: QtBot, users: UsersDialog, screenshot: Screenshot
) -> None:
    editor = users.open_add_user()
    ui = editor.ui
    ui.displayNameEdit.setText("Another Tom")
    ui.loginEdit.setText("TOM")
    _type_passphrase(ui.passphraseFields, NEW_PASSPHRASE)
    _save(ui.buttonBox)
    qtbot.waitUntil(lambda: ui.errorLabel.isVisible())
    assert "already taken" in ui.errorLabel.text()
    assert editor.isVisible() and editor.isEnabled()
    screenshot(editor, "add_user_dialog_error")


def test_choosing_the_lead_role_implies_the_lead_flag(users: UsersDialog) -> None:
    editor = users.open_add_user()
    ui = editor.ui
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findData(Role.SAFEGUARDING_LEAD.value))
    assert ui.leadCheck.isChecked() and not ui.leadCheck.isEnabled()
    assert "decides on every concern" in ui.roleHintLabel.text()
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findData(Role.MANAGER.value))
    assert ui.leadCheck.isEnabled()


def test_deactivate_removes_the_ability_to_sign_in(
    qtbot: QtBot,
    users: UsersDialog,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(confirmation, "ask", lambda _p, _t, text, *_a: asked.append(text) or True)
    users.select_user(user_id(workspace, "tom"))
    assert users.ui.activeButton.text() == "&Deactivate"
    qtbot.mouseClick(users.ui.activeButton, Qt.MouseButton.LeftButton)
    assert asked == ["Deactivate Tom Reed?"]
    qtbot.waitUntil(lambda: "Deactivated" in _row_texts(users, UserTableModel.STATUS))
    assert "Tom Reed was deactivated." in users.ui.statusLabel.text()
    assert users.ui.activeButton.text() == "Rea&ctivate…"
    assert not users.ui.resetButton.isEnabled()
    screenshot(users, "users_dialog_deactivated")

    with pytest.raises(KnownError):
        sign_in(workspace, "tom", STAFF_PASSPHRASE)


def test_declining_the_confirmation_changes_nothing(
    qtbot: QtBot, users: UsersDialog, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confirmation, "ask", lambda *_args: False)
    users.select_user(user_id(workspace, "tom"))
    users.toggle_active()
    sign_in(workspace, "tom", STAFF_PASSPHRASE).close()


def test_reactivate_with_a_new_passphrase(
    qtbot: QtBot, users: UsersDialog, workspace: Workspace, screenshot: Screenshot
) -> None:
    tom_id = user_id(workspace, "tom")
    workspace.users.set_active(tom_id, False)
    users.reload()
    qtbot.waitUntil(lambda: "Deactivated" in _row_texts(users, UserTableModel.STATUS))
    users.select_user(tom_id)
    dialog = users.toggle_active()
    assert dialog is not None
    assert dialog.windowTitle() == "Prevent Desktop — Reactivate Tom Reed"
    _type_passphrase(dialog.ui.passphraseFields, NEW_PASSPHRASE)
    screenshot(dialog, "reactivate_user_dialog")
    with qtbot.waitSignal(users.changed, timeout=10_000):
        _save(dialog.ui.buttonBox)
    qtbot.waitUntil(lambda: "Deactivated" not in _row_texts(users, UserTableModel.STATUS))
    sign_in(workspace, "tom", NEW_PASSPHRASE).close()


def test_reset_passphrase(
    qtbot: QtBot,
    users: UsersDialog,
    workspace: Workspace,
    screenshot: Screenshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    users.select_user(user_id(workspace, "dana"))
    dialog = users.open_reset_passphrase()
    assert dialog is not None
    _type_passphrase(dialog.ui.passphraseFields, NEW_PASSPHRASE)
    screenshot(dialog, "reset_passphrase_dialog")
    # Dana is the only holder of the safeguarding key: the manager is asked first.
    asked: list[str] = []

    def ask(_parent: object, _title: str, text: str, *_args: object) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(confirmation, "ask", ask)
    with qtbot.waitSignal(users.changed, timeout=10_000):
        _save(dialog.ui.buttonBox)
    assert asked and "last copy of the safeguarding key" in asked[0]
    assert users.ui.statusLabel.text() == "Dana Okafor's passphrase was reset."
    sign_in(workspace, "dana", NEW_PASSPHRASE).close()
    with pytest.raises(KnownError):
        sign_in(workspace, "dana", LEAD_PASSPHRASE)


def test_edit_role(
    qtbot: QtBot, users: UsersDialog, workspace: Workspace, screenshot: Screenshot
) -> None:
    users.select_user(user_id(workspace, "tom"))
    editor = users.open_edit_user()
    assert isinstance(editor, UserEditorDialog)
    assert editor.ui.loginEdit.isReadOnly()
    assert editor.ui.passphraseGroup.isHidden()
    ui = editor.ui
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findData(Role.SAFEGUARDING_LEAD.value))
    screenshot(editor, "edit_user_dialog")
    with qtbot.waitSignal(users.changed, timeout=10_000):
        _save(ui.buttonBox)
    qtbot.waitUntil(lambda: "Staff" not in _row_texts(users, UserTableModel.ROLE))
    tom = next(u for u in workspace.users.list_users() if u.login == "tom")
    assert tom.role is Role.SAFEGUARDING_LEAD and tom.is_safeguarding_lead


def test_the_last_manager_cannot_be_demoted(
    qtbot: QtBot, users: UsersDialog, workspace: Workspace
) -> None:
    users.select_user(workspace.actor.user_id)
    assert not users.ui.activeButton.isEnabled()  # nobody deactivates themselves
    assert not users.ui.resetButton.isEnabled()
    editor = users.open_edit_user()
    assert editor is not None
    ui = editor.ui
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findData(Role.STAFF.value))
    _save(ui.buttonBox)
    qtbot.waitUntil(lambda: ui.errorLabel.isVisible())
    assert "at least one active manager" in ui.errorLabel.text()
    assert workspace.users.list_users()[1].role is Role.MANAGER


def test_user_table_model(qtmodeltester, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    model = UserTableModel("me")
    model.set_users(
        [
            UserView("me", "sam", "Sam Patel", Role.MANAGER, False, True, True),
            UserView("x", "tom", "Tom Reed", Role.STAFF, False, False, False),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, model.NAME).data() == "Sam Patel (you)"
    assert model.index(1, model.STATUS).data() == "Deactivated"
    assert model.index(1, model.PASSPHRASE).data() == "None"
    assert model.row_of("x") == 1 and model.row_of("nobody") is None
