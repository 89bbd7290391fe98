"""Site ▸ Settings: every site setting in one dialog, read and saved on the worker."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PIL import Image
from pyrage import x25519
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QLineEdit,
    QListWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.concern import RetentionRule
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.settings_dialog import READ_ONLY_NOTE, SettingsDialog
from prevent_desktop.ui.settings_general import NO_LOGO
from prevent_desktop.ui.settings_records import NOT_A_LEAD_NOTE
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE
from tests.gui.dialog_doubles import answer, open_file

# Not shell_support's helpers: that module brings in the whole main window, which this
# dialog does not need (it is opened on its own, as the main window's `_open` would).
Screenshot = Callable[[QWidget, str], Path]


def drain(worker: DatabaseWorker) -> None:
    """Wait until every task submitted so far has run and delivered its callbacks."""
    worker.run_and_wait(lambda _task: None)


def sign_in(workspace: Workspace, login: str, passphrase: str) -> Workspace:
    other, _kek = Workspace.sign_in(workspace.database.path, login, passphrase)
    return other


NEW_NAME = "Northfield Skills Group"


def logo_file(folder: Path, name: str = "logo.png") -> Path:
    picture = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    for x in range(100):
        for y in range(100):
            if (x - 50) ** 2 + (y - 50) ** 2 < 2500:
                picture.putpixel((x, y), (31, 78, 121, 255))
    picture.paste((230, 120, 30, 255), (110, 35, 300, 65))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def new_key() -> str:
    return str(x25519.Identity.generate().to_public())


def open_dialog(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(worker, workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=10_000)
    return dialog


def shoot(qtbot: QtBot, screenshot: Screenshot, dialog: SettingsDialog, name: str) -> None:
    qtbot.wait(30)  # pending layout requests first: a grab does not run them
    screenshot(dialog, name)


def save_and_wait(qtbot: QtBot, dialog: SettingsDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())


def test_a_manager_changes_every_setting_and_each_is_saved(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    tmp_path: Path,
    screenshot: Screenshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_dialog(qtbot, worker, workspace)
    general = dialog.general
    assert [dialog.page_list.item(i).text() for i in range(dialog.page_list.count())] == [
        "General",
        "Reminders",
        "Retention",
        "Head office",
    ]
    assert general.name_edit.text() == "Leeds Training Centre"
    assert general.logo_preview.text() == NO_LOGO
    assert not general.remove_logo_button.isEnabled()
    assert general.minutes.value() == 10
    assert dialog.reminders is not None and dialog.reminders.days_spin.value() == 60
    retention = dialog.retention
    assert retention is not None
    assert (retention.birth_spin.value(), retention.closure_spin.value()) == (25, 6)
    assert dialog.head_office is not None and dialog.head_office.key_field.text() == ""

    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)
    general.name_edit.setText(f"  {NEW_NAME} ")
    path = logo_file(tmp_path)
    open_file(monkeypatch, path)
    qtbot.mouseClick(general.choose_logo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: general.logo() is not None)
    assert not general.logo_preview.pixmap().isNull()
    assert "saved when you press Save" in general.logo_message.text()
    assert general.remove_logo_button.isEnabled()
    general.minutes.setValue(5)
    shoot(qtbot, screenshot, dialog, "settings_general")

    dialog.page_list.setCurrentRow(1)
    dialog.reminders.days_spin.setValue(30)
    shoot(qtbot, screenshot, dialog, "settings_reminders")

    dialog.page_list.setCurrentRow(2)
    # Sam is a manager but not a lead: the rule is shown, with the reason it is read-only.
    assert not retention.birth_spin.isEnabled()
    assert retention.reason.isVisibleTo(dialog) and retention.reason.text() == NOT_A_LEAD_NOTE
    shoot(qtbot, screenshot, dialog, "settings_retention")

    dialog.page_list.setCurrentRow(3)
    key = new_key()
    page = dialog.head_office
    page.key_field.edit.setText(key)
    assert page.read_back.text().replace(" ", "").replace("\n", "") == key
    page.policy_box.buttons["full"].setChecked(True)
    shoot(qtbot, screenshot, dialog, "settings_head_office")

    asked = answer(monkeypatch, True)  # names to head office: asked, and agreed
    save_and_wait(qtbot, dialog)
    assert [title for title, _text, _action in asked] == ["Send names to head office"]
    drain(worker)
    assert workspace.site.site().name == NEW_NAME
    assert workspace.site.report_logo() == path.read_bytes()
    assert workspace.site.auto_lock_minutes() == 5
    assert workspace.training.due_soon_days() == 30
    assert workspace.quarterly.head_office_key() == key
    assert workspace.quarterly.concern_policy() == "full"
    assert workspace.concerns.retention_rule() == RetentionRule()
    assert [c.record_type for c in changes] == ["site"] + ["setting"] * 5


def test_only_what_changed_is_written_and_the_logo_can_be_removed(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, tmp_path: Path
) -> None:
    workspace.site.set_report_logo(logo_file(tmp_path).read_bytes())
    dialog = open_dialog(qtbot, worker, workspace)
    assert not dialog.general.logo_preview.pixmap().isNull()
    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)
    qtbot.mouseClick(dialog.general.remove_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.general.logo_preview.text() == NO_LOGO
    save_and_wait(qtbot, dialog)
    assert [c.record_type for c in changes] == ["setting"]
    assert workspace.site.report_logo() is None

    dialog = open_dialog(qtbot, worker, workspace)
    dialog.changed.connect(changes.append)
    save_and_wait(qtbot, dialog)  # nothing changed: nothing written
    assert len(changes) == 1


def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    tmp_path: Path,
    screenshot: Screenshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_key = new_key()
    workspace.quarterly.set_head_office_key(old_key)
    dialog = open_dialog(qtbot, worker, workspace)
    general, page = dialog.general, dialog.head_office
    assert page is not None
    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)

    # A text file named .png: refused when chosen, the logo shown stays as it was.
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture\n" * 50)
    open_file(monkeypatch, fake)
    qtbot.mouseClick(general.choose_logo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a PNG or JPEG" in general.logo_message.text())
    assert general.logo() is None and general.logo_preview.text() == NO_LOGO

    # An empty name, with other changes: nothing at all is saved.
    general.minutes.setValue(3)
    general.name_edit.setText("   ")
    dialog.page_list.setCurrentRow(3)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.stack.currentWidget() is general
    assert "Give the organisation's name" in general.name_message.text()
    shoot(qtbot, screenshot, dialog, "settings_general_refused")

    # A key cut short: its page is shown, with the reason under the field.
    general.name_edit.setText(NEW_NAME)
    page.key_field.edit.setText(old_key[:-5])
    dialog.page_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentWidget() is page
    assert "is not a public key" in page.key_field.check_label.text()
    assert "Nothing was saved" in page.key_message.text()
    assert not general.name_message.text()  # fixed, so no longer flagged
    shoot(qtbot, screenshot, dialog, "settings_head_office_refused")

    # The key emptied: it can only be replaced.
    page.key_field.edit.setText("")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "cannot be removed, only replaced" in page.key_message.text()

    # Another key, but the manager does not confirm replacing it: nothing is saved.
    page.key_field.edit.setText(new_key())
    asked = answer(monkeypatch, False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [title for title, _text, _action in asked] == ["Replace head office's key"]
    drain(worker)
    assert dialog.isVisible()
    assert changes == []
    assert workspace.site.site().name == "Leeds Training Centre"
    assert workspace.site.auto_lock_minutes() == 10
    assert workspace.quarterly.head_office_key() == old_key


def test_a_refusal_by_the_service_keeps_what_was_saved_before_it(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_dialog(qtbot, worker, workspace)
    assert dialog.reminders is not None
    changes: list[ChangeSet] = []
    dialog.changed.connect(changes.append)

    def refuse(days: int) -> ChangeSet:
        raise ValidationError("Refused for the test.")

    monkeypatch.setattr(workspace.training, "set_due_soon_days", refuse)
    dialog.general.name_edit.setText(NEW_NAME)
    dialog.reminders.days_spin.setValue(20)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Refused for the test." in dialog.reminders.days_message.text())
    assert dialog.isVisible() and dialog.stack.currentWidget() is dialog.reminders
    assert [c.record_type for c in changes] == ["site"]
    assert workspace.site.site().name == NEW_NAME
    assert dialog.save_button.isEnabled()

    monkeypatch.undo()
    save_and_wait(qtbot, dialog)  # the name is not written twice
    assert [c.record_type for c in changes] == ["site", "setting"]
    assert workspace.training.due_soon_days() == 20


@pytest.fixture
def lead_manager(tmp_path: Path) -> Iterator[Workspace]:
    """A site whose first manager is also its safeguarding lead (and holds the key)."""
    ws = Workspace.create_site(
        tmp_path / "lead" / "prevent.db",
        site_name="Riverside Apprenticeship Centre",
        site_code="RAC",
        login="mia",
        display_name="Mia Khan",
        passphrase=PASSPHRASE,
        safeguarding_lead=True,
    )
    yield ws
    ws.close()


def test_a_manager_who_is_the_lead_changes_the_retention_rule(
    qtbot: QtBot, lead_manager: Workspace, worker: DatabaseWorker
) -> None:
    dialog = open_dialog(qtbot, worker, lead_manager)
    retention = dialog.retention
    assert retention is not None and retention.birth_spin.isEnabled()
    assert not retention.reason.isVisibleTo(dialog)
    retention.birth_spin.setValue(30)
    save_and_wait(qtbot, dialog)
    assert lead_manager.concerns.retention_rule() == RetentionRule(30, 6)


@pytest.mark.parametrize(
    ("login", "passphrase"), [("tom", STAFF_PASSPHRASE), ("dana", LEAD_PASSPHRASE)]
)
def test_anyone_but_a_manager_sees_the_settings_read_only(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    screenshot: Screenshot,
    login: str,
    passphrase: str,
) -> None:
    other = sign_in(workspace, login, passphrase)
    try:
        assert not SettingsDialog.allowed(other.actor)
        dialog = open_dialog(qtbot, worker, other)
        assert not dialog.save_button.isVisible()
        assert dialog.general.name_edit.isReadOnly()
        assert not dialog.general.choose_logo_button.isVisible()
        assert not dialog.general.minutes.isEnabled()
        assert dialog.reminders is not None and not dialog.reminders.days_spin.isEnabled()
        assert dialog.head_office is not None
        assert not dialog.head_office.policy_box.isEnabled()
        assert dialog.read_only_note.isVisible()
        assert dialog.read_only_note.text() == READ_ONLY_NOTE
        if login == "tom":
            shoot(qtbot, screenshot, dialog, "settings_read_only")
        dialog.general.name_edit.setText("Tom's Academy")
        dialog.save()  # refused without a word: there is no Save button to press
        drain(worker)
        assert workspace.site.site().name == "Leeds Training Centre"
    finally:
        other.close()


def test_head_office_has_only_the_general_page(
    qtbot: QtBot, worker: DatabaseWorker, tmp_path: Path
) -> None:
    head_office = Workspace.create_head_office(
        tmp_path / "ho" / "head-office.db",
        organisation="Northern Skills Group",
        login="hana",
        display_name="Hana Ito",
        passphrase=PASSPHRASE,
    )
    try:
        dialog = open_dialog(qtbot, worker, head_office)
        assert dialog.page_list.count() == 1 and dialog.head_office is None
        dialog.general.name_edit.setText("Northern Skills Group plc")
        save_and_wait(qtbot, dialog)
        drain(worker)
        assert head_office.site.site().name == "Northern Skills Group plc"
    finally:
        worker.run_and_wait(lambda _task: None)
        head_office.close()


def _focus_chain(dialog: SettingsDialog) -> list[QWidget]:
    """The widgets Tab visits from the page list, in order, once round."""
    chain: list[QWidget] = []
    widget = dialog.page_list.nextInFocusChain()
    while widget is not dialog.page_list:
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and widget.isVisible() and widget.isEnabled():
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_the_dialog_is_keyboard_reachable_and_every_control_is_named(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker
) -> None:
    dialog = open_dialog(qtbot, worker, workspace)
    general = dialog.general
    assert dialog.page_list.hasFocus()
    chain = _focus_chain(dialog)
    # Tab from the list goes down the General page, then to Save and Cancel.
    expected = [general.name_edit, general.choose_logo_button, general.minutes]
    spin_edit = general.minutes.findChild(QLineEdit)
    positions = [chain.index(w if w in chain else spin_edit) for w in expected]
    assert positions == sorted(positions)
    assert chain.index(dialog.save_button) > positions[-1]
    # Down in the list turns the page.
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)
    assert dialog.stack.currentWidget() is dialog.reminders

    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QLineEdit | QAbstractSpinBox | QAbstractButton | QListWidget)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus  # not a line edit's clear button
        and not isinstance(w.parent(), QAbstractSpinBox)  # a spin box's own line edit
    ]
    assert controls
    unnamed = [
        w
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
    assert unnamed == []
