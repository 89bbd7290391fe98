"""The Sync menu end to end: real laptops of one site (tests/unit/sync_support.Fleet), real
bundle and pairing files, each laptop in its own main window on the one worker.

The file dialogs and the questions (`confirmation.ask`, a blocking QMessageBox) are answered
by monkeypatching, as in the other GUI tests; message boxes shown with `show_message` and the
sync dialogs themselves are found and driven like any widget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.sync_conflicts_dialog import (
    FieldComparisonModel,
    SyncConflictsDialog,
    compare,
)
from prevent_desktop.ui.sync_import_summary import ImportSummaryDialog, ImportSummaryTableModel
from prevent_desktop.ui.sync_key_dialogs import PairingCodeDialog, ThisLaptopDialog
from prevent_desktop.ui.sync_passphrase_dialog import BundlePassphraseDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE
from tests.gui.dialog_doubles import answer, open_file, save_as, visible
from tests.gui.shell_support import Screenshot, drain, show_main_window, sign_in
from tests.unit.sync_support import Fleet, risk_input

BUNDLE_PASSPHRASE = "purple walrus quietly 1984"


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    # Asked for before `worker` by every test: the worker then stops before the laptops close.
    site = Fleet(tmp_path / "site")
    site.first()
    yield site
    site.close()


def window_for(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain
) -> MainWindow:
    return show_main_window(qtbot, worker, workspace, keychain)


def wait_for(qtbot: QtBot, window: MainWindow, kind: type[QDialog], name: str | None = None) -> Any:
    qtbot.waitUntil(lambda: visible(window, kind, name) is not None, timeout=15_000)
    return visible(window, kind, name)


def wait_for_message(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    box: QMessageBox = wait_for(qtbot, window, QMessageBox, "messageBox")
    return box


def count_refreshes(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """refresh_views reloads every tab: count it through the risk register's refresh."""
    refreshed: list[bool] = []
    tab = window.tabs[0]
    original = tab.refresh
    monkeypatch.setattr(tab, "refresh", lambda: (refreshed.append(True), original())[1])
    return refreshed


def summary_rows(dialog: ImportSummaryDialog) -> dict[str, list[str]]:
    model = dialog.model
    return {
        model.index(row, 0).data(): [
            model.index(row, column).data() for column in range(1, model.columnCount())
        ]
        for row in range(model.rowCount())
    }


def picture(qtbot: QtBot, screenshot: Screenshot, widget: Any, name: str) -> None:
    qtbot.wait(30)  # pending layout requests first: a grab does not run them
    screenshot(widget, name)


def type_into(dialog: BundlePassphraseDialog, passphrase: str) -> None:
    dialog.passphrase_edit.setText(passphrase)
    if dialog.fields is not None:
        dialog.fields.repeat_edit.setText(passphrase)


# ---- the menu ----------------------------------------------------------------------------


def test_the_sync_menu_is_for_managers_and_leads_and_hidden_from_staff(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    window = window_for(qtbot, worker, workspace, memory_keychain)
    menu = window.sync_menu.menu
    assert menu.menuAction().isVisible()
    assert menu.menuAction() in window.ui.menuBar.actions()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "This laptop's &keys…",
        "&Export bundle…",
        "&Import bundle…",
        "Quarterly export to &head office…",
        "&Pair a new laptop…",
        "Sync &conflicts…",
    ]
    # Every menu of the bar has its own Alt+letter.
    titles = [a.text() for a in window.ui.menuBar.actions() if a.isVisible()]
    letters = [title[title.index("&") + 1].lower() for title in titles]
    assert len(set(letters)) == len(letters), titles
    menu.popup(window.mapToGlobal(QPoint(120, 30)))
    qtbot.waitExposed(menu)
    picture(qtbot, screenshot, menu, "sync_menu")
    menu.hide()

    for login, passphrase, shown in (
        ("tom", STAFF_PASSPHRASE, False),
        ("dana", LEAD_PASSPHRASE, True),
    ):
        other = sign_in(workspace, login, passphrase)
        try:
            other_window = MainWindow(worker, other, memory_keychain)
            qtbot.addWidget(other_window)
            assert other_window.sync_menu.menu.menuAction().isVisible() is shown
            if not shown:
                assert other_window.sync_menu.open_keys() is None
                assert other_window.sync_menu.open_conflicts() is None
            qtbot.waitUntil(lambda w=other_window: "—" in w.status_panel.text())
            drain(worker)
        finally:
            other.close()


# ---- export and import -------------------------------------------------------------------


