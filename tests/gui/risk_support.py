"""Helpers for the Risk register tab's tests: the tab on its own, loaded, with its writes
broadcast back to it as the main window would."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
from prevent_desktop.ui.worker import DatabaseWorker


def show_register(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> RiskRegisterTab:
    tab = RiskRegisterTab(worker, workspace)
    # The main window's broadcast, in miniature: a write made here reloads this tab.
    tab.changed.connect(tab.on_changed)
    qtbot.addWidget(tab)
    tab.resize(1500, 900)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    return tab


def visible_references(tab: RiskRegisterTab) -> list[str]:
    proxy = tab.proxy
    return sorted(proxy.index(row, tab.model.REF).data() for row in range(proxy.rowCount()))


def select(tab: RiskRegisterTab, reference: str) -> None:
    risk = next(r for r in tab.model.risks() if r.reference == reference)
    tab.select_risk(risk.id)
    assert tab.selected_risk() is not None and tab.selected_risk().reference == reference


def buttons_shown(tab: RiskRegisterTab) -> list[QWidget]:
    return [b for b in tab.edit_buttons if b.isVisibleTo(tab)]
