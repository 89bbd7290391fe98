"""The concern log's list as a read-only table model.

It holds ConcernSummary rows only, and a summary never carries the account: the list cannot
show what someone wrote, whoever is signed in. The person column exists only in a lead's
model (a manager's or staff member's summaries have no person to show, and an empty column
would suggest there is one).

Warnings (a high risk, an overdue follow-up, a review-by date passed) are written as "⚠"
and words, so that they survive without colour; dates sort as dates through SortRole.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt

from prevent_desktop.domain.concern import ImmediateRisk
from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.ui.palette import warning_colour
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.tabs.risk_table_model import OVERDUE, format_date, reference_sort_key

DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"
# Risk levels that carry a warning sign in the list, not only a word.
WARNING_RISKS = frozenset({ImmediateRisk.HIGH, ImmediateRisk.IMMEDIATE_DANGER})
_RISK_ORDER = {risk: order for order, risk in enumerate(ImmediateRisk)}


def local_time(moment: datetime) -> str:
    """An aware timestamp in the reader's local time, dd/mm/yyyy hh:mm."""
    return moment.astimezone().strftime(DATE_TIME_FORMAT)


def risk_text(risk: ImmediateRisk) -> str:
    return f"⚠ {risk.label}" if risk in WARNING_RISKS else risk.label


def follow_up_text(summary: ConcernSummary) -> str:
    text = format_date(summary.next_follow_up_on)
    return f"{text}  {OVERDUE}" if summary.follow_up_overdue else text


def review_by_overdue(summary: ConcernSummary, today: date) -> bool:
    return summary.review_by is not None and summary.review_by < today and not summary.legal_hold


