"""A concern's timeline: workflow steps, chronology entries, referrals and attachments merged
into one chronological table, so a reader (or an inspector) follows the case in one place.

One model row per item rather than one widget per entry: a long-running case has hundreds.
The table shows a few lines of each item; the pane under it shows the selected one in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from prevent_desktop.services.concern_views import (
    AttachmentView,
    ConcernDetailView,
    EntryView,
    ReferralView,
    StepView,
)
from prevent_desktop.ui.palette import muted_colour
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.tabs.concern_format import day, size, when

Source = StepView | EntryView | ReferralView | AttachmentView
PREVIEW_LINES = 4  # lines of an item shown in the table; the rest is in the pane below


@dataclass(frozen=True)
class TimelineItem:
    sort_key: tuple[date, int, time]
    when: str
    what: str
    by: str
    details: str
    source: Source
    corrected: bool = False

    @property
    def entry(self) -> EntryView | None:
        return self.source if isinstance(self.source, EntryView) else None

    @property
    def referral(self) -> ReferralView | None:
        return self.source if isinstance(self.source, ReferralView) else None

    @property
    def attachment(self) -> AttachmentView | None:
        return self.source if isinstance(self.source, AttachmentView) else None

    def full_text(self) -> str:
        by = f", {self.by}" if self.by else ""
        return f"{self.what} — {self.when}{by}\n\n{self.details}"


def _timed(moment: datetime) -> tuple[date, int, time]:
    local = moment.astimezone()
    return (local.date(), 0, local.time())


def _dated(value: date) -> tuple[date, int, time]:
    # A referral has a date but no time: it sorts after that day's timed items, because the
    # decision to refer (a status step) is made before the referral is recorded.
    return (value, 1, time.min)


def entry_numbers(entries: tuple[EntryView, ...]) -> dict[str, int]:
    """Entries are numbered in the order they happened, so a correction can say "corrects
    entry 3" in words anyone can check, rather than with an id."""
    return {entry.id: number for number, entry in enumerate(entries, start=1)}


def build_timeline(view: ConcernDetailView) -> list[TimelineItem]:
    numbers = entry_numbers(view.entries)
    items = [_step_item(step) for step in view.steps]
    items += [_entry_item(entry, numbers, view.entries) for entry in view.entries]
    items += [_referral_item(referral) for referral in view.referrals]
    items += [_attachment_item(attachment) for attachment in view.attachments]
    return sorted(items, key=lambda item: item.sort_key)


def _step_item(step: StepView) -> TimelineItem:
    what = "Decision" if step.to_status.is_decision else "Status change"
    return TimelineItem(
        _timed(step.at),
        when(step.at),
        what,
        step.by_name,
        f"{step.from_status.label} → {step.to_status.label}\nRationale: {step.rationale}",
        step,
    )


def _entry_item(
    entry: EntryView, numbers: dict[str, int], entries: tuple[EntryView, ...]
) -> TimelineItem:
    lines: list[str] = []
    if entry.corrects_entry_id is not None:
        target = next((e for e in entries if e.id == entry.corrects_entry_id), None)
        if target is not None:
            lines.append(
                f"Corrects entry {numbers[target.id]} ({target.kind.label.lower()} of "
                f"{when(target.occurred_at)} by {target.author_name})."
            )
        else:
            lines.append("Corrects an earlier entry.")
    lines.append(entry.body)
    if entry.corrected_by:
        later = ", ".join(str(numbers[i]) for i in entry.corrected_by if i in numbers)
        lines.append(
            f"⚠ Corrected by a later entry ({'entries' if ',' in later else 'entry'} {later})."
        )
    # An entry written up later than it happened says so: the gap matters to a reader.
    if abs((entry.recorded_at - entry.occurred_at).total_seconds()) > 15 * 60:
        lines.append(f"Recorded {when(entry.recorded_at)}.")
    return TimelineItem(
        _timed(entry.occurred_at),
        when(entry.occurred_at),
        f"{entry.kind.label} (entry {numbers[entry.id]})",
        entry.author_name,
        "\n".join(lines),
        entry,
        corrected=bool(entry.corrected_by),
    )


def referral_text(referral: ReferralView) -> str:
    reference = referral.reference_number or "no reference given"
    lines = [
        f"{referral.agency.label} — {referral.method.label}; reference {reference}.",
        f"Outcome: {referral.outcome.label}"
        + (f" (received {day(referral.outcome_on)})" if referral.outcome_on else "")
        + ".",
    ]
    if referral.support_ended_on is not None:
        lines.append(f"Support ended {day(referral.support_ended_on)}.")
    for review in referral.reviews:
        done = f"done {day(review.done_on)}" if review.done_on else "not done yet"
        lines.append(f"{review.months}-month review due {day(review.due_on)}: {done}.")
    if referral.notes:
        lines.append(f"Notes: {referral.notes}")
    return "\n".join(lines)


def _referral_item(referral: ReferralView) -> TimelineItem:
    return TimelineItem(
        _dated(referral.referred_on),
        day(referral.referred_on),
        "Referral",
        referral.recorded_by_name,
        referral_text(referral),
        referral,
    )


def _attachment_item(attachment: AttachmentView) -> TimelineItem:
    return TimelineItem(
        _timed(attachment.added_at),
        when(attachment.added_at),
        "Attachment",
        attachment.added_by_name,
        f"{attachment.name} ({size(attachment.size_bytes)})",
        attachment,
    )


def _preview(text: str) -> str:
    lines = text.splitlines() or [""]
    if len(lines) <= PREVIEW_LINES:
        return text
    return "\n".join(lines[:PREVIEW_LINES]) + " …"


class TimelineModel(RowTableModel):
    WHEN, WHAT, BY, DETAILS = range(4)
    HEADERS = ("When", "What", "By", "Details")
    ItemRole = Qt.ItemDataRole.UserRole

    def item(self, row: int) -> TimelineItem | None:
        return self.row_item(self.index(row, 0))

    def items(self) -> list[TimelineItem]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item: TimelineItem | None = self.row_item(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.when, item.what, item.by, _preview(item.details))[column]
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DETAILS:
            return plain_tooltip(item.details)
        if role == Qt.ItemDataRole.FontRole and item.corrected:
            # Still fully readable (it stays on the record), but visibly superseded.
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and item.corrected:
            return muted_colour()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


def timeline_table(model: TimelineModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    for column, width in ((model.WHEN, 125), (model.WHAT, 150), (model.BY, 120)):
        header.resizeSection(column, width)
    # Rows grow to their wrapped text; redone when the model resets or the columns change.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view
