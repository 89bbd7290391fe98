"""Which concerns the list shows: the filter proxy and the bar of controls that drives it.

The proxy filters on the ConcernSummary rather than on displayed text. Search covers only
what the summary holds (reference, type, status, reporter and, for a lead, the person), so
it can never find a concern by words of an account the list does not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from prevent_desktop.domain.concern import ConcernStatus, ImmediateRisk
from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.ui.filter_proxy import RowFilterProxy
from prevent_desktop.ui.keyboard import search_shortcut
from prevent_desktop.ui.tabs.concern_table_model import ConcernTableModel

OPEN = "open"  # the status filter's "anything not closed"
UNASSIGNED = ""  # the lead filter's "nobody yet"


@dataclass(frozen=True)
class ConcernFilter:
    text: str = ""
    status: str | None = None  # a ConcernStatus value, or OPEN
    concern_type: str | None = None
    risk: ImmediateRisk | None = None
    lead_id: str | None = None  # a user id, or UNASSIGNED
    overdue_only: bool = False
    # The retention review: only these concerns (None: no such restriction).
    only_ids: frozenset[str] | None = None

    def accepts(self, summary: ConcernSummary) -> bool:
        return bool(self.select([summary]))

    def select(self, rows: list[ConcernSummary]) -> list[ConcernSummary]:
        """The rows this filter lets through, in order: one pass per condition set, as each
        keystroke in the search runs it over every concern (50,000 at head office)."""
        if self.only_ids is not None:
            only = self.only_ids
            rows = [s for s in rows if s.id in only]
        if self.status == OPEN:
            rows = [s for s in rows if s.status is not ConcernStatus.CLOSED]
        elif self.status is not None:
            wanted = self.status
            rows = [s for s in rows if s.status.value == wanted]
        if self.concern_type is not None:
            rows = [s for s in rows if s.concern_type == self.concern_type]
        if self.risk is not None:
            rows = [s for s in rows if s.immediate_risk is self.risk]
        if self.lead_id is not None:
            rows = [s for s in rows if (s.assigned_lead_id or UNASSIGNED) == self.lead_id]
        if self.overdue_only:
            rows = [s for s in rows if s.follow_up_overdue]
        for word in self.text.casefold().split():
            rows = [s for s in rows if word in s.search_text]
        return rows


class ConcernFilterProxy(RowFilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(ConcernFilter(), ConcernTableModel.SortRole, parent)

    @property
    def concern_filter(self) -> ConcernFilter:
        return self.current_filter  # type: ignore[no-any-return]


class ConcernFilterBar(QWidget):
    """Search and the drop-down filters; emits `filter_changed(ConcernFilter)`. The retention
    restriction is the tab's, merged in there. `group_check` is shown to leads only."""

    filter_changed = Signal(object)

    def __init__(self, is_lead: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(
            "Search reference, type, status, reporter" + (", person…" if is_lead else "…")
        )
        self.search_edit.setAccessibleName("Search concerns")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.status_combo = self._combo("All statuses", "Filter by status")
        self.status_combo.addItem("Open (not closed)", OPEN)
        for status in ConcernStatus:
            self.status_combo.addItem(status.label, status.value)
        self.type_combo = self._combo("All types", "Filter by type of concern")
        self.risk_combo = self._combo("Any immediate risk", "Filter by immediate risk")
        for risk in ImmediateRisk:
            self.risk_combo.addItem(risk.label, risk.value)
        self.lead_combo = self._combo("All leads", "Filter by assigned lead")
        self.lead_combo.addItem("Not assigned", UNASSIGNED)
        self.overdue_check = QCheckBox("⚠ Overdue follow-&up only", self)
        self.overdue_check.setToolTip("Concerns whose next follow-up date has passed")
        self.group_check = QCheckBox("Group by &person", self)  # Alt+G is the Go menu
        self.group_check.setToolTip(
            "Concerns about the same person together, oldest first within each person"
        )
        self.group_check.setVisible(is_lead)
        self.clear_button = QPushButton("Clear &filters", self)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        for combo in self._combos():
            layout.addWidget(combo, 1)
        layout.addWidget(self.overdue_check)
        layout.addWidget(self.group_check)
        layout.addWidget(self.clear_button)

        self.search_edit.textChanged.connect(self._emit)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._emit)
        self.overdue_check.toggled.connect(self._emit)
        self.clear_button.clicked.connect(self.reset)
        search_shortcut(self, self.search_edit)

    def _combo(self, everything: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.status_combo, self.type_combo, self.risk_combo, self.lead_combo)

    def set_choices(self, types: list[str], leads: list[tuple[str, str]]) -> None:
        """Refill the type and lead lists (leads as (name, user id)), keeping what was chosen
        if it still exists; a choice that has gone falls back to "All" and the proxy is told."""
        type_changed = _refill(self.type_combo, [(t, t) for t in types], keep=1)
        lead_changed = _refill(self.lead_combo, leads, keep=2)
        if type_changed or lead_changed:
            self._emit()

    def current(self) -> ConcernFilter:
        risk = self.risk_combo.currentData()
        return ConcernFilter(
            text=self.search_edit.text(),
            status=self.status_combo.currentData(),
            concern_type=self.type_combo.currentData(),
            risk=ImmediateRisk(risk) if risk is not None else None,
            lead_id=self.lead_combo.currentData(),
            overdue_only=self.overdue_check.isChecked(),
        )

    def choose(self, combo: QComboBox, data: object) -> None:
        """Pick an entry by its data (the counts strip uses this to filter)."""
        combo.setCurrentIndex(max(0, combo.findData(data)))

    def reset(self) -> None:
        widgets = (self.search_edit, self.overdue_check, *self._combos())
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        self.overdue_check.setChecked(False)
        for combo in self._combos():
            combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.filter_changed.emit(self.current())


def _refill(combo: QComboBox, items: list[tuple[str, str]], keep: int) -> bool:
    """Replace the items after the first `keep` without a signal per item; True if the chosen
    value is no longer chosen."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > keep:
        combo.removeItem(keep)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)
    return combo.currentData() != chosen
