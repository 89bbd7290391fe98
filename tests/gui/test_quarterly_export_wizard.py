"""Sync ▸ Quarterly export to head office, end to end: real
site databases, a real head office to open the bundle, real PDF and workbook files.

File dialogs and questions are answered by monkeypatching, as in test_sync_dialogs; the
wizard's pages are driven through their widgets and the wizard's own buttons.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui import pdf_printing
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.quarterly_export_wizard import QuarterlyExportWizard
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE
from tests.gui.dialog_doubles import answer
from tests.gui.shell_support import Screenshot, drain, show_main_window, sign_in
from tests.unit.concern_support import PERSON, sample_input
from tests.unit.sync_support import Fleet

TODAY = date.today()
CURRENT = Quarter.containing(TODAY)
NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Workspace]:
    # Asked for before `worker`: the worker then stops before the database closes.
    fleet = Fleet(tmp_path / "site")
    ws = fleet.first()  # sam: manager and safeguarding lead
    ws.concerns.log_concern(sample_input())
    ws.concerns.log_concern(sample_input(account="He said it again the next day."))
    yield ws
    fleet.close()


@pytest.fixture
def head_office(tmp_path: Path) -> Iterator[Workspace]:
    (tmp_path / "ho").mkdir()
    ws = Workspace.create_head_office(
        tmp_path / "ho" / "head-office.db",
        organisation="Northern Skills Group",
        login="hana",
        display_name="Hana Ito",
        passphrase=PASSPHRASE,
    )
    yield ws
    ws.close()


def open_wizard(qtbot: QtBot, window: MainWindow) -> QuarterlyExportWizard:
    assert window.sync_menu is not None
    window.sync_menu.quarterly_action.trigger()
    wizard = next(w for w in window.findChildren(QuarterlyExportWizard) if w.isVisible())
    qtbot.waitUntil(lambda: wizard.setup is not None, timeout=15_000)
    return wizard


def picture(qtbot: QtBot, screenshot: Screenshot, widget: Any, name: str) -> None:
    qtbot.wait(30)  # pending layout requests first: a grab does not run them
    screenshot(widget, name)


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def close_window(worker: DatabaseWorker, window: MainWindow) -> None:
    drain(worker)
    window.close()


# ---- the whole export --------------------------------------------------------------------


def test_a_lead_manager_enters_the_key_and_exports_bundle_pdf_and_workbook(
    qtbot: QtBot,
    site: Workspace,
    head_office: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    key = head_office.sync.this_device().age_recipient
    window = show_main_window(qtbot, worker, site, memory_keychain)
    assert window.sync_menu is not None
    assert window.sync_menu.quarterly_action.text() == "Quarterly export to &head office…"
    wizard = open_wizard(qtbot, window)

    # (a) The quarter: the last complete one by default; the running one can be chosen.
    page = wizard.quarter_page
    assert page.quarter() == CURRENT.previous()
    assert page.period_label.text() == (
        f"From {CURRENT.previous().start:%d/%m/%Y} to {CURRENT.previous().end:%d/%m/%Y}"
    )
    assert not page.running_note.isVisible()
    page.set_quarter(CURRENT)
    assert "still running" in page.combo.currentText()
    assert page.running_note.isVisible() and f"{TODAY:%d/%m/%Y}" in page.running_note.text()
    picture(qtbot, screenshot, wizard, "quarterly_export_quarter")
    wizard.next()

    # (b) What is sent: no key yet, so the page is not complete until it is pasted and saved.
    content = wizard.content_page
    assert wizard.currentPage() is content
    assert "Not set yet" in content.key_status.text()
    assert content.key_field.isVisible() and not wizard.button(NEXT).isEnabled()
    content.key_field.edit.setText(key[:-3])  # cut short on its way from head office
    assert "⚠" in content.key_field.check_label.text()
    assert not content.save_key_button.isEnabled()
    picture(qtbot, screenshot, wizard, "quarterly_export_bad_key")
    content.key_field.edit.setText(key)
    assert content.key_field.check_label.text().startswith("✓")
    qtbot.mouseClick(content.save_key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=15_000)
    assert content.key_value.text() == key and not content.key_field.isVisible()
    assert "saved" in content.key_message.text()
    assert site.quarterly.head_office_key() == key
    assert "Pseudonymised" in content.policy_label.text()
    assert not content.policy_note.isVisible()
    picture(qtbot, screenshot, wizard, "quarterly_export_content")
    wizard.next()

    # (c) Where: names from the site code and quarter; the copies are ticked on.
    files = wizard.destination_page
    assert Path(files.bundle_row.edit.text()).name == f"LTC-{CURRENT}-return.pdbundle"
    assert not files.pdf_row.isEnabled()
    bundle, pdf, xlsx = tmp_path / "out.pdbundle", tmp_path / "out.pdf", tmp_path / "out"
    bundle.write_bytes(b"an older export")  # replaced only after asking
    files.bundle_row.edit.setText(str(bundle))
    files.pdf_check.setChecked(True)
    files.pdf_row.edit.setText(str(pdf))
    files.xlsx_check.setChecked(True)
    files.xlsx_row.edit.setText(str(xlsx))  # ".xlsx" is added
    assert "NOT encrypted" in files.plain_note.text()
    assert wizard.button(COMMIT).text() == "&Export"
    picture(qtbot, screenshot, wizard, "quarterly_export_files")
    asked = answer(monkeypatch, True)
    qtbot.mouseClick(wizard.button(COMMIT), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert "already exist" in asked[0][1] and str(bundle) in asked[0][1]

    # (d) The summary, and the PDF offered.
    done = wizard.done_page
    assert wizard.outcome is not None and wizard.outcome.policy == "pseudonymised"
    text = done.summary_label.text()
    assert f"Bundle number {wizard.outcome.bundle.sequence}" in text and CURRENT.label in text
    assert "Pseudonymised records" in text
    for path in (bundle, pdf, tmp_path / "out.xlsx"):
        assert str(path) in text
    assert not done.note_label.isVisible()
    opened: list[Path] = []
    monkeypatch.setattr(pdf_printing, "open_in_viewer", lambda path: opened.append(path) or True)
    qtbot.mouseClick(done.open_button, Qt.MouseButton.LeftButton)
    assert opened == [pdf]
    picture(qtbot, screenshot, wizard, "quarterly_export_done")

    # The files: head office opens the bundle; the PDF and workbook show the same return.
    received = head_office.head_office.import_return(bundle, trust=True)
    assert received.site_name == "Leeds Training Centre" and received.quarter == CURRENT
    [payload] = head_office.head_office.returns(CURRENT)
    assert len(payload["concerns"]["records"]) == 2
    assert PERSON.name not in str(payload)
    printed = pdf_text(pdf)
    assert "Leeds Training Centre" in printed and CURRENT.label.split(" (")[0] in printed
    assert PERSON.name not in printed
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    assert len(workbook.sheetnames) > 1
    workbook.close()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not shiboken6.isValid(wizard) or not wizard.isVisible()
    close_window(worker, window)


# ---- who may do what ---------------------------------------------------------------------


def test_a_lead_who_is_not_a_manager_is_told_to_ask_a_manager_for_the_key(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    dana = sign_in(workspace, "dana", LEAD_PASSPHRASE)
    try:
        window = show_main_window(qtbot, worker, dana, memory_keychain)
        assert not window.ui.actionSettings.isVisible()
        assert window.open_head_office_settings() is None
        wizard = open_wizard(qtbot, window)
        wizard.next()
        content = wizard.content_page
        assert "only a manager can enter it" in content.key_status.text()
        assert "Site ▸ Settings… (Head office)" in content.key_status.text()
        assert not content.key_field.isVisible() and not content.save_key_button.isVisible()
        assert not wizard.button(NEXT).isEnabled()
        content.save_key()  # refused here too: nothing is submitted
        picture(qtbot, screenshot, wizard, "quarterly_export_lead_without_key")
        wizard.reject()
        close_window(worker, window)
        assert workspace.quarterly.head_office_key() is None
    finally:
        dana.close()


def test_a_manager_who_is_not_the_lead_is_told_only_statistics_will_go(
    qtbot: QtBot,
    workspace: Workspace,
    head_office: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    screenshot: Screenshot,
) -> None:
    workspace.quarterly.set_head_office_key(head_office.sync.this_device().age_recipient)
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    wizard = open_wizard(qtbot, window)
    wizard.quarter_page.set_quarter(CURRENT)
    wizard.next()
    content = wizard.content_page
    assert content.key_status.text().startswith("✓") and wizard.button(NEXT).isEnabled()
    assert content.change_key_button.isVisible()  # sam is a manager
    note = content.policy_note
    assert note.isVisible() and note.text().startswith("⚠")
    assert "statistics only" in note.text() and "safeguarding lead" in note.text()
    assert "Statistics only" in content.policy_label.text()
    picture(qtbot, screenshot, wizard, "quarterly_export_statistics_only")
    wizard.next()
    bundle = tmp_path / "stats.pdbundle"
    wizard.destination_page.bundle_row.edit.setText(str(bundle))
    qtbot.mouseClick(wizard.button(COMMIT), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert wizard.outcome is not None and wizard.outcome.policy == "statistics"
    assert wizard.done_page.note_label.isVisible()
    assert "statistics only" in wizard.done_page.note_label.text()
    assert not wizard.done_page.open_button.isVisible()  # no PDF was asked for
    head_office.head_office.import_return(bundle, trust=True)
    [payload] = head_office.head_office.returns(CURRENT)
    assert payload["concern_policy"] == "statistics" and payload["concerns"]["records"] == []
    wizard.accept()
    close_window(worker, window)


def test_an_export_that_fails_says_why_on_the_page_and_can_be_retried(
    qtbot: QtBot,
    workspace: Workspace,
    head_office: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
) -> None:
    workspace.quarterly.set_head_office_key(head_office.sync.this_device().age_recipient)
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    wizard = open_wizard(qtbot, window)
    wizard.next()
    wizard.next()
    files = wizard.destination_page
    files.bundle_row.edit.setText(str(tmp_path / "no such folder" / "r.pdbundle"))
    qtbot.mouseClick(wizard.button(COMMIT), Qt.MouseButton.LeftButton)
    assert files.error_label.isVisible() and "does not exist" in files.error_label.text()
    assert wizard.currentPage() is files
    files.pdf_check.setChecked(True)
    assert not files.error_label.isVisible()  # an edit clears the message
    files.pdf_row.edit.clear()
    assert not wizard.button(COMMIT).isEnabled()  # a ticked copy needs a name
    files.pdf_row.edit.setText(str(tmp_path / "copy"))
    files.bundle_row.edit.setText(str(tmp_path / "retried"))
    qtbot.mouseClick(wizard.button(COMMIT), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30_000)
    assert (tmp_path / "retried.pdbundle").exists()
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF")
    wizard.accept()
    close_window(worker, window)


# ---- head office settings ----------------------------------------------------------------
