"""The setup wizard, end to end on a real encrypted database, and the recovery key sheet."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import key_file_path, parse_recovery_key
from prevent_desktop.ui.setup_wizard import SetupWizard
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE

Screenshot = Callable[[QWidget, str], Path]


@pytest.fixture
def wizard(worker: DatabaseWorker, db_path: Path, qtbot: QtBot) -> Iterator[SetupWizard]:
    setup = SetupWizard(worker, db_path)
    qtbot.addWidget(setup)
    setup.show()
    qtbot.waitExposed(setup)
    yield setup
    if setup.workspace is not None:
        setup.workspace.close()


def next_button(wizard: SetupWizard) -> QWidget:
    page = wizard.currentPage()
    if page.isCommitPage():
        return wizard.button(QWizard.WizardButton.CommitButton)
    return wizard.button(QWizard.WizardButton.NextButton)


def click_next(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)


def fill_in_to_passphrase(qtbot: QtBot, wizard: SetupWizard, screenshot: Screenshot) -> None:
    screenshot(wizard, "wizard_1_welcome")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.site_page
    assert not next_button(wizard).isEnabled()
    qtbot.keyClicks(wizard.site_page.name_edit, "Leeds Training Centre")
    assert wizard.site_page.code_edit.text() == "LTC"
    screenshot(wizard, "wizard_2_site")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.manager_page
    qtbot.keyClicks(wizard.manager_page.login_edit, "s.patel")
    qtbot.keyClicks(wizard.manager_page.name_edit, "Sam Patel")
    wizard.manager_page.lead_check.setChecked(True)
    screenshot(wizard, "wizard_3_manager")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.passphrase_page


def test_the_wizard_creates_a_database_whose_recovery_key_opens_it(
    wizard: SetupWizard, db_path: Path, qtbot: QtBot, screenshot: Screenshot
) -> None:
    assert wizard.windowTitle() == "Prevent Desktop — Set up"
    fill_in_to_passphrase(qtbot, wizard, screenshot)
    fields = wizard.passphrase_page.fields
    commit = next_button(wizard)
    assert commit.text().replace("&", "") == "Create database"

    qtbot.keyClicks(fields.passphrase_edit, "password1")
    qtbot.keyClicks(fields.repeat_edit, "password1")
    assert fields.meter.label.text()  # the strength is shown as they type
    assert not commit.isEnabled()  # too weak, however well repeated
    screenshot(wizard, "wizard_4_passphrase_weak")
    fields.clear()
    qtbot.keyClicks(fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(fields.repeat_edit, PASSPHRASE[:-1])
    assert not commit.isEnabled()  # strong, but the repeat differs
    qtbot.keyClick(fields.repeat_edit, PASSPHRASE[-1])
    assert commit.isEnabled()
    screenshot(wizard, "wizard_4_passphrase")
    assert not db_path.exists()

    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    key_text = wizard.recovery_page.panel.key
    assert len(key_text.replace("-", "")) == 64
    assert wizard.recovery_page.panel.key_label.text().replace("\n", "-") == key_text
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # no way back
    screenshot(wizard, "wizard_5_recovery_key")

    wizard.recovery_page.stored_check.setChecked(True)
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.created) as created:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    workspace = created.args[0]
    assert isinstance(workspace, Workspace)
    assert workspace.actor.login == "s.patel"
    assert workspace.actor.is_safeguarding_lead
    site = workspace.site.site()
    assert (site.name, site.code) == ("Leeds Training Centre", "LTC")

    assert db_path.exists() and key_file_path(db_path).exists()
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    # The key is shown once: the finished wizard keeps no copy of it.
    assert wizard.workspace is None and wizard.passphrase_page._created is None
    assert wizard.recovery_page.panel.key == ""
    assert wizard.recovery_page.panel.key_label.text() == ""
    opened = Database.open_with_key(db_path, parse_recovery_key(key_text))
    try:
        assert opened.database_id == workspace.database.database_id
    finally:
        opened.close()
        workspace.close()


def test_an_invalid_user_name_is_explained_on_its_page(
    wizard: SetupWizard, qtbot: QtBot, screenshot: Screenshot
) -> None:
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.site_page.name_edit, "Leeds")
    click_next(qtbot, wizard)
    qtbot.keyClicks(wizard.manager_page.login_edit, "sam patel")
    qtbot.keyClicks(wizard.manager_page.name_edit, "Sam Patel")
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.manager_page
    assert wizard.manager_page.error_label.isVisible()
    assert "no spaces" in wizard.manager_page.error_label.text()


def test_an_existing_key_file_is_not_overwritten(
    wizard: SetupWizard, db_path: Path, qtbot: QtBot, screenshot: Screenshot
) -> None:
    keys = key_file_path(db_path)
    keys.write_text("someone else's key file")
    fill_in_to_passphrase(qtbot, wizard, screenshot)
    fields = wizard.passphrase_page.fields
    qtbot.keyClicks(fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(fields.repeat_edit, PASSPHRASE)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.passphrase_page.error_label.isVisible(), timeout=10_000)
    assert "already exists" in wizard.passphrase_page.error_label.text()
    assert wizard.currentPage() is wizard.passphrase_page
    assert keys.read_text() == "someone else's key file"
    assert not db_path.exists()


def test_closing_after_creation_asks_first(
    wizard: SetupWizard, qtbot: QtBot, screenshot: Screenshot
) -> None:
    fill_in_to_passphrase(qtbot, wizard, screenshot)
    fields = wizard.passphrase_page.fields
    qtbot.keyClicks(fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(fields.repeat_edit, PASSPHRASE)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10_000)
    workspace = wizard.workspace
    assert workspace is not None
    wizard.reject()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    box = next(b for b in boxes if b.isVisible())
    assert "recovery key" in box.text()
    go_back = next(b for b in box.buttons() if b.text() == "Go back")
    qtbot.mouseClick(go_back, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()
    wizard.reject()
    box = next(
        b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()
    )
    close = next(b for b in box.buttons() if b.text() == "Close anyway")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    qtbot.waitUntil(lambda: workspace.database.key == b"")


def test_the_recovery_key_can_be_copied_printed_and_saved(
    wizard: SetupWizard, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = wizard.recovery_page.panel
    key = "ABCD-" * 15 + "EF01"
    panel.set_key(key, "Leeds Training Centre", tmp_path / "prevent.db")

    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == key

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = tmp_path / "key.pdf"
    printer.setOutputFileName(str(pdf))
    with qtbot.waitSignal(panel.kept) as kept:
        panel.print_to(printer)
    assert kept.args == ["printed"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Prevent Desktop recovery key" in text
    assert "Leeds Training Centre" in text
    assert "ABCD-ABCD-ABCD-ABCD" in text

    saved = tmp_path / "key.txt"
    panel.save_to(saved)
    content = saved.read_text(encoding="utf-8")
    assert key.split("-")[0] in content and "EF01" in content
    assert "PRAGMA key" in content
    assert stat.S_IMODE(saved.stat().st_mode) & 0o077 == 0  # a secret: not readable by others
