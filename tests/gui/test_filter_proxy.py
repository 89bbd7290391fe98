"""RowFilterProxy over a RowTableModel: the model sorts (one key per row), the proxy filters
from a cached pass, and a selection follows its row through a sort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from prevent_desktop.ui.filter_proxy import RowFilterProxy
from prevent_desktop.ui.row_table_model import Index, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class AtLeast:
    minimum: int = 0

    def accepts(self, row: Any) -> bool:
        return int(row) >= self.minimum


class Numbers(RowTableModel):
    HEADERS = ("Number",)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_item(index)
        if row is None:
            return None
        return str(row) if role == Qt.ItemDataRole.DisplayRole else row


def shown(proxy: RowFilterProxy) -> list[str]:
    return [proxy.index(i, 0).data() for i in range(proxy.rowCount())]


def test_sorting_filtering_and_the_selection(qtbot: QtBot) -> None:
    model = Numbers()
    model.set_rows([4, 20, 8, 1])
    proxy = RowFilterProxy(AtLeast(), SORT_ROLE)
    proxy.setSourceModel(model)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.setSortingEnabled(True)

    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown(proxy) == ["20", "8", "4", "1"]  # as numbers, not text
    table.selectionModel().select(
        proxy.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == ["1", "4", "8", "20"]
    assert [i.data() for i in table.selectionModel().selectedRows()] == ["8"]

    proxy.set_filter(AtLeast(5))  # the selected 8 is still shown: it stays selected
    assert shown(proxy) == ["8", "20"]
    assert [i.data() for i in table.selectionModel().selectedRows()] == ["8"]
    assert (proxy.rowCount(), model.total_count()) == (2, 4)
    proxy.set_filter(AtLeast(10))  # now filtered out: nothing is selected
    assert shown(proxy) == ["20"]
    assert table.selectionModel().selectedRows() == []

    model.set_rows([30, 2, 6, 12])  # new rows keep the order and meet the filter afresh
    assert shown(proxy) == ["12", "30"]