class ConcernTableModel(RowTableModel):
    (
        REF,
        OBSERVED,
        RECORDED,
        REPORTED_BY,
        STATUS,
        TYPE,
        RISK,
        LEAD,
        FOLLOW_UP,
        PERSON,
        REVIEW_BY,
    ) = range(11)
    BASE_HEADERS = (
        "Ref",
        "Observed",
        "Recorded",
        "Reported by",
        "Status",
        "Type of concern",
        "Immediate risk",
        "Assigned lead",
        "Next follow-up",
    )
    # Lead-only columns come last, so that every other column has the same number for all.
    LEAD_HEADERS = ("Person", "Review by")

    SummaryRole = Qt.ItemDataRole.UserRole + 1  # the ConcernSummary of the row
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, with_person: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.with_person = with_person
        self.HEADERS = self.BASE_HEADERS + (self.LEAD_HEADERS if with_person else ())
        self._group_sizes: Counter[str] = Counter()
        self.today = date.today()

    def set_concerns(self, summaries: list[ConcernSummary], today: date | None = None) -> None:
        self.today = today or date.today()
        self._group_sizes = Counter(s.person_key for s in summaries if s.person_key)
        self.set_rows(summaries)

    def clear(self) -> None:
        self._group_sizes = Counter()
        super().clear()

    def concern(self, row: int) -> ConcernSummary:
        summary: ConcernSummary = self._rows[row]
        return summary

    def concerns(self) -> list[ConcernSummary]:
        return list(self._rows)

    def row_of(self, concern_id: str) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == concern_id:
                return row
        return None

    def group_size(self, summary: ConcernSummary) -> int:
        """How many listed concerns are about this summary's person (1 when not known)."""
        return self._group_sizes.get(summary.person_key or "", 0) or 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        summary: ConcernSummary | None = self.row_item(index)
        if summary is None or index.column() >= len(self.HEADERS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(summary, column)
        if role == self.SortRole:
            return self._sort_key(summary, column)
        if role == self.SummaryRole:
            return summary
        if role == Qt.ItemDataRole.ForegroundRole and self._warns(summary, column):
            return warning_colour()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, column)
        return None

    def _warns(self, summary: ConcernSummary, column: int) -> bool:
        return (
            (column == self.RISK and summary.immediate_risk in WARNING_RISKS)
            or (column == self.FOLLOW_UP and summary.follow_up_overdue)
            or (column == self.REVIEW_BY and review_by_overdue(summary, self.today))
        )

    def _text(self, summary: ConcernSummary, column: int) -> str:
        if column == self.REF:
            return summary.reference
        if column == self.OBSERVED:
            return local_time(summary.observed_at)
        if column == self.RECORDED:
            return local_time(summary.recorded_at)
        if column == self.REPORTED_BY:
            return "You" if summary.reported_by_me else summary.reported_by_name
        if column == self.STATUS:
            return summary.status.label
        if column == self.TYPE:
            return summary.concern_type
        if column == self.RISK:
            return risk_text(summary.immediate_risk)
        if column == self.LEAD:
            return summary.assigned_lead_name or "Not assigned"
        if column == self.FOLLOW_UP:
            return follow_up_text(summary)
        if column == self.PERSON:
            size = self.group_size(summary)
            person = summary.person or ""
            return f"{person} ({size} concerns)" if size > 1 else person
        if column == self.REVIEW_BY:
            text = format_date(summary.review_by)
            if summary.legal_hold:
                return f"{text}  (legal hold)".strip()
            return f"{text}  ⚠ past" if review_by_overdue(summary, self.today) else text
        return ""

    def sort_key(self, row: Any, column: int) -> Any:
        return self._sort_key(row, column)

    def _sort_key(self, summary: ConcernSummary, column: int) -> Any:
        # One type per column: the proxy compares keys of one column with each other.
        if column == self.REF:
            return reference_sort_key(summary.reference)
        if column == self.OBSERVED:
            return summary.observed_at.timestamp()
        if column == self.RECORDED:
            return summary.recorded_at.timestamp()
        if column == self.RISK:
            return _RISK_ORDER[summary.immediate_risk]
        if column == self.FOLLOW_UP:
            # No follow-up set sorts last when the earliest is wanted first.
            day = summary.next_follow_up_on
            return day.toordinal() if day else date.max.toordinal()
        if column == self.REVIEW_BY:
            return summary.review_by.toordinal() if summary.review_by else date.max.toordinal()
        if column == self.PERSON:
            return person_group_key(summary)
        return self._text(summary, column).casefold()

    def _tooltip(self, summary: ConcernSummary, column: int) -> str | None:
        if column == self.REPORTED_BY:
            return plain_tooltip(f"{summary.reported_by_name} ({summary.reported_by_role})")
        if column == self.RISK and summary.immediate_risk is ImmediateRisk.IMMEDIATE_DANGER:
            return "Immediate danger was reported: 999 should have been called."
        if column == self.FOLLOW_UP and summary.follow_up_overdue:
            return "The follow-up date has passed."
        if column == self.STATUS:
            return f"Since {local_time(summary.status_changed_at)}"
        if column == self.PERSON and self.group_size(summary) > 1:
            person = summary.person or ""
            return plain_tooltip(
                f"{person}: several concerns are about this person. “Group by person” shows "
                "them together."
            )
        if column == self.PERSON and summary.person:
            return plain_tooltip(summary.person)
        if column == self.REVIEW_BY and review_by_overdue(summary, self.today):
            return "Past its review-by date: keep it (giving the reason) or delete it."
        if column == self.REF and summary.risk_reference:
            return f"Linked to risk {summary.risk_reference} on the register"
        return None


def person_group_key(summary: ConcernSummary) -> str:
    """Concerns about one person sort together, oldest first within the group; people sort
    by name. A concern about an unknown person is a group of its own, after the named."""
    when = f"{summary.observed_at.timestamp():020.6f}"
    if summary.person_key:
        name = (summary.person or "").casefold()
        return f"0\x1f{name}\x1f{summary.person_key}\x1f{when}"
    return f"1\x1f{(summary.person or '').casefold()}\x1f{summary.id}\x1f{when}"
