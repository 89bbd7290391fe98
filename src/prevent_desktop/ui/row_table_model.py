"""The part every read-only table model shares: a list of rows and a row of headers.

Subclasses name their columns and HEADERS and answer `data()`; this class does the counting,
the headers and resetting the rows, so that each table model is only about its own content.
"""

from __future__ import annotations

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
        self._rows: list[Any] = []
        # (column, role, descending) the rows are kept sorted by, once a view has asked.
        self._order: tuple[int, int, bool] | None = None
        # Bumped whenever the rows or their order change (RowFilterProxy's cache follows it).
        self.version = 0

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_in_place()
        self.version += 1
        self.endResetModel()

    def sort_key(self, position: int, column: int, role: int) -> Any:
        """What the row at `position` sorts by in `column` (the view's sort role). Models
        with many rows answer from the row directly, without going through data()."""
        return self.data(self.index(position, column), role)

    def sort_rows(self, column: int, role: int, *, descending: bool) -> None:
        """Keep the rows in this order from now on (RowFilterProxy sorts here: one Python
        sort with a key per row, where Qt's proxy asks data() twice per comparison, which
        took seconds on 50,000 concerns). Selections and other persistent indexes follow
        their rows."""
        self._order = (column, role, descending)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._rows[index.row()] for index in before]
        self._sort_in_place()
        self.version += 1
        at = {id(row): number for number, row in enumerate(self._rows)}
        after = [
            self.index(at[id(row)], index.column()) for index, row in zip(before, held, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sort_in_place(self) -> None:
        if self._order is None or not self._rows:
            return
        column, role, descending = self._order
        keys = [self.sort_key(position, column, role) for position in range(len(self._rows))]
        # A stable sort of positions: rows with equal keys keep their order either way.
        positions = sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)
        self._rows = [self._rows[i] for i in positions]

    def clear(self) -> None:
        self.set_rows([])

    def rows(self) -> list[Any]:
        return self._rows

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
