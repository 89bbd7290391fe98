"""The Incident plan tab: how the site responds to a threat or an incident.

One load on the worker brings the plans, the contacts and every log; the list, the detail,
the banner and the title count are then worked out in memory. Writes happen in dialogs and in
the log windows, whose ChangeSets the main window broadcasts back here. Anyone may start an
incident or a drill (an incident does not wait for a manager); only EDIT_PLANS sees the
editing buttons, since the service would refuse anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.incident_views import ContactView, LogView, PlanView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.styles import ERROR_STYLE
from prevent_desktop.ui.tabs.incident_contacts import ContactDialog, ContactTable
from prevent_desktop.ui.tabs.incident_log_dialog import IncidentLogWindow
from prevent_desktop.ui.tabs.incident_plan_detail import (
    LogTable,
    PlanDetail,
    PlanTable,
    plan_warnings,
)
from prevent_desktop.ui.tabs.incident_plan_editor import PlanEditorDialog
from prevent_desktop.ui.tabs.incident_print import report_options, save_pdf
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.worker import DatabaseWorker


@dataclass(frozen=True)
class IncidentData:
    plans: list[PlanView]
    contacts: list[ContactView]
    logs: list[LogView]  # every plan's, newest first
    today: date

    def missing_in_use(self) -> list[ContactView]:
        """Local contacts not filled in that at least one plan relies on."""
        return [c for c in self.contacts if c.missing and c.used_by]

    def warnings(self) -> int:
        """The tab title's count: overdue reviews and drills, and contacts not filled in."""
        return sum(plan_warnings(p, self.today) for p in self.plans) + len(self.missing_in_use())


def load_incidents(workspace: Workspace, today: date | None = None) -> IncidentData:
    today = today or date.today()
    incidents = workspace.incidents
    return IncidentData(incidents.plans(today), incidents.contacts(), incidents.logs(), today)


def banner_text(missing: list[ContactView]) -> str:
    if not missing:
        return ""
    names = ", ".join(c.name for c in missing)
    noun = "contact is" if len(missing) == 1 else "contacts are"
    return (
        f"⚠ {len(missing)} local {noun} not filled in: {names}. The plans that use them "
        "print with a gap where the number should be."
    )


