"""Head office's window end to end: two real sites send real returns, head office imports them
through its view (confirming each new site laptop), reads the organisation's figures and saves
the consolidated PDF and workbook. A site's database never shows this view, and head office's
never shows the site tabs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.roles import Role
from prevent_desktop.reports.quarterly_aggregate import organisation_position
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui import pdf_printing
from prevent_desktop.ui.head_office_figures import (
    SitePositionTableModel,
    organisation_figures,
)
from prevent_desktop.ui.head_office_key_dialog import HeadOfficeKeyDialog
from prevent_desktop.ui.head_office_view import NO_RETURNS, NOT_ALLOWED, HeadOfficeView
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE, STAFF_PASSPHRASE, add_user_with_own_passphrase
from tests.gui.dialog_doubles import answer, open_file, save_as, visible
from tests.gui.shell_support import Screenshot, drain, show_main_window, sign_in
from tests.unit.concern_support import sample_input
from tests.unit.sync_support import Fleet, risk_input

CURRENT = Quarter.containing(date.today())
PREVIOUS = CURRENT.previous()
YESTERDAY = date.today() - timedelta(days=1)


@dataclass
class Organisation:
    head_office: Workspace
    leeds: Workspace
    hull: Workspace
    bundles: dict[str, Path]  # "leeds-current", "leeds-previous", "hull-current"


@pytest.fixture
def organisation(tmp_path: Path) -> Iterator[Organisation]:
    # Asked for before `worker`: the worker then stops before the databases close.
    (tmp_path / "ho").mkdir()
    head_office = Workspace.create_head_office(
        tmp_path / "ho" / "head-office.db",
        organisation="Northern Skills Group",
        login="hana",
        display_name="Hana Ito",
        passphrase=PASSPHRASE,
    )
    fleet = Fleet(tmp_path / "leeds")
    leeds = fleet.first()  # sam: manager and lead
    leeds.concerns.log_concern(sample_input())
    leeds.concerns.log_concern(sample_input(concern_type="Islamist"))
    hull = Workspace.create_site(
        tmp_path / "hull" / "prevent.db",
        site_name="Hull Skills Hub",
        site_code="HSH",
        login="kim",
        display_name="Kim Shaw",
        passphrase=PASSPHRASE,
        safeguarding_lead=True,
    )
    hull.concerns.log_concern(sample_input())
    overdue = replace(risk_input("Visiting speakers not vetted"), next_review_on=YESTERDAY)
    hull.risks.create_risk(overdue)
    key = head_office.sync.this_device().age_recipient
    bundles = {}
    for name, site, quarter in (
        ("leeds-current", leeds, CURRENT),
        ("leeds-previous", leeds, PREVIOUS),
        ("hull-current", hull, CURRENT),
    ):
        site.quarterly.set_head_office_key(key)
        bundles[name] = tmp_path / f"{name}.pdbundle"
        site.quarterly.export(bundles[name], quarter)
    yield Organisation(head_office, leeds, hull, bundles)
    hull.close()
    fleet.close()
    head_office.close()


def wait_for_message(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: visible(window, QMessageBox, "messageBox") is not None, timeout=15_000)
    box: QMessageBox = visible(window, QMessageBox, "messageBox")
    return box


def picture(qtbot: QtBot, screenshot: Screenshot, widget: Any, name: str) -> None:
    qtbot.wait(30)  # pending layout requests first: a grab does not run them
    screenshot(widget, name)


def table_rows(view: HeadOfficeView) -> list[list[str]]:
    model = view.model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def import_through_view(
    qtbot: QtBot,
    window: MainWindow,
    view: HeadOfficeView,
    monkeypatch: pytest.MonkeyPatch,
    bundle: Path,
) -> QMessageBox:
    open_file(monkeypatch, bundle)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    return wait_for_message(qtbot, window)


def head_office_window(
    qtbot: QtBot, worker: DatabaseWorker, head_office: Workspace, keychain: Keychain
) -> tuple[MainWindow, HeadOfficeView]:
    window = show_main_window(qtbot, worker, head_office, keychain)
    view = window.head_office_view
    assert view is not None
    drain(worker)
    return window, view


# ---- the window --------------------------------------------------------------------------


def test_head_office_opens_its_view_instead_of_the_site_tabs(
    qtbot: QtBot,
    organisation: Organisation,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    window, view = head_office_window(qtbot, worker, organisation.head_office, memory_keychain)
    ui = window.ui
    assert window.tabs == [] and not ui.tabs.isVisible() and ui.tabs.count() == 0
    assert view.isVisible() and window.sync_menu is None
    assert window.windowTitle() == "Prevent Desktop — Northern Skills Group (head office)"
    assert "Head office: Northern Skills Group" in window.status_panel.text()
    # The Sync menu: what head office does with returns, no pairing or site export.
    sync = next(a.menu() for a in ui.menuBar.actions() if a.text() == "S&ync")
    assert sync is view.menu
    assert [a.text() for a in sync.actions() if not a.isSeparator()] == [
        "&Import a return…",
        "Save &PDF report…",
        "Save E&xcel workbook…",
        "Head office's public &key…",
    ]
    # The Site menu keeps users, the threat level and Settings (General only there).
    shown = [a.text() for a in ui.menuSite.actions() if a.isVisible() and not a.isSeparator()]
    assert shown == ["Set &threat level…", "&Users…", "&Settings…"]
    assert window.open_head_office_settings() is None
    titles = [a.text() for a in ui.menuBar.actions() if a.isVisible()]
    letters = [title[title.index("&") + 1].lower() for title in titles]
    assert len(set(letters)) == len(letters), titles
    # No returns yet: the view says what to do, and there is nothing to save.
    assert view.message_label.isVisible() and view.message_label.text() == NO_RETURNS
    assert not view.figures.isVisible() and not view.table.isVisible()
    assert not view.pdf_button.isEnabled() and not view.xlsx_button.isEnabled()
    assert view.import_button.isEnabled()
    picture(qtbot, screenshot, window, "head_office_empty")
    window.clear_views()
    assert view.snapshot is None and "Head office" not in window.status_panel.text()


def test_a_site_database_never_shows_the_head_office_view(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    assert window.head_office_view is None and not window.findChildren(HeadOfficeView)
    assert window.ui.tabs.isVisible() and len(window.tabs) == window.ui.tabs.count() == 6
    assert window.sync_menu is not None
    texts = [a.text() for a in window.sync_menu.menu.actions()]
    assert "Quarterly export to &head office…" in texts and "&Import a return…" not in texts
    assert window.ui.actionSettings.isVisible()
    drain(worker)


# ---- importing ---------------------------------------------------------------------------


def test_head_office_imports_two_sites_returns_and_shows_the_organisations_position(
    qtbot: QtBot,
    organisation: Organisation,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    ho = organisation.head_office
    bundles = organisation.bundles
    leeds_card = organisation.leeds.sync.this_device()
    window, view = head_office_window(qtbot, worker, ho, memory_keychain)

    # A new site laptop: its fingerprint is asked about; "No" imports nothing.
    opened = open_file(monkeypatch, bundles["leeds-current"])
    asked = answer(monkeypatch, False)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing was imported" in window.statusBar().currentMessage())
    assert opened[0][3] == "Prevent bundles (*.pdbundle)"
    [(_title, text, action)] = asked
    assert leeds_card.fingerprint in text and leeds_card.label in text
    assert "Yes" in action
    drain(worker)
    assert ho.head_office.sites() == [] and view.message_label.text() == NO_RETURNS

    # "Yes": imported, the view shows its quarter.
    asked = answer(monkeypatch, True)
    box = import_through_view(qtbot, window, view, monkeypatch, bundles["leeds-current"])
    assert len(asked) == 1
    assert f"Leeds Training Centre's return for {CURRENT.label} was imported" in box.text()
    assert "now accepted" in box.text() and box.icon() == QMessageBox.Icon.Information
    picture(qtbot, screenshot, box, "head_office_imported")
    box.close()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)

    # The second site's laptop is new too; the first site's earlier quarter is not.
    asked = answer(monkeypatch, True)
    import_through_view(qtbot, window, view, monkeypatch, bundles["hull-current"]).close()
    assert len(asked) == 1 and "Hull" in asked[0][1]
    asked = answer(monkeypatch)
    box = import_through_view(qtbot, window, view, monkeypatch, bundles["leeds-previous"])
    assert asked == [] and PREVIOUS.label in box.text() and "accepted" not in box.text()
    box.close()
    # The same file again changes nothing, and says so as information.
    box = import_through_view(qtbot, window, view, monkeypatch, bundles["leeds-current"])
    assert "nothing changed" in box.text() and box.icon() == QMessageBox.Icon.Information
    box.close()
    drain(worker)

    # Quarters newest first, the last one imported shown; the current one has both sites.
    combo = view.quarter_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [CURRENT.label, PREVIOUS.label]
    assert view.chosen_quarter() == PREVIOUS
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.waitUntil(lambda: view.figures.title().endswith(CURRENT.label))
    position = organisation_position(ho.head_office.returns(CURRENT))
    assert view.figures.texts() == organisation_figures(position)
    figures = view.figures.texts()
    assert figures["Sites that sent a return"] == "2"
    assert figures["Risks not closed"] == f"{position['risks']} ({position['red_risks']} red)"
    assert figures["Concerns recorded in the quarter"] == "3"
    assert figures["Concerns open at the end of the quarter"] == "3"
    assert "Extreme right-wing: 2" in figures["Open concerns by type"]
    assert "Islamist: 1" in figures["Open concerns by type"]
    assert view.figures.title() == f"The organisation, {CURRENT.label}"
    rows = table_rows(view)
    assert [row[SitePositionTableModel.SITE] for row in rows] == [
        "Hull Skills Hub (HSH)",
        "Leeds Training Centre (LTC)",
    ]
    for row, site in zip(rows, position["site_rows"], strict=True):
        assert row[SitePositionTableModel.OPEN] == str(site["open_concerns"])
        assert row[SitePositionTableModel.RISKS] == f"{site['risks']} ({site['red_risks']})"
        assert row[SitePositionTableModel.POLICY] == "Pseudonymised"
        overdue = site["risk_reviews_overdue"]
        assert row[SitePositionTableModel.REVIEWS] == (f"⚠ {overdue}" if overdue else "None")
    # Overdue reviews are said in words; the tint only helps.
    assert figures["Risk reviews overdue"] == "⚠ 1"
    hull_reviews = view.model.index(0, SitePositionTableModel.REVIEWS)
    assert hull_reviews.data() == "⚠ 1"
    assert hull_reviews.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.model.index(1, SitePositionTableModel.REVIEWS).data() == "None"
    assert view.all_sent_label.isVisible() and not view.not_sent_list.isVisible()
    assert view.table.accessibleName() and view.not_sent_list.accessibleName()
    window.resize(1280, 800)
    picture(qtbot, screenshot, window, "head_office_view")

    # The earlier quarter: only Leeds sent one, so Hull is listed as not sent.
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: view.figures.title().endswith(PREVIOUS.label))
    assert view.figures.texts()["Sites that sent a return"] == "1"
    assert view.not_sent_list.isVisible() and view.not_sent_list.count() == 1
    line = view.not_sent_list.item(0).text()
    assert line.startswith("Hull Skills Hub (HSH) — latest quarter sent: " + CURRENT.label)
    assert view.not_sent_label.isVisible()
    picture(qtbot, screenshot, window, "head_office_view_not_sent")
    window.clear_views()
    assert view.model.rowCount() == 0 and view.quarter_combo.count() == 0


# ---- reports and the key -----------------------------------------------------------------


def test_head_office_saves_the_quarters_pdf_and_workbook(
    qtbot: QtBot,
    organisation: Organisation,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ho = organisation.head_office.head_office
    ho.import_return(organisation.bundles["leeds-current"], trust=True)
    ho.import_return(organisation.bundles["hull-current"], trust=True)
    window, view = head_office_window(qtbot, worker, organisation.head_office, memory_keychain)
    qtbot.waitUntil(lambda: view.pdf_button.isEnabled())

    offered: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        pdf_printing, "offer_saved", lambda _parent, path, what: offered.append((path, what))
    )
    calls = save_as(monkeypatch, tmp_path / "report")  # ".pdf" is added
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(offered), timeout=30_000)
    pdf = tmp_path / "report.pdf"
    assert offered == [(pdf, "quarterly report")]
    assert "NOT encrypted" in calls[0][1]
    assert Path(calls[0][2]).name == f"Northern Skills Group {CURRENT} quarterly report.pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Northern Skills Group" in text and "Organisation" in text
    assert "Hull Skills Hub" in text and "Leeds Training Centre" in text

    save_as(monkeypatch, tmp_path / "workbook.xlsx")
    view.xlsx_action.trigger()  # the Sync menu's entry does the same as the button
    box = wait_for_message(qtbot, window)
    assert "not encrypted" in box.text()
    box.close()
    workbook = openpyxl.load_workbook(tmp_path / "workbook.xlsx", read_only=True)
    assert "Organisation" in workbook.sheetnames[0]
    workbook.close()
    drain(worker)


def test_head_offices_public_key_is_shown_to_copy_with_its_fingerprint(
    qtbot: QtBot,
    organisation: Organisation,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    card = organisation.head_office.sync.this_device()
    window, view = head_office_window(qtbot, worker, organisation.head_office, memory_keychain)
    qtbot.mouseClick(view.key_button, Qt.MouseButton.LeftButton)
    dialog: HeadOfficeKeyDialog = visible(window, HeadOfficeKeyDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.public_key_edit.text() == card.age_recipient
    assert dialog.fingerprint_label.text() == card.fingerprint
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == card.age_recipient
    assert dialog.copy_button.text() == "Copied"
    picture(qtbot, screenshot, dialog, "head_office_public_key")
    # A second request raises the open dialog rather than stacking another.
    view.key_action.trigger()
    assert len([d for d in window.findChildren(HeadOfficeKeyDialog) if d.isVisible()]) == 1
    dialog.close()
    QGuiApplication.clipboard().clear()
    menu = view.menu
    menu.popup(window.mapToGlobal(QPoint(200, 30)))
    qtbot.waitExposed(menu)
    picture(qtbot, screenshot, menu, "head_office_sync_menu")
    menu.hide()


def test_a_head_office_user_whose_role_excludes_returns_sees_why_and_no_figures(
    qtbot: QtBot,
    organisation: Organisation,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
) -> None:
    ho = organisation.head_office
    ho.head_office.import_return(organisation.bundles["leeds-current"], trust=True)
    add_user_with_own_passphrase(ho, "pat", "Pat Lowe", Role.STAFF, False, STAFF_PASSPHRASE)
    pat = sign_in(ho, "pat", STAFF_PASSPHRASE)
    try:
        _window, view = head_office_window(qtbot, worker, pat, memory_keychain)
        assert view.message_label.isVisible() and view.message_label.text() == NOT_ALLOWED
        assert not view.figures.isVisible() and view.model.rowCount() == 0
        assert not view.import_button.isEnabled() and not view.key_button.isEnabled()
        assert not view.menu.menuAction().isVisible()  # the Sync menu is hidden too
        assert view.open_key_dialog() is None
        drain(worker)
    finally:
        pat.close()
