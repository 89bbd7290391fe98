"""The register's risks and one risk's action plan as read-only table models.

Overdue reviews and actions carry "⚠" and the word "overdue" in their text, so that the
warning survives without colour; scores, dates and references sort as numbers through
SortRole.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from prevent_desktop.services.risk_views import ActionView, RiskView
from prevent_desktop.ui.palette import warning_colour
from prevent_desktop.ui.rag_band import TINT_TEXT, tint
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.tabs.review_history import local_date

DATE_FORMAT = "%d/%m/%Y"
OVERDUE = "⚠ overdue"
_DIGITS = re.compile(r"\d+")


def format_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


class RiskTableModel(RowTableModel):
    (
        REF,
        TITLE,
        AREA,
        CATEGORY,
        OWNER,
        INHERENT,
        RESIDUAL,
        STATUS,
        NEXT_REVIEW,
        LAST_REVIEWED,
        ACTIONS,
    ) = range(11)
    HEADERS = (
        "Ref",
        "Title",
        "Area",
        "Category",
        "Owner",
        "Inherent",
        "Residual",
        "Status",
        "Next review",
        "Last reviewed",
        "Actions",
    )

    RiskRole = Qt.ItemDataRole.UserRole + 1  # the RiskView of the row
    SortRole = Qt.ItemDataRole.UserRole + 2  # numbers, padded references, folded text

    def set_risks(self, risks: list[RiskView]) -> None:
        self.set_rows(risks)

    def risk(self, row: int) -> RiskView:
        risk: RiskView = self._rows[row]
        return risk

    def risks(self) -> list[RiskView]:
        return list(self._rows)

    def row_of(self, risk_id: str) -> int | None:
        for row, risk in enumerate(self._rows):
            if risk.id == risk_id:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        risk: RiskView | None = self.row_item(index)
        if risk is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(risk, column)
        if role == self.SortRole:
            return self._sort_key(risk, column)
        if role == self.RiskRole:
            return risk
        if role == Qt.ItemDataRole.BackgroundRole and column == self.RESIDUAL:
            return tint(risk.rag)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.RESIDUAL:
                return QColor(TINT_TEXT)
            if (column == self.NEXT_REVIEW and risk.review_overdue) or (
                column == self.ACTIONS and risk.overdue_actions
            ):
                return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(risk, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.RESIDUAL:
            # Read aloud, "12 Amber" needs saying what the number is.
            return f"Residual score {risk.residual_score}, {risk.rag.label}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.INHERENT,
            self.RESIDUAL,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, risk: RiskView, column: int) -> str:
        if column == self.REF:
            return risk.reference
        if column == self.TITLE:
            return risk.title
        if column == self.AREA:
            return risk.area.label
        if column == self.CATEGORY:
            return risk.category
        if column == self.OWNER:
            return risk.owner
        if column == self.INHERENT:
            return str(risk.inherent_score)
        if column == self.RESIDUAL:
            return f"{risk.residual_score} {risk.rag.label}"
        if column == self.STATUS:
            return risk.status.label
        if column == self.NEXT_REVIEW:
            text = format_date(risk.next_review_on)
            return f"{text}  {OVERDUE}" if risk.review_overdue else text
        if column == self.LAST_REVIEWED:
            return local_date(risk.last_reviewed_at) if risk.last_reviewed_at else "—"
        if column == self.ACTIONS:
            return actions_text(risk)
        return ""

    def sort_key(self, row: Any, column: int) -> Any:
        return self._sort_key(row, column)

    def _sort_key(self, risk: RiskView, column: int) -> Any:
        if column == self.REF:
            return reference_sort_key(risk.reference)
        if column == self.INHERENT:
            return risk.inherent_score
        if column == self.RESIDUAL:
            return risk.residual_score
        if column == self.NEXT_REVIEW:
            return risk.next_review_on.toordinal()
        if column == self.LAST_REVIEWED:
            # Never reviewed sorts first: the oldest review is the most in need of another.
            return risk.last_reviewed_at.timestamp() if risk.last_reviewed_at else -1.0
        if column == self.ACTIONS:
            return risk.overdue_actions * 1000 + risk.open_actions
        return self._text(risk, column).casefold()

    def _tooltip(self, risk: RiskView, column: int) -> str | None:
        if column == self.RESIDUAL:
            return (
                f"Residual likelihood {risk.residual_likelihood} × impact "
                f"{risk.residual_impact} = {risk.residual_score} ({risk.rag.label})"
            )
        if column == self.INHERENT:
            return (
                f"Inherent likelihood {risk.inherent_likelihood} × impact "
                f"{risk.inherent_impact} = {risk.inherent_score}"
            )
        if column == self.NEXT_REVIEW and risk.review_overdue:
            return "The review date has passed: record a review."
        if column == self.LAST_REVIEWED and risk.last_reviewed_at and risk.last_reviewed_by:
            return plain_tooltip(f"Last reviewed by {risk.last_reviewed_by}")
        if column == self.TITLE and risk.description:
            return plain_tooltip(risk.description)
        return None


def reference_sort_key(reference: str) -> str:
    """R-1000 after R-101: each run of digits padded so that text order is number order.
    One string for every reference, as the proxy compares keys of one type."""
    return _DIGITS.sub(lambda digits: digits.group().zfill(12), reference.casefold())


def actions_text(risk: RiskView) -> str:
    if not risk.open_actions:
        return "None open" if risk.actions else "—"
    text = f"{risk.open_actions} open"
    if risk.overdue_actions:
        text += f", ⚠ {risk.overdue_actions} overdue"
    return text


class ActionTableModel(RowTableModel):
    DESCRIPTION, OWNER, DUE, STATUS, COMPLETED, EVIDENCE = range(6)
    HEADERS = ("Action", "Owner", "Due", "Status", "Completed", "Evidence")

    ActionRole = Qt.ItemDataRole.UserRole + 1

    def set_actions(self, actions: list[ActionView]) -> None:
        self.set_rows(actions)

    def action(self, row: int) -> ActionView:
        action: ActionView = self._rows[row]
        return action

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        action: ActionView | None = self.row_item(index)
        if action is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(action, column)
        if role == self.ActionRole:
            return action
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE and action.overdue:
            return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.DESCRIPTION, self.EVIDENCE):
            text = self._text(action, column)
            return plain_tooltip(text) if text else None
        return None

    def _text(self, action: ActionView, column: int) -> str:
        if column == self.DESCRIPTION:
            return action.description
        if column == self.OWNER:
            return action.owner
        if column == self.DUE:
            text = format_date(action.due_on)
            return f"{text}  {OVERDUE}" if action.overdue else text
        if column == self.STATUS:
            return action.status.label
        if column == self.COMPLETED:
            return format_date(action.completed_on)
        if column == self.EVIDENCE:
            return action.evidence
        return ""
