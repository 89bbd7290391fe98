"""Which risks the table shows: the filter proxy and the bar of controls that drives it.

The proxy filters on the RiskView itself rather than on displayed text, so "Red" in a title
never matches the RAG filter and a renamed column never breaks a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from prevent_desktop.domain.risk import Rag, RiskStatus
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.services.risk_views import CategoryView, RiskView
from prevent_desktop.ui.filter_proxy import RowFilterProxy
from prevent_desktop.ui.keyboard import search_shortcut
from prevent_desktop.ui.tabs.risk_table_model import RiskTableModel

E = TypeVar("E", StrategyArea, RiskStatus, Rag)


def _chosen(combo: QComboBox, kind: type[E]) -> E | None:
    # Qt may hand a StrEnum back as a plain str; turn it into the enum again.
    data = combo.currentData()
    return None if data is None else kind(data)


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    residual: bool = True

    def holds(self, risk: RiskView) -> bool:
        # The heat map leaves closed risks out; the cell filter must match its count.
        if risk.status is RiskStatus.CLOSED:
            return False
        if self.residual:
            return (risk.residual_likelihood, risk.residual_impact) == (
                self.likelihood,
                self.impact,
            )
        return (risk.inherent_likelihood, risk.inherent_impact) == (self.likelihood, self.impact)


@dataclass(frozen=True)
class RiskFilter:
    text: str = ""
    area: StrategyArea | None = None
    category_id: str | None = None
    status: RiskStatus | None = None
    rag: Rag | None = None
    owner: str | None = None
    overdue_only: bool = False
    cell: HeatCell | None = None

    def accepts(self, risk: RiskView) -> bool:
        if self.area is not None and risk.area != self.area:
            return False
        if self.category_id is not None and risk.category_id != self.category_id:
            return False
        if self.status is not None and risk.status != self.status:
            return False
        if self.rag is not None and risk.rag != self.rag:
            return False
        if self.owner is not None and risk.owner.casefold() != self.owner.casefold():
            return False
        if self.overdue_only and not (risk.review_overdue or risk.overdue_actions):
            return False
        if self.cell is not None and not self.cell.holds(risk):
            return False
        needle = self.text.strip().casefold()
        if needle:
            haystack = " ".join(
                (risk.reference, risk.title, risk.description, risk.controls, risk.notes)
            ).casefold()
            return all(word in haystack for word in needle.split())
        return True


class RiskFilterProxy(RowFilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(RiskFilter(), RiskTableModel.SortRole, parent)

    @property
    def risk_filter(self) -> RiskFilter:
        return self.current_filter  # type: ignore[no-any-return]


class RiskFilterBar(QWidget):
    """Search and the drop-down filters. Emits `filter_changed(RiskFilter)`; the heat-map cell
    is kept by the tab, which merges it in."""

    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search title, description, reference, controls…")
        self.search_edit.setAccessibleName("Search risks")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.area_combo = self._combo("All areas", "Filter by strategy area")
        for area in StrategyArea:
            self.area_combo.addItem(f"{area.number}. {area.label}", area)
        self.category_combo = self._combo("All categories", "Filter by category")
        self.status_combo = self._combo("All statuses", "Filter by status")
        for status in RiskStatus:
            self.status_combo.addItem(status.label, status)
        self.rag_combo = self._combo("All RAG", "Filter by residual RAG band")
        for rag in Rag:
            self.rag_combo.addItem(rag.label, rag)
        self.owner_combo = self._combo("All owners", "Filter by owner")
        self.overdue_check = QCheckBox("⚠ &Overdue only", self)
        self.overdue_check.setToolTip("Risks whose review or an action is overdue")
        self.clear_button = QPushButton("Clear &filters", self)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        for combo in (
            self.area_combo,
            self.category_combo,
            self.status_combo,
            self.rag_combo,
            self.owner_combo,
        ):
            layout.addWidget(combo, 1)
        layout.addWidget(self.overdue_check)
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
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    def _combos(self) -> tuple[QComboBox, ...]:
        return (
            self.area_combo,
            self.category_combo,
            self.status_combo,
            self.rag_combo,
            self.owner_combo,
        )

    def set_choices(self, categories: list[CategoryView], owners: list[str]) -> None:
        """Refill the category and owner lists, keeping what was chosen if it still exists.
        A choice that has gone falls back to "All", and the proxy is told, so that the
        combo and the table never disagree."""
        category_changed = self._refill(self.category_combo, [(c.name, c.id) for c in categories])
        owner_changed = self._refill(self.owner_combo, [(owner, owner) for owner in owners])
        if category_changed or owner_changed:
            self._emit()

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> bool:
        """Refill without a signal per item; True if the chosen value is no longer chosen."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)
        return combo.currentData() != chosen

    def current(self) -> RiskFilter:
        return RiskFilter(
            text=self.search_edit.text(),
            area=_chosen(self.area_combo, StrategyArea),
            category_id=self.category_combo.currentData(),
            status=_chosen(self.status_combo, RiskStatus),
            rag=_chosen(self.rag_combo, Rag),
            owner=self.owner_combo.currentData(),
            overdue_only=self.overdue_check.isChecked(),
        )

    def reset(self) -> None:
        for widget in (self.search_edit, self.overdue_check, *self._combos()):
            widget.blockSignals(True)
        self.search_edit.clear()
        self.overdue_check.setChecked(False)
        for combo in self._combos():
            combo.setCurrentIndex(0)
        for widget in (self.search_edit, self.overdue_check, *self._combos()):
            widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.filter_changed.emit(self.current())


def heat_counts(risks: list[RiskView], residual: bool) -> dict[tuple[int, int], int]:
    """Risks per (likelihood, impact) cell, closed ones left out: RiskService.heat_map's rule,
    counted from the rows already loaded so the map and the table never disagree."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        if risk.status is RiskStatus.CLOSED:
            continue
        if residual:
            cell = (risk.residual_likelihood, risk.residual_impact)
        else:
            cell = (risk.inherent_likelihood, risk.inherent_impact)
        counts[cell] = counts.get(cell, 0) + 1
    return counts
