"""The Risk register tab: the table, its filters, the heat map and the header strip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.risk import Rag, RiskStatus
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import RiskInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import export_button
from prevent_desktop.ui.tabs.risk_filters import HeatCell, RiskFilter, RiskFilterProxy
from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
from prevent_desktop.ui.tabs.risk_table_model import RiskTableModel, reference_sort_key
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.risk_support import show_register, visible_references
from tests.gui.shell_support import Screenshot


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker) -> RiskRegisterTab:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_register(qtbot, worker, workspace)


def test_the_starter_register_is_listed(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    assert tab.model.rowCount() == 10
    assert visible_references(tab) == [f"R-{n:03d}" for n in range(1, 11)]
    assert tab.count_label.text() == "10 risks"
    assert tab.tab_title() == "Risk register"
    # Header strip: the threat level with its date, and the legend in words.
    assert tab.header.badge.text() == "Substantial"
    assert tab.header.since_label.text() == f"since {date.today():%d/%m/%Y}"
    assert tab.header.legend_text() == "RAG bands: Red 15–25, Amber 5–14, Green 1–4"
    first = workspace.risks.list_risks()[0]
    residual = tab.proxy.index(0, RiskTableModel.RESIDUAL)
    assert residual.data() == f"{first.residual_score} {first.rag.label}"
    assert residual.data(Qt.ItemDataRole.BackgroundRole) is not None
    qtbot.wait(50)  # let the layout settle before the picture
    screenshot(tab, "risk_tab")


def test_history_asks_for_the_threat_level_dialog(qtbot: QtBot, tab: RiskRegisterTab) -> None:
    with qtbot.waitSignal(tab.threat_level_requested, timeout=2000):
        qtbot.mouseClick(tab.header.history_button, Qt.MouseButton.LeftButton)


def test_risk_table_model(qtmodeltester, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    model = RiskTableModel()
    model.set_risks(workspace.risks.list_risks())
    qtmodeltester.check(model)
    proxy = RiskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(RiskFilter(text="speaker"))
    qtmodeltester.check(proxy)


def test_scores_sort_as_numbers(qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace) -> None:
    # A score of 20 must sort above 8 (as text "8" > "20").
    risk = workspace.risks.list_risks()[0]
    data = RiskInput(**{**risk.as_input().__dict__, "residual_likelihood": 4, "residual_impact": 5})
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.on_changed(workspace.risks.update_risk(risk.id, data))
    tab.table.sortByColumn(RiskTableModel.RESIDUAL, Qt.SortOrder.DescendingOrder)
    top = tab.proxy.index(0, RiskTableModel.RESIDUAL).data()
    assert top == "20 Red"
    scores = [
        tab.proxy.index(row, RiskTableModel.RESIDUAL).data(RiskTableModel.SortRole)
        for row in range(tab.proxy.rowCount())
    ]
    assert scores == sorted(scores, reverse=True)


def test_filter_by_text_and_by_area(tab: RiskRegisterTab, workspace: Workspace) -> None:
    risks = workspace.risks.list_risks()
    tab.filter_bar.search_edit.setText("external speaker")
    expected = sorted(
        r.reference
        for r in risks
        if all(
            word in f"{r.reference} {r.title} {r.description} {r.controls} {r.notes}".casefold()
            for word in ("external", "speaker")
        )
    )
    assert expected and visible_references(tab) == expected
    assert tab.count_label.text() == f"Showing {len(expected)} of 10 risks"
    tab.filter_bar.search_edit.setText("R-007")
    assert visible_references(tab) == ["R-007"]

    tab.filter_bar.reset()
    combo = tab.filter_bar.area_combo
    combo.setCurrentIndex(combo.findData(StrategyArea.APPRENTICE_SUPPORT))
    assert visible_references(tab) == sorted(
        r.reference for r in risks if r.area is StrategyArea.APPRENTICE_SUPPORT
    )
    tab.filter_bar.search_edit.setText("no such words anywhere")
    assert visible_references(tab) == []
    tab.filter_bar.clear_button.click()
    assert len(visible_references(tab)) == 10


def test_filters_by_status_rag_owner_and_category(
    tab: RiskRegisterTab, workspace: Workspace
) -> None:
    risks = workspace.risks.list_risks()
    bar = tab.filter_bar
    bar.rag_combo.setCurrentIndex(bar.rag_combo.findData(Rag.GREEN))
    assert visible_references(tab) == sorted(r.reference for r in risks if r.rag is Rag.GREEN)
    bar.reset()
    bar.owner_combo.setCurrentIndex(bar.owner_combo.findData("Safeguarding lead"))
    assert visible_references(tab) == sorted(
        r.reference for r in risks if r.owner == "Safeguarding lead"
    )
    bar.reset()
    category = workspace.risks.categories()[0]
    bar.category_combo.setCurrentIndex(bar.category_combo.findData(category.id))
    assert visible_references(tab) == sorted(
        r.reference for r in risks if r.category_id == category.id
    )
    bar.reset()
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(RiskStatus.CLOSED))
    assert visible_references(tab) == []
    bar.reset()
    bar.overdue_check.setChecked(True)
    assert visible_references(tab) == []


def test_heat_map_counts_and_cell_filter(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    heat_map = tab.heat_panel.heat_map
    for residual in (True, False):
        if not residual:
            tab.heat_panel.inherent_radio.click()
        expected = workspace.risks.heat_map(residual=residual)
        for likelihood in range(1, 6):
            for impact in range(1, 6):
                assert heat_map.count(likelihood, impact) == expected.get((likelihood, impact), 0)
    tab.heat_panel.residual_radio.click()

    (likelihood, impact), count = max(
        workspace.risks.heat_map(residual=True).items(), key=lambda item: item[1]
    )
    centre = heat_map.cell_rect(likelihood, impact).center()
    qtbot.mouseClick(heat_map, Qt.MouseButton.LeftButton, pos=centre)
    shown = visible_references(tab)
    assert len(shown) == count
    assert shown == sorted(
        r.reference
        for r in workspace.risks.list_risks()
        if (r.residual_likelihood, r.residual_impact) == (likelihood, impact)
    )
    assert tab.proxy.risk_filter.cell == HeatCell(likelihood, impact, True)
    assert "Showing residual likelihood" in tab.heat_panel.cell_label.text()
    qtbot.wait(50)
    screenshot(tab, "risk_heat_map_filtered")

    # The other filters still combine with the cell, and clicking the cell again clears it.
    tab.filter_bar.search_edit.setText("zzz")
    assert visible_references(tab) == []
    tab.filter_bar.search_edit.clear()
    qtbot.mouseClick(heat_map, Qt.MouseButton.LeftButton, pos=centre)
    assert len(visible_references(tab)) == 10
    assert not tab.heat_panel.clear_button.isEnabled()


def test_heat_map_by_keyboard_and_clear_button(qtbot: QtBot, tab: RiskRegisterTab) -> None:
    heat_map = tab.heat_panel.heat_map
    heat_map.setFocus()
    # Focus starts top-left (likelihood 1, impact 5); move to likelihood 2, impact 3.
    qtbot.keyClick(heat_map, Qt.Key.Key_Right)
    for _ in range(2):
        qtbot.keyClick(heat_map, Qt.Key.Key_Down)
    qtbot.keyClick(heat_map, Qt.Key.Key_Space)
    assert heat_map.selected == (2, 3)
    assert len(visible_references(tab)) == heat_map.count(2, 3)
    tab.heat_panel.clear_button.click()
    assert heat_map.selected is None
    assert len(visible_references(tab)) == 10


def test_overdue_review_shows_in_the_table_and_title(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    risk = workspace.risks.list_risks()[2]
    past = date.today() - timedelta(days=3)
    change = workspace.risks.update_risk(
        risk.id, RiskInput(**{**risk.as_input().__dict__, "next_review_on": past})
    )
    with qtbot.waitSignal(tab.title_changed, timeout=10_000) as title:
        tab.on_changed(change)
    assert title.args == ["Risk register (⚠ 1)"]
    row = tab.proxy.mapFromSource(tab.model.index(2, RiskTableModel.NEXT_REVIEW))
    assert row.data() == f"{past:%d/%m/%Y}  ⚠ overdue"
    assert tab.header.overdue_label.text() == "⚠ 1 review overdue"
    tab.filter_bar.overdue_check.setChecked(True)
    assert visible_references(tab) == [risk.reference]


def test_clear_drops_everything_and_late_loads(
    qtbot: QtBot, tab: RiskRegisterTab, worker: DatabaseWorker
) -> None:
    tab.refresh()
    tab.clear()  # the lock: the load already queued must not refill the table
    worker.run_and_wait(lambda _task: None)
    qtbot.wait(20)
    assert tab.model.rowCount() == 0
    assert tab.header.badge.level is None
    assert tab.heat_panel.heat_map.count(2, 3) == 0


def test_proxy_ignores_unknown_source(qtbot: QtBot) -> None:
    proxy = RiskFilterProxy()
    assert isinstance(proxy, QSortFilterProxyModel)
    proxy.set_filter(RiskFilter(text="x"))
    assert proxy.rowCount() == 0
    assert ChangeSet("risk", "update").record_type in RiskRegisterTab.record_types


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("pdf", "pdf"), ("xlsx", "xlsx"), ("csv", "csv"), ("actions_csv", "csv")],
)
def test_export(
    qtbot: QtBot,
    tab: RiskRegisterTab,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    suffix: str,
) -> None:
    seen: list[str] = []

    def fake_dialog(_parent, caption, _directory, _filter):  # type: ignore[no-untyped-def]
        seen.append(caption)
        return str(tmp_path / "register"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    with qtbot.waitSignal(tab.export_button.exported, timeout=30_000) as done:
        tab.export_button.format_actions[kind].trigger()
    path = done.args[0]
    assert path == tmp_path / f"register.{suffix}"
    assert "NOT encrypted" in seen[0]
    if kind == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert "R-001" in text and "R-010" in text
    elif kind == "xlsx":
        sheet = load_workbook(path).worksheets[0]
        cells = {str(c.value) for row in sheet.iter_rows() for c in row}
        assert {"R-001", "R-010"} <= cells
    elif kind == "csv":
        text = path.read_text(encoding="utf-8-sig")
        assert "R-001" in text and "R-010" in text
    else:
        header = path.read_text(encoding="utf-8-sig").splitlines()[0]
        assert "Action" in header and "Due" in header
    box = tab.window().findChild(QMessageBox, "messageBox")
    assert box is not None and "not encrypted" in box.text()
    box.close()


def test_a_filter_whose_choice_disappears_falls_back_to_all(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    risk = workspace.risks.list_risks()[3]
    data = RiskInput(**{**risk.as_input().__dict__, "owner": "Governor for Prevent"})
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.on_changed(workspace.risks.update_risk(risk.id, data))
    bar = tab.filter_bar
    bar.owner_combo.setCurrentIndex(bar.owner_combo.findData("Governor for Prevent"))
    assert visible_references(tab) == [risk.reference]
    # Reassigning the owner's only risk makes the owner vanish from the list on reload.
    data = RiskInput(**{**risk.as_input().__dict__, "owner": "Someone new"})
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.on_changed(workspace.risks.update_risk(risk.id, data))
    assert bar.owner_combo.findData("Governor for Prevent") == -1
    assert bar.owner_combo.currentIndex() == 0
    assert tab.proxy.risk_filter.owner is None
    assert len(visible_references(tab)) == 10
    assert tab.count_label.text() == "10 risks"


def test_a_filter_whose_choice_remains_is_kept(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    bar = tab.filter_bar
    bar.owner_combo.setCurrentIndex(bar.owner_combo.findData("Safeguarding lead"))
    shown = visible_references(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    assert bar.owner_combo.currentData() == "Safeguarding lead"
    assert visible_references(tab) == shown


def test_export_asks_before_replacing_a_file_the_suffix_names(
    qtbot: QtBot, tab: RiskRegisterTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "register.csv"
    existing.write_text("keep me", encoding="utf-8")
    offered: list[str] = []
    answers = [str(tmp_path / "register"), ""]  # typed without ".csv", then Cancel

    def fake_dialog(_parent, _caption, directory, _filter):  # type: ignore[no-untyped-def]
        offered.append(directory)
        return answers.pop(0), ""

    questions: list[str] = []

    def refuse(_parent, _title, text, _action, _details=""):  # type: ignore[no-untyped-def]
        questions.append(text)
        return False

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    monkeypatch.setattr(export_button, "ask", refuse)
    assert tab.export_button.choose_file("csv") is None
    assert questions == ["register.csv already exists. Replace it?"]
    # Refused: the dialog comes back with the name that was refused, and nothing is written.
    assert offered[1] == str(existing)
    assert existing.read_text(encoding="utf-8") == "keep me"

    monkeypatch.setattr(export_button, "ask", lambda *_args, **_kwargs: True)
    answers.append(str(tmp_path / "register"))
    assert tab.export_button.choose_file("csv") == existing
    # A name the dialog already checked (it has the suffix) is not asked about twice.
    monkeypatch.setattr(export_button, "ask", refuse)
    answers.append(str(existing))
    assert tab.export_button.choose_file("csv") == existing
    assert len(questions) == 1


def test_export_suggests_a_name_per_file(
    tab: RiskRegisterTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def fake_dialog(_parent, _caption, directory, _filter):  # type: ignore[no-untyped-def]
        offered.append(Path(directory).name)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    for kind in ("csv", "actions_csv"):
        assert tab.export_button.choose_file(kind) is None
    today = f"{date.today():%Y-%m-%d}"
    assert offered == [f"Prevent risk register {today}.csv", f"Prevent action plan {today}.csv"]


def test_references_sort_by_their_number(workspace: Workspace) -> None:
    base = workspace.risks.list_risks()[0]
    references = ["R-1000", "R-100", "R-099", "R-101", "R-2"]
    model = RiskTableModel()
    model.set_risks([replace(base, id=ref, reference=ref) for ref in references])
    proxy = RiskFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(RiskTableModel.REF, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(row, RiskTableModel.REF).data() for row in range(proxy.rowCount())]
    assert shown == ["R-2", "R-099", "R-100", "R-101", "R-1000"]
    proxy.sort(RiskTableModel.REF, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, RiskTableModel.REF).data() == "R-1000"
    assert reference_sort_key("R-099") < reference_sort_key("R-100") < reference_sort_key("R-1000")
