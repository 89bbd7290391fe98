"""Helpers for the Concern log tab's tests: the tab on its own for any signed-in user, loaded,
with its writes broadcast back to it as the main window would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.concern_log import ConcernLogTab
from prevent_desktop.ui.tabs.concern_report_form import ConcernReportDialog
from prevent_desktop.ui.tabs.concern_table_model import ConcernTableModel
from prevent_desktop.ui.worker import DatabaseWorker


def show_log(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> ConcernLogTab:
    tab = ConcernLogTab(worker, workspace)
    tab.changed.connect(tab.on_changed)
    qtbot.addWidget(tab)
    tab.resize(1500, 800)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    return tab


def reload(qtbot: QtBot, tab: ConcernLogTab) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()


def column_texts(tab: ConcernLogTab, column: int) -> list[str]:
    """What the table shows in a column, top to bottom (after filters and sorting)."""
    proxy = tab.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def visible_references(tab: ConcernLogTab) -> list[str]:
    return sorted(column_texts(tab, ConcernTableModel.REF))


def all_cell_text(tab: ConcernLogTab) -> str:
    """Every displayed cell and tooltip of the model, for "this must never appear" checks."""
    model = tab.model
    texts = []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value:
                    texts.append(str(value))
    return "\n".join(texts)


def select(tab: ConcernLogTab, reference: str) -> None:
    summary = next(s for s in tab.model.concerns() if s.reference == reference)
    tab.select_concern(summary.id)
    chosen = tab.selected()
    assert chosen is not None and chosen.reference == reference


def open_report_form(qtbot: QtBot, tab: ConcernLogTab) -> ConcernReportDialog:
    """Click "Log a concern" and wait for the form's lists to arrive."""
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(ConcernReportDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    return dialog
