"""A sort-and-filter proxy over a RowTableModel, driven by a frozen filter object.

Each tab's filter is a frozen dataclass with `accepts(row) -> bool`; the proxy swaps it as a
whole (so an unchanged filter costs nothing) and asks it about each row the model holds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from prevent_desktop.ui.row_table_model import Index, RowTableModel


class RowFilter(Protocol):
    def accepts(self, row: Any) -> bool: ...


class RowFilterProxy(QSortFilterProxyModel):
    def __init__(self, initial: RowFilter, sort_role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = initial
        self.setSortRole(sort_role)
        # Which source rows the filter accepts, worked out in one pass and kept until the
        # filter or the rows change: Qt asks row by row, and building an index for each of
        # 50,000 rows on every keystroke was most of the cost (issue 9).
        self._accepted: list[bool] = []
        self._accepted_for: tuple[int, int] | None = None  # (model, its version)

    @property
    def current_filter(self) -> Any:
        return self._filter

    def set_filter(self, row_filter: RowFilter) -> None:
        if row_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = row_filter
        self._accepted_for = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self._filter, **changes))  # type: ignore[type-var]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the source model (RowTableModel.sort_rows); the proxy keeps its
        order and only filters."""
        model = self.sourceModel()
        if column < 0 or not isinstance(model, RowTableModel):
            super().sort(column, order)
            return
        model.sort_rows(column, self.sortRole(), descending=order == Qt.SortOrder.DescendingOrder)
        # Source order, as it stands (a descending -1 would reverse it).
        super().sort(-1, Qt.SortOrder.AscendingOrder)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel) or source_parent.isValid():
            return True
        key = (id(model), model.version)
        if self._accepted_for != key:
            self._accepted = [self._filter.accepts(row) for row in model.rows()]
            self._accepted_for = key
        return 0 <= source_row < len(self._accepted) and self._accepted[source_row]


def selected_item(table: QTableView, proxy: QSortFilterProxyModel, model: RowTableModel) -> Any:
    """The row behind the table's current selection (through the proxy), or None."""
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    return model.row_item(model.index(proxy.mapToSource(rows[0]).row(), 0))


def select_row(
    table: QTableView, proxy: QSortFilterProxyModel, model: RowTableModel, row: int | None
) -> None:
    """Select and show the model's `row`, if the filters let it be seen."""
    if row is None:
        return
    index = proxy.mapFromSource(model.index(row, 0))
    if index.isValid():
        table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        table.scrollTo(index)
