"""The setup wizard's second path: a new laptop joins an existing site from the pairing file
and code made on the site's laptop, end to end on real encrypted databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import key_file_path, parse_recovery_key
from prevent_desktop.ui.setup_wizard import SetupWizard
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.shell_support import Screenshot
from tests.unit.sync_support import Fleet

LAPTOP_PASSPHRASE = "harbour lantern copper 58"
WRONG_CODE = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Fleet]:
    fleet = Fleet(tmp_path / "site")
    fleet.first()
    yield fleet
    fleet.close()


@pytest.fixture
def pairing(site: Fleet, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "usb" / "LTC.pdpair"
    path.parent.mkdir()
    return path, site.laptops[0].sync.make_pairing_file(path)


@pytest.fixture
def wizard(
    site: Fleet, worker: DatabaseWorker, db_path: Path, qtbot: QtBot
) -> Iterator[SetupWizard]:
    setup = SetupWizard(worker, db_path)
    qtbot.addWidget(setup)
    setup.show()
    qtbot.waitExposed(setup)
    yield setup
    if setup.workspace is not None:
        setup.workspace.close()


def next_button(wizard: SetupWizard) -> QWidget:
    if wizard.currentPage().isCommitPage():
        return wizard.button(QWizard.WizardButton.CommitButton)
    return wizard.button(QWizard.WizardButton.NextButton)


def click_next(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)


def go_to_join_page(qtbot: QtBot, wizard: SetupWizard, screenshot: Screenshot) -> None:
    assert wizard.welcome_page.new_site_radio.isChecked()  # the first laptop is the default
    wizard.welcome_page.join_radio.setChecked(True)
    qtbot.wait(30)  # pending layouts first: a grab does not run them
    screenshot(wizard, "wizard_join_1_welcome")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.join_page


def choose_file(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, wizard: SetupWizard, path: Path
) -> list[Any]:
    calls: list[Any] = []

    def dialog(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(dialog))
    qtbot.mouseClick(wizard.join_page.choose_button, Qt.MouseButton.LeftButton)
    return calls


def fill_in(qtbot: QtBot, wizard: SetupWizard, code: str, login: str = "sam") -> None:
    page = wizard.join_page
    qtbot.keyClicks(page.code_edit, code)
    qtbot.keyClicks(page.login_edit, login)
    qtbot.keyClicks(page.fields.passphrase_edit, LAPTOP_PASSPHRASE)
    qtbot.keyClicks(page.fields.repeat_edit, LAPTOP_PASSPHRASE)


def test_a_second_laptop_joins_the_site_and_ends_signed_in(
    wizard: SetupWizard,
    site: Fleet,
    pairing: tuple[Path, str],
    db_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    pairing_file, code = pairing
    go_to_join_page(qtbot, wizard, screenshot)
    page = wizard.join_page
    commit = next_button(wizard)
    assert commit.text().replace("&", "") == "Join the site"
    assert not commit.isEnabled()
    calls = choose_file(monkeypatch, qtbot, wizard, pairing_file)
    assert calls[0][3] == "Pairing files (*.pdpair)"
    assert page.file_edit.text() == str(pairing_file)
    # Typed in lower case and without dashes: shown in capitals, and still the code.
    fill_in(qtbot, wizard, code.replace("-", "").lower())
    assert page.code_edit.text() == code.replace("-", "")
    assert commit.isEnabled()
    qtbot.wait(30)  # pending layouts first: a grab does not run them
    screenshot(wizard, "wizard_join_2_details")
    assert not db_path.exists()

    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15_000)
    key_text = wizard.recovery_page.panel.key
    assert len(key_text.replace("-", "")) == 64
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # no way back
    assert page.code_edit.text() == "" and page.fields.passphrase() == ""
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    qtbot.wait(30)  # pending layouts first: a grab does not run them
    screenshot(wizard, "wizard_join_3_recovery_key")

    wizard.recovery_page.stored_check.setChecked(True)
    with qtbot.waitSignal(wizard.created) as created:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    workspace = created.args[0]
    assert isinstance(workspace, Workspace)
    try:
        assert workspace.actor.login == "sam"
        assert workspace.site.site().name == "Leeds Training Centre"
        first_card = site.laptops[0].sync.this_device()
        assert [p.device_id for p in workspace.sync.paired_devices()] == [first_card.device_id]
        assert wizard.workspace is None and wizard.recovery_page.panel.key == ""
        # This laptop's own database, its own recovery key, and the new passphrase.
        assert key_file_path(db_path).exists()
        assert not db_path.read_bytes().startswith(b"SQLite format 3")
        opened = Database.open_with_key(db_path, parse_recovery_key(key_text))
        try:
            assert opened.database_id == workspace.database.database_id
        finally:
            opened.close()
    finally:
        workspace.close()
    again, _kek = Workspace.sign_in(db_path, "sam", LAPTOP_PASSPHRASE)
    again.close()


def test_a_wrong_code_is_explained_on_the_page_and_nothing_typed_is_lost(
    wizard: SetupWizard,
    pairing: tuple[Path, str],
    db_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    pairing_file, code = pairing
    go_to_join_page(qtbot, wizard, screenshot)
    page = wizard.join_page
    choose_file(monkeypatch, qtbot, wizard, pairing_file)
    fill_in(qtbot, wizard, WRONG_CODE)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=15_000)
    assert "pairing code does not open this file" in page.error_label.text()
    assert page.error_label.text().startswith("⚠")  # not by colour alone
    assert wizard.currentPage() is page
    assert page.file_edit.text() == str(pairing_file)
    assert page.code_edit.text() == WRONG_CODE
    assert page.login_edit.text() == "sam"
    assert page.fields.passphrase() == LAPTOP_PASSPHRASE
    assert page.file_edit.isEnabled() and next_button(wizard).isEnabled()
    assert not db_path.exists()
    qtbot.wait(30)  # pending layouts first: a grab does not run them
    screenshot(wizard, "wizard_join_wrong_code")

    # Correcting the code is enough.
    page.code_edit.selectAll()
    qtbot.keyClicks(page.code_edit, code)
    assert not page.error_label.isVisible()
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15_000)


def test_someone_who_may_not_set_up_a_laptop_is_told_why(
    wizard: SetupWizard,
    pairing: tuple[Path, str],
    db_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairing_file, code = pairing
    go_to_join_page(qtbot, wizard, no_screenshot)
    choose_file(monkeypatch, qtbot, wizard, pairing_file)
    fill_in(qtbot, wizard, code, login="nobody")
    click_next(qtbot, wizard)
    page = wizard.join_page
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=15_000)
    assert "'nobody' is not an active user of Leeds Training Centre" in page.error_label.text()
    assert not db_path.exists()


def test_going_back_from_the_join_page_leads_to_a_new_site_again(
    wizard: SetupWizard, qtbot: QtBot
) -> None:
    go_to_join_page(qtbot, wizard, no_screenshot)
    wizard.back()
    wizard.welcome_page.new_site_radio.setChecked(True)
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.site_page


def no_screenshot(_widget: QWidget, _name: str) -> Path:
    return Path()