def test_a_new_laptops_bundle_is_imported_once_its_fingerprint_is_confirmed(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    first = fleet.laptops[0]
    second = fleet.join()
    second.risks.create_risk(risk_input("Made on the second laptop"))
    card = second.sync.this_device()
    window_b = window_for(qtbot, worker, second, memory_keychain)
    window_a = window_for(qtbot, worker, first, memory_keychain)

    saved = save_as(monkeypatch, tmp_path / "from-b")  # the suffix is added
    window_b.sync_menu.export_action.trigger()
    box = wait_for_message(qtbot, window_b)
    bundle = tmp_path / "from-b.pdbundle"
    assert bundle.exists()
    assert str(saved[0][2]).endswith(f"LTC-{date.today():%Y-%m-%d}.pdbundle")
    assert saved[0][3] == "Prevent bundles (*.pdbundle)"
    assert re.search(r"Bundle number 1, with \d+ records", box.text())
    assert "paired laptops" in box.text()
    picture(qtbot, screenshot, box, "sync_exported")
    box.close()

    # "No": the fingerprint was not confirmed, so nothing is imported.
    opened = open_file(monkeypatch, bundle)
    asked = answer(monkeypatch, False)
    titles_before = {r.title for r in first.risks.list_risks()}
    window_a.sync_menu.import_action.trigger()
    qtbot.waitUntil(lambda: "Nothing was imported" in window_a.statusBar().currentMessage())
    assert opened[0][3] == "Prevent bundles (*.pdbundle)"
    [(_title, text, action)] = asked
    assert card.fingerprint in text and card.label in text
    assert "Does this match the fingerprint shown on that laptop" in text
    assert "Yes" in action
    drain(worker)
    assert first.sync.paired_devices() == []
    assert {r.title for r in first.risks.list_risks()} == titles_before

    # "Yes": imported, the laptops are paired, every tab reloads and a summary is shown.
    answer(monkeypatch, True)
    refreshed = count_refreshes(window_a, monkeypatch)
    window_a.sync_menu.import_action.trigger()
    dialog: ImportSummaryDialog = wait_for(qtbot, window_a, ImportSummaryDialog)
    assert refreshed
    rows = summary_rows(dialog)
    assert rows["Risks"] == ["1", "0", "0", "0"]
    assert rows["Users"][2] != "0"  # already here from the pairing file: unchanged
    assert list(rows)[-1] == "All records"
    assert "now paired" in dialog.intro_label.text()
    assert not dialog.review_button.isVisible()
    assert dialog.table.accessibleName()
    picture(qtbot, screenshot, dialog, "sync_import_summary")
    dialog.close()
    drain(worker)
    assert "Made on the second laptop" in {r.title for r in first.risks.list_risks()}
    assert [p.label for p in first.sync.paired_devices()] == [card.label]

    # The same file again changes nothing, and says so as information, not as an error.
    window_a.sync_menu.import_action.trigger()
    box = wait_for_message(qtbot, window_a)
    assert "nothing changed" in box.text()
    assert box.icon() == QMessageBox.Icon.Information
    box.close()


def test_an_unpaired_laptop_exports_with_a_passphrase_that_opens_it_elsewhere(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    first = fleet.laptops[0]
    second = fleet.join()  # it trusts the first laptop; the first knows nothing of it yet
    first.risks.create_risk(risk_input("Made on the first laptop"))
    window_a = window_for(qtbot, worker, first, memory_keychain)
    window_b = window_for(qtbot, worker, second, memory_keychain)
    bundle = tmp_path / "for-anyone.pdbundle"
    save_as(monkeypatch, bundle)
    asked = answer(monkeypatch, True)
    window_a.sync_menu.export_action.trigger()
    dialog: BundlePassphraseDialog = wait_for(qtbot, window_a, BundlePassphraseDialog)
    [(_title, text, action)] = asked
    assert "not paired" in text and "passphrase" in action
    assert dialog.fields is not None
    type_into(dialog, "otter 7 fig")  # eleven characters: one short for a bundle
    assert not dialog.ok_button.isEnabled()
    assert "at least 12 characters (11 so far)" in dialog.length_label.text()
    type_into(dialog, BUNDLE_PASSPHRASE)
    assert dialog.ok_button.isEnabled()
    picture(qtbot, screenshot, dialog, "sync_export_passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = wait_for_message(qtbot, window_a)
    assert "passphrase you chose" in box.text() and bundle.exists()
    box.close()

    # The other laptop cannot open it with its keys, is offered the passphrase, and the
    # wrong one is explained the same way until the right one is typed.
    open_file(monkeypatch, bundle)
    asked = answer(monkeypatch, True, True)
    window_b.sync_menu.import_action.trigger()
    dialog = wait_for(qtbot, window_b, BundlePassphraseDialog)
    assert dialog.fields is None and not dialog.ok_button.isEnabled()
    assert "not addressed to this laptop" in asked[0][1]
    assert "passphrase" in asked[0][2]
    type_into(dialog, "not the passphrase")
    picture(qtbot, screenshot, dialog, "sync_import_passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=15_000)
    dialog = wait_for(qtbot, window_b, BundlePassphraseDialog)
    type_into(dialog, BUNDLE_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    summary: ImportSummaryDialog = wait_for(qtbot, window_b, ImportSummaryDialog)
    assert summary_rows(summary)["Risks"][0] != "0"
    summary.close()
    drain(worker)
    assert "Made on the first laptop" in {r.title for r in second.risks.list_risks()}


# ---- conflicts ---------------------------------------------------------------------------


def test_conflicts_from_concurrent_edits_are_compared_and_settled_both_ways(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    risk_ids = [risk.id for risk in a.risks.list_risks()[:2]]
    for number, risk_id in enumerate(risk_ids):
        a.risks.update_risk(risk_id, risk_input(f"Title from A {number}"))
    for number, risk_id in enumerate(risk_ids):
        b.risks.update_risk(risk_id, risk_input(f"Title from B {number}"))  # later: B wins
    bundle = fleet.bundle_path()
    b.sync.export_to_paired(bundle)
    b_label = b.sync.this_device().label
    window = window_for(qtbot, worker, a, memory_keychain)

    open_file(monkeypatch, bundle)
    window.sync_menu.import_action.trigger()
    summary: ImportSummaryDialog = wait_for(qtbot, window, ImportSummaryDialog)
    assert summary_rows(summary)["Risks"][ImportSummaryTableModel.CONFLICTS - 1] == "⚠ 2"
    assert summary.review_button.isVisible()
    assert "⚠ 2 records were changed on both laptops" in summary.conflicts_label.text()
    picture(qtbot, screenshot, summary, "sync_import_summary_conflicts")
    refreshed = count_refreshes(window, monkeypatch)
    qtbot.mouseClick(summary.review_button, Qt.MouseButton.LeftButton)
    dialog: SyncConflictsDialog = wait_for(qtbot, window, SyncConflictsDialog)
    qtbot.waitUntil(lambda: dialog.compared is not None)
    assert not shiboken6.isValid(summary) or not summary.isVisible()
    model = dialog.model
    assert model.rowCount() == 2
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert re.fullmatch(r"risk R-\d+", row[0])  # SyncService.describe: type and reference
    assert row[1] == "Risk"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[2])
    assert row[3] == b_label

    fields = compared_fields(dialog)
    assert fields["≠ Title"][0].startswith("Title from B")
    assert fields["≠ Title"][1].startswith("Title from A")
    assert "Area" in fields  # the same in both: no mark
    assert fields["Next review on"] == ["31/01/2027", "31/01/2027"]
    hidden = {"Id", "Hlc", "Versions", "Origin site", "Created at", "Updated at"}
    assert not hidden & {name.removeprefix("≠ ") for name in fields}
    picture(qtbot, screenshot, dialog, "sync_conflicts")

    # Keep current: the winner stays and the conflict leaves the list.
    kept = dialog.compared.conflict.record_id
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.rowCount() == 1 and dialog.compared is not None)
    assert "current version is kept" in dialog._message.text()
    assert refreshed

    # Use the other version: asked first; "Cancel" changes nothing.
    restored = dialog.compared.conflict.record_id
    asked = answer(monkeypatch, False)
    qtbot.mouseClick(dialog.use_other_button, Qt.MouseButton.LeftButton)
    assert asked and "Replace the current version" in asked[0][1]
    drain(worker)
    assert model.rowCount() == 1
    answer(monkeypatch, True)
    qtbot.mouseClick(dialog.use_other_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.empty_label.isVisible())
    assert not dialog.list_view.isVisible()
    picture(qtbot, screenshot, dialog, "sync_conflicts_none_left")
    drain(worker)
    assert a.risks.get_risk(kept).title.startswith("Title from B")
    assert a.risks.get_risk(restored).title.startswith("Title from A")
    assert a.sync.conflicts() == []
    assert len(refreshed) >= 2


def compared_fields(dialog: SyncConflictsDialog) -> dict[str, list[str]]:
    model = dialog.comparison
    return {
        model.index(row, FieldComparisonModel.FIELD).data(): [
            model.index(row, FieldComparisonModel.CURRENT).data(),
            model.index(row, FieldComparisonModel.OTHER).data(),
        ]
        for row in range(model.rowCount())
    }


# ---- keys and pairing --------------------------------------------------------------------


def test_this_laptops_keys_and_the_laptops_it_is_paired_with(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.send(1, 0, trust=True)
    card = a.sync.this_device()
    b_label = b.sync.this_device().label
    window = window_for(qtbot, worker, a, memory_keychain)
    window.sync_menu.keys_action.trigger()
    dialog: ThisLaptopDialog = wait_for(qtbot, window, ThisLaptopDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.label_value.text() == card.label
    assert dialog.public_key_edit.text() == card.age_recipient
    assert dialog.fingerprint_label.text().split() == card.fingerprint.split()
    assert dialog.fingerprint_label.accessibleName() == "This laptop's fingerprint"
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == card.age_recipient
    model = dialog.paired_model
    assert model.rowCount() == 1
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[0] == b_label and row[2] == "No. 1"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[3])
    assert not dialog.none_paired.isVisible()
    picture(qtbot, screenshot, dialog, "sync_this_laptop")


def test_pairing_shows_a_code_with_which_a_new_laptop_joins(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    window = window_for(qtbot, worker, fleet.laptops[0], memory_keychain)
    asked = answer(monkeypatch, True)
    saved = save_as(monkeypatch, tmp_path / "new laptop")
    window.sync_menu.pair_action.trigger()
    dialog: PairingCodeDialog = wait_for(qtbot, window, PairingCodeDialog)
    [(_title, text, action)] = asked
    assert "Join an existing site" in text and "pairing file" in action
    assert str(saved[0][2]).endswith(".pdpair")
    code = dialog.code_label.text()
    assert re.fullmatch(r"([A-Z2-9]{4}-){5}[A-Z2-9]{4}", code)
    assert dialog.lead_warning.isVisible()  # sam is the lead: the file carries the key
    assert "Join an existing site" in dialog.steps_label.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == code
    picture(qtbot, screenshot, dialog, "sync_pairing_code")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    assert dialog.code == ""

    joined = Workspace.join_site(
        tmp_path / "new" / "prevent.db",
        tmp_path / "new laptop.pdpair",
        code,
        login="sam",
        passphrase=PASSPHRASE,
    )
    try:
        assert joined.site.site().name == "Leeds Training Centre"
        assert joined.concerns.holds_key()
    finally:
        joined.close()


def test_a_manager_who_is_not_the_lead_pairs_without_the_key_warning(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = window_for(qtbot, worker, workspace, memory_keychain)
    answer(monkeypatch, True)
    save_as(monkeypatch, tmp_path / "pair.pdpair")
    window.sync_menu.pair_action.trigger()
    dialog: PairingCodeDialog = wait_for(qtbot, window, PairingCodeDialog)
    assert not dialog.lead_warning.isVisible()
    assert (tmp_path / "pair.pdpair").exists()


def test_declining_the_pairing_explanation_writes_nothing(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = window_for(qtbot, worker, workspace, memory_keychain)
    answer(monkeypatch, False)
    saved = save_as(monkeypatch, tmp_path / "pair.pdpair")
    window.sync_menu.pair_action.trigger()
    drain(worker)
    assert saved == [] and not (tmp_path / "pair.pdpair").exists()


def test_the_comparison_hides_bookkeeping_and_never_shows_sealed_values() -> None:
    current = {
        "id": "1",
        "hlc": "x",
        "versions": "{}",
        "origin_site": "s",
        "created_at": "2026-01-02T10:00:00+00:00",
        "updated_at": "2026-01-02T10:00:00+00:00",
        "details": {"$b64": "c2VhbGVk"},
        "urgent": True,
        "due_on": "2027-01-31",
        "kind": "online_content",
    }
    other = {**current, "details": {"$b64": "b3RoZXI="}, "urgent": False}
    rows = {row.field: row for row in compare(current, other)}
    assert set(rows) == {"Details", "Urgent", "Due on", "Kind"}
    assert (rows["Details"].current, rows["Details"].other) == ("(protected data)",) * 2
    assert rows["Details"].differs  # sealed, but still known to differ
    assert (rows["Urgent"].current, rows["Urgent"].other) == ("Yes", "No")
    assert rows["Due on"].current == "31/01/2027" and not rows["Due on"].differs
    assert rows["Kind"].current == "Online content"
    gone = compare(None, other)
    assert all(row.current == "(no longer exists)" and row.differs for row in gone)


def test_a_damaged_bundle_is_refused_with_its_reason(
    qtbot: QtBot,
    fleet: Fleet,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = window_for(qtbot, worker, fleet.laptops[0], memory_keychain)
    damaged = tmp_path / "damaged.pdbundle"
    damaged.write_bytes(b"age-encryption.org/v1\nnot really a bundle")
    open_file(monkeypatch, damaged)
    asked = answer(monkeypatch)
    window.sync_menu.import_action.trigger()
    box = wait_for_message(qtbot, window)
    assert "nothing was imported" in box.text().lower()
    assert asked == []  # not offered a passphrase: the file is damaged, not sealed for others
    box.close()
