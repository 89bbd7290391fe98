"""The Strategy tab: objectives and commitments with their evidence, the "No evidence yet"
flag in words and icon, the gaps-only view, the evidence pack written through the save
dialog, what staff see, reloading on a change and clearing on lock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtWidgets import QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.services import strategy_evidence_views
from prevent_desktop.services.strategy_evidence import StrategyEvidenceService
from prevent_desktop.services.strategy_evidence_views import NO_EVIDENCE
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import strategy as strategy_module
from prevent_desktop.ui.tabs import strategy_tree
from prevent_desktop.ui.tabs.strategy import MANAGERS_ONLY, StrategyTab
from prevent_desktop.ui.tabs.strategy_tree import CONCERNS_HIDDEN
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.dialog_doubles import answer, save_as

GAP = "Focussing on narrowing the attainment gap for all apprentices"
Screenshot = Callable[[QWidget, str], Path]


def show_tab(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> StrategyTab:
    tab = StrategyTab(worker, workspace)
    tab.changed.connect(tab.on_changed)  # the main window's broadcast, in miniature
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    tab.titles = titles  # type: ignore[attr-defined]
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    return tab


def delete_risk(workspace: Workspace, reference: str) -> Any:
    risk = next(r for r in workspace.risks.list_risks() if r.reference == reference)
    return workspace.risks.delete_risk(risk.id)


def commitment_rows(tab: StrategyTab) -> list[QTreeWidgetItem]:
    return list(tab.tree.commitment_items.values())


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker) -> StrategyTab:
    # `workspace` before `worker`: the worker then stops before the database closes.
    delete_risk(workspace, "R-008")  # the attainment gap's only evidence
    return show_tab(qtbot, worker, workspace)


def test_commitments_with_their_evidence_and_the_flag(
    qtbot: QtBot, tab: StrategyTab, screenshot: Screenshot
) -> None:
    rows = commitment_rows(tab)
    assert len(rows) == 21
    assert rows[0].text(0).startswith("2.1 Promoting core values")
    flagged = tab.tree.commitment_items["4.7"]
    assert flagged.text(0) == f"4.7 {GAP}" and flagged.text(2) == NO_EVIDENCE == "No evidence yet"
    assert not flagged.icon(2).isNull()  # an icon as well as the words
    assert flagged.child(0).text(0).startswith("What would count: A risk or action")
    held = tab.tree.commitment_items["2.1"]
    assert held.text(1) == "O1, O2" and held.text(2).startswith("1 piece of evidence")
    assert held.child(0).text(0).startswith("Risk register: R-001 ")
    top = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert top[0] == "Objectives — 5 of 5 objectives have evidence"
    assert top[1] == "2. Leadership and Values — 4 of 4 commitments have evidence"
    assert top[3].startswith("4. Apprentice Support — 6 of 7")
    assert top[-1].startswith("Concern handling — ")
    summary = tab.summary_label.text()
    assert summary.startswith("20 of 21 commitments have evidence; 5 of 5 objectives")
    assert "⚠ 1 flagged “No evidence yet”" in summary
    assert tab.sign_off_label.text() == "The evidence pack has not been signed off yet."
    assert tab.titles[-1] == "Strategy (⚠ 1)"  # type: ignore[attr-defined]

    tab.tree.setCurrentItem(flagged)
    page = tab.detail.toPlainText()
    assert GAP in page and "⚠ No evidence yet" in page and "What would count:" in page
    assert page.count("No evidence yet") == 1
    tab.tree.scrollToItem(flagged)
    qtbot.wait(50)
    screenshot(tab, "strategy")

    plans = tab.tree.commitment_items["5.5"]
    plans.setExpanded(True)
    tab.tree.setCurrentItem(plans.child(1))  # an evidence line shows its commitment
    page = tab.detail.toPlainText()
    assert page.startswith("5.5 Ensuring plans are in place")
    assert "Incident plan: Dynamic lockdown (Run, Hide, Tell)" in page
    tab.tree.scrollToItem(plans.child(12))
    qtbot.wait(50)
    screenshot(tab, "strategy_evidence")


def test_a_long_list_of_evidence_is_cut_short_with_a_count(
    qtbot: QtBot, tab: StrategyTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tab.tree.commitment_items["5.5"]
    every = plans.childCount()
    assert every > 3
    monkeypatch.setattr(strategy_tree, "EVIDENCE_LISTED", 3)
    monkeypatch.setattr(strategy_evidence_views, "EVIDENCE_LISTED", 3)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    plans = tab.tree.commitment_items["5.5"]
    assert plans.childCount() == 4
    assert plans.child(3).text(0) == (
        f"… and {every - 3} more of the same kinds in the register, matrix and plans"
    )


def test_gaps_only_and_keyboard(qtbot: QtBot, tab: StrategyTab) -> None:
    assert tab.pack_button.accessibleName() and tab.tree.accessibleName()
    assert tab.gaps_only.accessibleName() and tab.detail.accessibleName()
    tab.gaps_only.setChecked(True)
    assert list(tab.tree.commitment_items) == ["4.7"]
    tab.gaps_only.setChecked(False)
    assert len(commitment_rows(tab)) == 21
    # Tab moves from the button to the filter to the tree.
    tab.pack_button.setFocus()
    qtbot.keyClick(tab.pack_button, "\t")
    assert tab.gaps_only.hasFocus()


def test_the_evidence_pack_is_signed_off_and_written(
    qtbot: QtBot,
    tab: StrategyTab,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = save_as(monkeypatch, tmp_path / "pack")  # no suffix typed: .pdf is added
    asked = answer(monkeypatch, True)
    offered: list[tuple[Path, str]] = []
    monkeypatch.setattr(
        strategy_module, "offer_saved", lambda _w, path, what: offered.append((path, what))
    )
    with qtbot.waitSignal(tab.pack_written, timeout=20_000) as written:
        tab.pack_button.click()
    out = tmp_path / "pack.pdf"
    assert written.args == [out] and offered == [(out, "evidence pack")]
    assert "NOT encrypted" in shown[0][1]
    assert asked[0][1] == "Sign off the evidence pack as Sam Patel, Manager?"
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out).pages).split())
    assert (
        "Signed off by Sam Patel, Manager, on " in text and f"{NO_EVIDENCE.upper()}: {GAP}" in text
    )
    qtbot.waitUntil(lambda: "signed off by Sam Patel" in tab.sign_off_label.text())
    assert "(20 of 21 commitments had evidence)" in tab.sign_off_label.text()
    assert StrategyEvidenceService(workspace.database, workspace.actor).last_sign_off()


def test_declining_the_sign_off_writes_nothing(
    tab: StrategyTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_as(monkeypatch, tmp_path / "pack.pdf")
    answer(monkeypatch, False)
    tab.pack_button.click()
    assert not (tmp_path / "pack.pdf").exists()


def test_staff_see_the_strategy_but_cannot_make_the_pack(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, screenshot: Screenshot
) -> None:
    tom, _kek = Workspace.sign_in(workspace.database.path, "tom", STAFF_PASSPHRASE)
    try:
        tab = show_tab(qtbot, worker, tom)
        assert len(commitment_rows(tab)) == 21
        assert not tab.pack_button.isEnabled() and tab.pack_button.toolTip() == MANAGERS_ONLY
        assert tab.managers_only.isVisible()
        last = tab.tree.topLevelItem(tab.tree.topLevelItemCount() - 1)
        assert last.text(0) == f"Concern handling — {CONCERNS_HIDDEN}"
        screenshot(tab, "strategy_staff")
        tab.clear()
        worker.run_and_wait(lambda _task: None)  # nothing of this test's left running
    finally:
        tom.close()


def test_a_change_reloads_and_lock_clears(
    qtbot: QtBot, tab: StrategyTab, workspace: Workspace
) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.changed.emit(delete_risk(workspace, "R-004"))  # the curriculum's only risk
    assert tab.tree.commitment_items["3.4"].text(2) == NO_EVIDENCE
    assert tab.titles[-1].startswith("Strategy (⚠ ")  # type: ignore[attr-defined]
    tab.clear()
    assert tab.tree.topLevelItemCount() == 0 and tab.view is None
    assert tab.summary_label.text() == "" and tab.titles[-1] == "Strategy"  # type: ignore[attr-defined]
    assert "Choose an objective" in tab.detail.toPlainText()
