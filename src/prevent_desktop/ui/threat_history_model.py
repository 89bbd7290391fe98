"""The recorded changes of the national threat level, as a read-only table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.ui.threat_level_badge import BAND_COLOURS

Index = QModelIndex | QPersistentModelIndex

DATE_FORMAT = "%d/%m/%Y"


class ThreatHistoryTableModel(QAbstractTableModel):
    DATE, LEVEL, SET_BY, NOTE = range(4)
    HEADERS = ("Took effect", "Level", "Recorded by", "Note")

    # The entry itself, for code that needs more than the displayed text.
    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[ThreatLevelEntry] = []
        self._current_id = ""

    def set_entries(self, entries: list[ThreatLevelEntry], current_id: str = "") -> None:
        """`current_id` marks the entry in force (the newest recorded, listed first)."""
        self.beginResetModel()
        self._entries = list(entries)
        self._current_id = current_id
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def entry(self, row: int) -> ThreatLevelEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return entry.effective_on.strftime(DATE_FORMAT)
            if column == self.LEVEL:
                in_force = " (in force)" if entry.id == self._current_id else ""
                return entry.level.label + in_force
            if column == self.SET_BY:
                return entry.set_by or "(unknown)"
            if column == self.NOTE:
                return entry.note
        elif role == Qt.ItemDataRole.DecorationRole and column == self.LEVEL:
            return QColor(BAND_COLOURS[entry.level][0])
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.LEVEL:
            return f"{entry.level.label}: {entry.level.meaning}"
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE and entry.note:
            return entry.note
        elif role == Qt.ItemDataRole.FontRole and entry.id == self._current_id:
            font = QFont()
            font.setBold(True)
            return font
        elif role == self.EntryRole:
            return entry
        return None
