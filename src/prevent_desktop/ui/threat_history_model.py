"""The recorded changes of the national threat level, as a read-only table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.threat_level_badge import BAND_COLOURS

DATE_FORMAT = "%d/%m/%Y"


class ThreatHistoryTableModel(RowTableModel):
    DATE, LEVEL, SET_BY, NOTE = range(4)
    HEADERS = ("Took effect", "Level", "Recorded by", "Note")

    # The entry itself, for code that needs more than the displayed text.
    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._current_id = ""

    def set_entries(self, entries: list[ThreatLevelEntry], current_id: str = "") -> None:
        """`current_id` marks the entry in force (the newest recorded, listed first)."""
        self._current_id = current_id
        self.set_rows(entries)

    def entry(self, row: int) -> ThreatLevelEntry:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.row_item(index)
        if entry is None:
            return None
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
            return plain_tooltip(entry.note)
        elif role == Qt.ItemDataRole.FontRole and entry.id == self._current_id:
            font = QFont()
            font.setBold(True)
            return font
        elif role == self.EntryRole:
            return entry
        return None
