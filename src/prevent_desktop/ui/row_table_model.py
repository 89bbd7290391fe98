"""The part every read-only table model shares: a list of rows and a row of headers.

Subclasses name their columns and HEADERS and answer `data()`; this class does the counting,
the headers and resetting the rows, so that each table model is only about its own content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import Qt as GuiQt

Index = QModelIndex | QPersistentModelIndex


def plain_tooltip(text: str) -> str:
    """A tooltip of someone's own words. Qt guesses whether a tooltip is rich text, so
    "<b>" or "<!--" typed in a title would be rendered or hide the rest: escape it as HTML
    (which also wraps a long description instead of one endless line)."""
    return GuiQt.convertFromPlainText(text)


class RowTableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Every row set, kept in order; `_rows` are those the filter lets through, which are
        # the only ones the model exposes. Filtering and sorting happen here, in one Python
        # pass each, rather than row by row through a QSortFilterProxyModel: at 50,000
        # concerns Qt's per-row and per-comparison calls into Python took seconds (issue 9).
        self._all: list[Any] = []
        self._rows: list[Any] = []
        self._select: Callable[[list[Any]], list[Any]] | None = None
        self._order: tuple[int, bool] | None = None  # (column, descending), once asked

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._all = self._sorted(list(rows))
        self._rows = self._selected()
        self.endResetModel()

    def sort_key(self, row: Any, column: int) -> Any:
        """What a row sorts by in `column`. A model that does not answer (does not override
        this) is sorted by Qt's proxy instead, through data() and the sort role."""
        return NotImplemented

    def sorts_itself(self) -> bool:
        return type(self).sort_key is not RowTableModel.sort_key

    def sort_rows(self, column: int, *, descending: bool) -> None:
        """Keep the rows in this order from now on."""
        self._order = (column, descending)
        self._relayout(lambda: self._sorted(self._all))

    def filter_rows(self, select: Callable[[list[Any]], list[Any]] | None) -> None:
        """Expose only the rows `select` returns (given every row, in order; None: all)."""
        self._select = select
        self._relayout(lambda: self._all)

    def total_count(self) -> int:
        """Every row, shown or filtered out."""
        return len(self._all)

    def _relayout(self, reorder: Callable[[], list[Any]]) -> None:
        # A layout change, not a reset, so that a selection stays on its row (or goes, if
        # the row is filtered out) instead of being dropped at each keystroke.
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._rows[index.row()] for index in before]
        self._all = reorder()
        self._rows = self._selected()
        at = {id(row): number for number, row in enumerate(self._rows)}
        after = [
            self.index(at[id(row)], index.column()) if id(row) in at else QModelIndex()
            for index, row in zip(before, held, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _selected(self) -> list[Any]:
        return self._select(self._all) if self._select is not None else list(self._all)

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._order is None or not rows:
            return rows
        column, descending = self._order
        keys = [self.sort_key(row, column) for row in rows]
        # A stable sort of positions: rows with equal keys keep their order either way.
        positions = sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)
        return [rows[i] for i in positions]

    def clear(self) -> None:
        self.set_rows([])

    def row_item(self, index: Index) -> Any | None:
        """The row behind a valid index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None
