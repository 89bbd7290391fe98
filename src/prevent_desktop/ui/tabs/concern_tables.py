"""The detail dialog's two small tables: other concerns about the same person, and the
access log (who opened this concern, when and why)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from prevent_desktop.services.concern_views import AccessView, ConcernSummary
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.tabs.concern_format import when


class SamePersonModel(RowTableModel):
    REF, OBSERVED, STATUS, TYPE, LEAD = range(5)
    HEADERS = ("Reference", "Observed", "Status", "Type", "Lead")

    def summary(self, row: int) -> ConcernSummary | None:
        return self.row_item(self.index(row, 0))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        concern: ConcernSummary | None = self.row_item(index)
        if concern is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            concern.reference,
            when(concern.observed_at),
            concern.status.label,
            concern.concern_type,
            concern.assigned_lead_name or "—",
        )[index.column()]


class AccessLogModel(RowTableModel):
    WHEN, WHO, ROLE, WHY = range(4)
    HEADERS = ("When", "Who", "Role", "Why")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        access: AccessView | None = self.row_item(index)
        if access is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        why = f"{access.purpose}: {access.note}" if access.note else access.purpose
        return (when(access.at), access.user_name, access.user_role, why)[index.column()]


def plain_table(model: RowTableModel, parent: QWidget, widths: tuple[int, ...]) -> QTableView:
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    # Fixed widths: sizing to contents would squash the columns of an empty table.
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view
