"""A sort-and-filter proxy over a RowTableModel, driven by a frozen filter object.

Each tab's filter is a frozen dataclass with `accepts(row) -> bool`; the proxy swaps it as a
whole (so an unchanged filter costs nothing) and asks it about each row the model holds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from prevent_desktop.ui.row_table_model import RowTableModel


class RowFilter(Protocol):
    def accepts(self, row: Any) -> bool: ...


def select_rows(row_filter: RowFilter, rows: list[Any]) -> list[Any]:
    """The rows a filter lets through, in order: through its own `select(rows)` when it has
    one (a pass per condition, far quicker on many rows), else row by row."""
    select = getattr(row_filter, "select", None)
    if select is not None:
        return select(rows)  # type: ignore[no-any-return]
    return [row for row in rows if row_filter.accepts(row)]


class RowFilterProxy(QSortFilterProxyModel):
    """Hands filtering and sorting to its RowTableModel (which does each in one pass), and
    keeps the proxy's interface (set_filter, mapToSource, ...) for the tabs."""

    def __init__(self, initial: RowFilter, sort_role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = initial
        self.setSortRole(sort_role)

    @property
    def current_filter(self) -> Any:
        return self._filter

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        self._apply_filter()

    def set_filter(self, row_filter: RowFilter) -> None:
        if row_filter == self._filter:
            return
        self._filter = row_filter
        self._apply_filter()

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self._filter, **changes))  # type: ignore[type-var]

    def _apply_filter(self) -> None:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            row_filter = self._filter
            model.filter_rows(lambda rows: select_rows(row_filter, rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if column < 0 or not isinstance(model, RowTableModel) or not model.sorts_itself():
            super().sort(column, order)
            return
        model.sort_rows(column, descending=order == Qt.SortOrder.DescendingOrder)
        # Source order, as it stands (a descending -1 would reverse it).
        super().sort(-1, Qt.SortOrder.AscendingOrder)


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
