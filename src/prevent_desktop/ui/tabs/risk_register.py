"""The Risk register tab: the site's Prevent risk assessment and action plan.

Everything shown comes from one load on the worker (risks with their actions, categories, RAG
thresholds, the threat level); every write goes to the worker too and comes back as a
ChangeSet, which the main window broadcasts, so this tab reloads the same way whether the
change was made here or elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from prevent_desktop.domain.risk import Rag, RagThresholds, RiskStatus
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import ActionView, CategoryView, RiskView
from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.confirmation import ask
from prevent_desktop.ui.filter_proxy import select_row, selected_item
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.tabs.action_editor import ActionEditorDialog
from prevent_desktop.ui.tabs.action_plan_panel import ActionPlanPanel
from prevent_desktop.ui.tabs.heat_map_panel import HeatMapPanel
from prevent_desktop.ui.tabs.review_dialog import ReviewDialog
from prevent_desktop.ui.tabs.risk_editor import RiskEditorDialog
from prevent_desktop.ui.tabs.risk_export import ExportButton
from prevent_desktop.ui.tabs.risk_filters import RiskFilter, RiskFilterBar, RiskFilterProxy
from prevent_desktop.ui.tabs.risk_header import RiskHeader
from prevent_desktop.ui.tabs.risk_table_model import RiskTableModel
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.worker import DatabaseWorker

DELETE_NOTE = "The risk will be removed from the register; the audit log keeps a record."


@dataclass(frozen=True)
class RegisterData:
    risks: list[RiskView]
    categories: list[CategoryView]
    thresholds: RagThresholds
    threat: ThreatLevelEntry


def load_register(workspace: Workspace) -> RegisterData:
    risks = workspace.risks
    return RegisterData(
        risks.list_risks(),
        risks.categories(),
        risks.rag_thresholds(),
        workspace.site.current_threat_level(),
    )


def overdue_counts(risks: list[RiskView]) -> tuple[int, int]:
    """(risks whose review is overdue, overdue actions)."""
    return sum(r.review_overdue for r in risks), sum(r.overdue_actions for r in risks)


class RiskRegisterTab(TabPage):
    title = "Risk register"
    purpose = (
        "The site's Prevent risk assessment and action plan: each risk scored for likelihood "
        "and impact before and after its controls, with an owner, further actions and a "
        "review date."
    )
    evidence = (
        "Evidence for area 5 of the strategy, Managing Risks and Responding to Events: "
        "understanding and managing potential risks within the programme."
    )
    record_types = frozenset({"risk", "risk_action", "risk_category", "setting", "threat_level"})
    shows_empty_state = False

    threat_level_requested = Signal()

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        self.can_edit = workspace.actor.can(Permission.EDIT_REGISTER)
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self._data: RegisterData | None = None
        self._select_after: str | None = None

        self.header = RiskHeader(self)
        self.header.history_requested.connect(self.threat_level_requested)
        self.filter_bar = RiskFilterBar(self)
        self.model = RiskTableModel(self)
        self.proxy = RiskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        self.heat_panel = HeatMapPanel(self)
        self.actions_panel = ActionPlanPanel(self.can_edit, self)
        self.count_label = QLabel(self)
        self.export_button = ExportButton(worker, workspace, self)

        # Alt+A and Alt+H open the Account and Help menus, so neither starts a button here.
        self.add_button = QPushButton("Add ris&k…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.view_button = QPushButton("&View…", self)
        self.duplicate_button = QPushButton("D&uplicate", self)
        self.close_button = QPushButton("C&lose risk", self)
        self.delete_button = QPushButton("&Delete…", self)
        self.review_button = QPushButton("Record re&view…", self)
        self.edit_buttons = (
            self.add_button,
            self.edit_button,
            self.duplicate_button,
            self.close_button,
            self.delete_button,
            self.review_button,
        )
        # The service refuses staff anyway; hiding the buttons spares them the refusal.
        for button in self.edit_buttons:
            button.setVisible(self.can_edit)
        self.view_button.setVisible(not self.can_edit)

        buttons = QHBoxLayout()
        for button in (*self.edit_buttons[:1], self.view_button, *self.edit_buttons[1:]):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addSpacing(12)
        buttons.addWidget(self.export_button)
        # The table gets the full width (its titles need it); the heat map and the selected
        # risk's action plan share the space below it.
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.heat_panel)
        lower.addWidget(self.actions_panel)
        lower.setStretchFactor(1, 1)
        lower.setCollapsible(0, False)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(self.table)
        body.addWidget(lower)
        body.setStretchFactor(0, 1)
        body.setCollapsible(0, False)
        body.setCollapsible(1, False)
        layout = QVBoxLayout(scrolling_body(self))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.filter_bar)
        layout.addLayout(buttons)
        layout.addWidget(body, 1)

        self.filter_bar.filter_changed.connect(self._filters_changed)
        self.filter_bar.clear_button.clicked.connect(self.heat_panel.clear_cell)
        self.heat_panel.cell_changed.connect(lambda cell: self.proxy.update_filter(cell=cell))
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.add_button.clicked.connect(self.add_risk)
        self.edit_button.clicked.connect(self.edit_risk)
        self.view_button.clicked.connect(self.edit_risk)
        self.duplicate_button.clicked.connect(self.duplicate_risk)
        self.close_button.clicked.connect(self.close_risk)
        self.delete_button.clicked.connect(self.delete_risk)
        self.review_button.clicked.connect(self.record_review)
        self.actions_panel.add_requested.connect(lambda: self.edit_action(None))
        self.actions_panel.edit_requested.connect(self.edit_action)
        self.actions_panel.delete_requested.connect(self.delete_action)
        # Read order: the strip, the filters, the buttons above the table, the table, then
        # the heat map and action plan below it.
        set_tab_order(
            self.header,
            self.filter_bar,
            self.add_button,
            self.view_button,
            *self.edit_buttons[1:],
            self.export_button,
            self.table,
            self.heat_panel,
            self.actions_panel,
        )
        self._update_buttons()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        # Tab moves on to the next control, not cell by cell through every risk.
        table.setTabKeyNavigation(False)
        table.setObjectName("riskTable")
        table.setAccessibleName("Risks")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(RiskTableModel.REF, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(RiskTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (RiskTableModel.REF, 64),
            (RiskTableModel.AREA, 180),
            (RiskTableModel.CATEGORY, 180),
            (RiskTableModel.OWNER, 130),
            (RiskTableModel.INHERENT, 70),
            (RiskTableModel.RESIDUAL, 90),
            (RiskTableModel.STATUS, 90),
            (RiskTableModel.NEXT_REVIEW, 160),
            (RiskTableModel.LAST_REVIEWED, 100),
            (RiskTableModel.ACTIONS, 140),
        ):
            header.resizeSection(column, width)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.doubleClicked.connect(lambda _index: self.edit_risk())
        return table

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, workspace = self._generation, self.workspace
        self.worker.submit(
            lambda _task: load_register(workspace),
            lambda data: self._show(data) if generation == self._generation else None,
            parent_widget=self,
        )

    def clear(self) -> None:
        self._generation += 1
        self._data = None
        self.model.clear()
        self.actions_panel.show_risk(None)
        self.header.clear()
        self.heat_panel.show_risks([], RagThresholds())
        self.title_changed.emit(self.title)

    def _show(self, data: RegisterData) -> None:
        chosen = self._select_after or (self.selected_risk().id if self.selected_risk() else None)
        self._select_after = None
        self._data = data
        self.model.set_risks(data.risks)
        owners = sorted({r.owner for r in data.risks if r.owner}, key=str.casefold)
        self.filter_bar.set_choices(data.categories, owners)
        self.header.show_threat_level(data.threat)
        self.header.show_legend(data.thresholds)
        reviews, actions = overdue_counts(data.risks)
        self.header.show_overdue(reviews, actions)
        self.heat_panel.show_risks(data.risks, data.thresholds)
        if chosen is not None:
            self.select_risk(chosen)
        self._selection_changed()
        self.title_changed.emit(self.tab_title())
        self.loaded.emit()

    def tab_title(self) -> str:
        if self._data is None:
            return self.title
        total = sum(overdue_counts(self._data.risks))
        return f"{self.title} (⚠ {total})" if total else self.title

    # ---- selection ---------------------------------------------------------------------------

    def selected_risk(self) -> RiskView | None:
        return selected_item(self.table, self.proxy, self.model)  # type: ignore[no-any-return]

    def select_risk(self, risk_id: str) -> None:
        select_row(self.table, self.proxy, self.model, self.model.row_of(risk_id))

    def _selection_changed(self) -> None:
        self.actions_panel.show_risk(self.selected_risk())
        self._update_buttons()

    def _update_buttons(self) -> None:
        risk = self.selected_risk()
        for button in (self.edit_button, self.view_button, self.duplicate_button):
            button.setEnabled(risk is not None)
        self.delete_button.setEnabled(risk is not None)
        self.review_button.setEnabled(risk is not None)
        self.close_button.setEnabled(risk is not None and risk.status is not RiskStatus.CLOSED)

    # ---- links from the Overview ---------------------------------------------------------

    def show_overdue(self) -> None:
        """Only the risks whose review or an action is overdue."""
        self._reset_filters()
        self.filter_bar.overdue_check.setChecked(True)

    def show_rag(self, rag: Rag) -> None:
        """Only the risks in one residual RAG band."""
        self._reset_filters()
        bar = self.filter_bar
        bar.rag_combo.setCurrentIndex(max(0, bar.rag_combo.findData(rag)))

    def _reset_filters(self) -> None:
        self.heat_panel.clear_cell()
        self.filter_bar.reset()

    def _filters_changed(self, risk_filter: RiskFilter) -> None:
        # The bar knows nothing of the heat-map cell; keep the cell that is chosen.
        self.proxy.set_filter(replace(risk_filter, cell=self.proxy.risk_filter.cell))

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        noun = "risk" if total == 1 else "risks"
        self.count_label.setText(
            f"{total} {noun}" if shown == total else f"Showing {shown} of {total} {noun}"
        )
        self._selection_changed()

    # ---- writing -----------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        changed = getattr(dialog, "changed", None)
        if changed is not None:
            changed.connect(self._written)
        dialog.open()
        return dialog

    def _written(self, change: ChangeSet) -> None:
        if change.record_type == "risk" and change.action == "create" and change.ids:
            self._select_after = change.ids[0]
        self.changed.emit(change)

    def _run(self, write: Callable[[Any], ChangeSet]) -> None:
        self.worker.submit(write, self._written, parent_widget=self)

    def add_risk(self) -> RiskEditorDialog | None:
        if not self.can_edit or self._data is None:
            return None
        return self._editor(None)

    def edit_risk(self) -> RiskEditorDialog | None:
        risk = self.selected_risk()
        if risk is None or self._data is None:
            return None
        return self._editor(risk)

    def _editor(self, risk: RiskView | None) -> RiskEditorDialog:
        assert self._data is not None
        dialog = RiskEditorDialog(
            self.worker,
            self.workspace,
            self._data.categories,
            self._data.thresholds,
            risk,
            read_only=not self.can_edit,
            owners=[r.owner for r in self._data.risks],
            parent=self,
        )
        self._open(dialog)
        return dialog

    def duplicate_risk(self) -> None:
        risk, risks = self.selected_risk(), self.workspace.risks
        if risk is not None and self.can_edit:
            self._run(lambda _task: risks.duplicate_risk(risk.id))

    def close_risk(self) -> None:
        risk, risks = self.selected_risk(), self.workspace.risks
        if risk is not None and self.can_edit:
            self._run(lambda _task: risks.close_risk(risk.id))

    def delete_risk(self) -> bool:
        risk, risks = self.selected_risk(), self.workspace.risks
        if risk is None or not self.can_edit:
            return False
        if not ask(
            self,
            "Delete risk",
            f"Delete {risk.reference} {risk.title}?",
            "Delete risk",
            DELETE_NOTE,
        ):
            return False
        self._run(lambda _task: risks.delete_risk(risk.id))
        return True

    def record_review(self) -> ReviewDialog | None:
        risk = self.selected_risk()
        if risk is None or self._data is None or not self.can_edit:
            return None
        dialog = ReviewDialog(self.worker, self.workspace, risk, self._data.thresholds, self)
        self._open(dialog)
        return dialog

    def edit_action(self, action: ActionView | None) -> ActionEditorDialog | None:
        risk = self.selected_risk()
        if risk is None or not self.can_edit:
            return None
        dialog = ActionEditorDialog(self.worker, self.workspace, risk, action, self)
        self._open(dialog)
        return dialog

    def delete_action(self, action: ActionView) -> bool:
        risks = self.workspace.risks
        if not self.can_edit or not ask(
            self, "Delete action", f"Delete the action “{action.description}”?", "Delete action"
        ):
            return False
        self._run(lambda _task: risks.delete_action(action.id))
        return True