class IncidentPlanTab(TabPage):
    title = "Incident plan"
    purpose = (
        "The site's plans for a threat or incident in and out of hours (evacuation, "
        "invacuation, lockdown, suspicious items and bomb threats) with local and national "
        "contacts."
    )
    evidence = (
        "Evidence for area 5 of the strategy: plans in place to respond appropriately to a "
        "threat or incident within the programme."
    )
    record_types = frozenset(
        {
            "incident_plan",
            "incident_plan_step",
            "incident_contact",
            "incident_log",
            "incident_log_step",
            "incident_log_note",
        }
    )
    shows_empty_state = False

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        self.can_edit = workspace.actor.can(Permission.EDIT_PLANS)
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self.data: IncidentData | None = None
        self.log_windows: dict[str, IncidentLogWindow] = {}

        self.banner = QLabel(self)
        self.banner.setObjectName("missingContactsBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setVisible(False)
        self.plan_table = PlanTable(self)
        self.detail = PlanDetail(self)
        self.log_table = LogTable(self)
        self.contact_table = ContactTable(self)
        self._build_buttons()

        detail_pane = QWidget(self)
        detail_layout = QVBoxLayout(detail_pane)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 3)
        logs_row = QHBoxLayout()
        logs_row.addWidget(QLabel("Past incidents and drills of this plan", detail_pane))
        logs_row.addStretch(1)
        logs_row.addWidget(self.open_log_button)
        detail_layout.addLayout(logs_row)
        detail_layout.addWidget(self.log_table, 1)
        plans = QSplitter(Qt.Orientation.Horizontal, self)
        plans.addWidget(self.plan_table)
        plans.addWidget(detail_pane)
        plans.setSizes([560, 640])

        contacts_pane = QWidget(self)
        contacts_layout = QVBoxLayout(contacts_pane)
        contacts_layout.setContentsMargins(0, 0, 0, 0)
        contacts_row = QHBoxLayout()
        contacts_row.addWidget(QLabel("Contacts", contacts_pane))
        contacts_row.addStretch(1)
        contacts_row.addWidget(self.add_contact_button)
        contacts_row.addWidget(self.edit_contact_button)
        contacts_layout.addLayout(contacts_row)
        contacts_layout.addWidget(self.contact_table)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(plans)
        body.addWidget(contacts_pane)
        body.setSizes([560, 240])

        layout = QVBoxLayout(scrolling_body(self))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(self._button_row())
        layout.addWidget(body, 1)

        self.plan_table.itemSelectionChanged.connect(self._show_selected)
        self.plan_table.doubleClicked.connect(lambda _index: self.edit_plan())
        self.log_table.open_requested.connect(self.open_log)
        self.contact_table.edit_requested.connect(self.edit_contact)
        # Read order: the buttons, the plans and the chosen plan beside them, its logs, then
        # the contacts below.
        set_tab_order(
            self.new_button,
            self.edit_button,
            self.review_button,
            self.drill_button,
            self.incident_button,
            self.print_button,
            self.print_all_button,
            self.bomb_form_button,
            self.plan_table,
            self.detail,
            self.open_log_button,
            self.log_table,
            self.add_contact_button,
            self.edit_contact_button,
            self.contact_table,
        )
        self._update_buttons()

    # ---- building ------------------------------------------------------------------------------

    def _build_buttons(self) -> None:
        self.new_button = QPushButton("&New plan…", self)
        self.edit_button = QPushButton("&Edit plan…", self)
        self.review_button = QPushButton("Record re&view", self)
        self.review_button.setToolTip("The plan was read through today and still holds")
        self.drill_button = QPushButton("Start &drill", self)
        self.incident_button = QPushButton("Start &incident", self)
        self.incident_button.setToolTip("A real incident: opens its log, with the plan's steps")
        self.print_button = QPushButton("&Print checklist…", self)
        self.print_all_button = QPushButton("All chec&klists…", self)  # Alt+A: Account menu
        self.bomb_form_button = QPushButton("&Bomb-threat call form…", self)
        self.open_log_button = QPushButton("&Open log", self)
        self.add_contact_button = QPushButton("Add &contact…", self)
        self.edit_contact_button = QPushButton("Edit con&tact…", self)
        self.edit_buttons = (
            self.new_button,
            self.edit_button,
            self.review_button,
            self.add_contact_button,
            self.edit_contact_button,
        )
        # The service refuses staff anyway; hiding the buttons spares them the refusal.
        for button in self.edit_buttons:
            button.setVisible(self.can_edit)
        self.new_button.clicked.connect(lambda: self.edit_plan(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_plan())
        self.review_button.clicked.connect(self.record_review)
        self.drill_button.clicked.connect(lambda: self.start(LogKind.DRILL))
        self.incident_button.clicked.connect(lambda: self.start(LogKind.INCIDENT))
        self.print_button.clicked.connect(self.print_checklist)
        self.print_all_button.clicked.connect(self.print_all)
        self.bomb_form_button.clicked.connect(self.print_bomb_form)
        self.open_log_button.clicked.connect(self._open_selected_log)
        self.add_contact_button.clicked.connect(lambda: self.edit_contact(None))
        self.edit_contact_button.clicked.connect(
            lambda: self.edit_contact(self.contact_table.current_contact())
        )

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.review_button):
            row.addWidget(button)
        row.addSpacing(12)
        row.addWidget(self.drill_button)
        row.addWidget(self.incident_button)
        row.addStretch(1)
        for button in (self.print_button, self.print_all_button, self.bomb_form_button):
            row.addWidget(button)
        return row

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, workspace = self._generation, self.workspace
        self.worker.submit(
            lambda _task: load_incidents(workspace),
            lambda data: self._show(data) if generation == self._generation else None,
            parent_widget=self,
        )

    def clear(self) -> None:
        self._generation += 1
        self.data = None
        for window in list(self.log_windows.values()):
            window.close()
        self.log_windows.clear()
        self.plan_table.set_plans([], date.today())
        self.detail.clear()
        self.log_table.set_logs([])
        self.contact_table.clear_contacts()
        self.banner.clear()
        self.banner.setVisible(False)
        self._update_buttons()
        self.title_changed.emit(self.title)

    def _show(self, data: IncidentData) -> None:
        self.data = data
        self.plan_table.set_plans(data.plans, data.today)
        self.contact_table.set_contacts(data.contacts)
        missing = data.missing_in_use()
        self.banner.setText(banner_text(missing))
        self.banner.setVisible(bool(missing))
        self._show_selected()
        warnings = data.warnings()
        self.title_changed.emit(f"{self.title} (⚠ {warnings})" if warnings else self.title)
        self.loaded.emit()

    def _show_selected(self) -> None:
        plan = self.plan_table.current_plan()
        today = self.data.today if self.data is not None else date.today()
        self.detail.show_plan(plan, today)
        logs = self.data.logs if self.data is not None and plan is not None else []
        self.log_table.set_logs([log for log in logs if plan and log.plan_id == plan.id])
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.plan_table.current_plan() is not None
        for button in (
            self.edit_button,
            self.review_button,
            self.drill_button,
            self.incident_button,
            self.print_button,
        ):
            button.setEnabled(chosen)
        self.print_all_button.setEnabled(bool(self.plan_table.plans))

    # ---- plans and contacts --------------------------------------------------------------------

    # ---- links from the Overview ---------------------------------------------------------

    def show_plan(self, plan_id: str) -> None:
        self.plan_table.select_plan(plan_id)
        self.plan_table.setFocus()

    def show_contacts(self) -> None:
        """The contacts list, the first one still to fill in chosen."""
        self.contact_table.setFocus()
        if self.data is not None and self.data.missing_in_use():
            self.contact_table.select_contact(self.data.missing_in_use()[0].id)

    def edit_plan(self, new: bool = False) -> PlanEditorDialog | None:
        plan = None if new else self.plan_table.current_plan()
        if not self.can_edit or (plan is None and not new):
            return None
        contacts = self.data.contacts if self.data is not None else []
        dialog = PlanEditorDialog(self.worker, self.workspace, plan, contacts, self)
        dialog.changed.connect(self.changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_contact(self, contact: ContactView | None) -> ContactDialog | None:
        if not self.can_edit:
            return None
        dialog = ContactDialog(self.worker, self.workspace, contact, self)
        dialog.changed.connect(self.changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def record_review(self) -> None:
        plan = self.plan_table.current_plan()
        if plan is None:
            return
        incidents, plan_id = self.workspace.incidents, plan.id
        self.worker.submit(
            lambda _task: incidents.record_review(plan_id), self.changed.emit, parent_widget=self
        )

    # ---- incidents and drills ------------------------------------------------------------------

    def start(self, kind: LogKind) -> None:
        plan = self.plan_table.current_plan()
        if plan is None:
            return
        incidents, plan_id = self.workspace.incidents, plan.id
        self.worker.submit(
            lambda _task: incidents.start(plan_id, kind), self._started, parent_widget=self
        )

    def _started(self, change: ChangeSet) -> None:
        self.changed.emit(change)
        self.open_log(change.ids[0])

    def open_log(self, log_id: str) -> IncidentLogWindow:
        window = self.log_windows.get(log_id)
        if window is None:
            # Its own top-level window, so it can sit beside the main one during an incident.
            window = IncidentLogWindow(self.worker, self.workspace, log_id, None)
            window.changed.connect(self.changed)
            window.destroyed.connect(lambda _obj=None, key=log_id: self.log_windows.pop(key, None))
            self.log_windows[log_id] = window
            window.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _open_selected_log(self) -> None:
        log = self.log_table.current_log()
        if log is not None:
            self.open_log(log.id)

    # ---- printing ------------------------------------------------------------------------------

    def print_checklist(self) -> None:
        plan = self.plan_table.current_plan()
        if plan is None:
            return
        title = plan.title
        save_pdf(
            self,
            self.worker,
            self.workspace,
            what="incident checklist",
            stem=f"Checklist {title}",
            function="write_incident_checklist",
            options=lambda: report_options(plan=title),
        )

    def print_all(self) -> None:
        save_pdf(
            self,
            self.worker,
            self.workspace,
            what="incident checklists",
            stem="Incident checklists",
            function="write_incident_checklist",
            options=lambda: report_options(all=True),
        )

    def print_bomb_form(self) -> None:
        save_pdf(
            self,
            self.worker,
            self.workspace,
            what="bomb-threat call form",
            stem="Bomb threat call form",
            function="write_bomb_threat_form",
            options=None,
        )
