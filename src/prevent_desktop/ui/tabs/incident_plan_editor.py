"""Adding or editing an incident plan: its roles, review and drill dates, steps and contacts.

The steps are edited as a list of (phase, role, text) rows kept in Python and redrawn after
each Add / Remove / Move, rather than moving combo-box cell widgets between rows (Qt does
not move cell widgets with their rows). The service groups steps by phase when it saves, so
the order here counts within each phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.incident import Phase, StepRole, next_review
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.incident_views import ContactView, PlanInput, PlanView, StepInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date, to_qdate
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.tabs.incident_contacts import NOT_FILLED_IN
from prevent_desktop.ui.worker import DatabaseWorker

PHASE_COLUMN, ROLE_COLUMN, TEXT_COLUMN = 0, 1, 2


@dataclass
class StepRow:
    phase: Phase
    role: StepRole
    text: str


class StepList(QWidget):
    """The steps table and its Add / Remove / Move up / Move down buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[StepRow] = []
        self.table = QTableWidget(0, 3, self)
        self.table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.table.setObjectName("planSteps")
        self.table.setAccessibleName("Steps")
        self.table.setHorizontalHeaderLabels(("Phase", "Who", "Step"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PHASE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ROLE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(320)
        self.add_button = QPushButton("&Add step", self)
        self.remove_button = QPushButton("&Remove", self)
        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move do&wn", self)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))

    def set_steps(self, steps: list[StepRow], current: int = 0) -> None:
        self.rows = steps
        self.table.setRowCount(len(steps))
        for row, step in enumerate(steps):
            phase = QComboBox(self.table)
            phase.setAccessibleName(f"Phase of step {row + 1}")
            for each_phase in Phase:
                phase.addItem(each_phase.label, each_phase.value)
            phase.setCurrentIndex(list(Phase).index(step.phase))
            role = QComboBox(self.table)
            role.setAccessibleName(f"Who does step {row + 1}")
            for each_role in StepRole:
                role.addItem(each_role.label, each_role.value)
            role.setCurrentIndex(list(StepRole).index(step.role))
            self.table.setCellWidget(row, PHASE_COLUMN, phase)
            self.table.setCellWidget(row, ROLE_COLUMN, role)
            self.table.setItem(row, TEXT_COLUMN, QTableWidgetItem(step.text))
        if steps:
            self.table.selectRow(max(0, min(current, len(steps) - 1)))
        # New combo boxes join the end of the Tab order: put them back inside the table's
        # turn, row by row, before the buttons beside it.
        combos = [
            self.table.cellWidget(row, column)
            for row in range(self.table.rowCount())
            for column in (PHASE_COLUMN, ROLE_COLUMN)
        ]
        set_tab_order(
            self.table,
            *combos,
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        )

    def steps(self) -> list[StepRow]:
        """The rows as shown now, with whatever was typed or chosen in them."""
        rows = []
        for row in range(self.table.rowCount()):
            phase = self.table.cellWidget(row, PHASE_COLUMN)
            role = self.table.cellWidget(row, ROLE_COLUMN)
            item = self.table.item(row, TEXT_COLUMN)
            assert isinstance(phase, QComboBox) and isinstance(role, QComboBox)
            rows.append(
                StepRow(
                    Phase(phase.currentData()),
                    StepRole(role.currentData()),
                    item.text() if item else "",
                )
            )
        return rows

    def current_row(self) -> int:
        return self.table.currentRow()

    def add_step(self) -> None:
        rows, at = self.steps(), self.current_row()
        # A new step joins the phase of the selected one, just below it.
        phase = rows[at].phase if 0 <= at < len(rows) else Phase.IMMEDIATELY
        at = at + 1 if 0 <= at < len(rows) else len(rows)
        rows.insert(at, StepRow(phase, StepRole.INCIDENT_LEAD, ""))
        self.set_steps(rows, at)
        item = self.table.item(at, TEXT_COLUMN)
        if item is not None:
            self.table.editItem(item)

    def remove_step(self) -> None:
        rows, at = self.steps(), self.current_row()
        if 0 <= at < len(rows):
            del rows[at]
            self.set_steps(rows, at)

    def move_step(self, by: int) -> None:
        rows, at = self.steps(), self.current_row()
        to = at + by
        if 0 <= at < len(rows) and 0 <= to < len(rows):
            rows[at], rows[to] = rows[to], rows[at]
            self.set_steps(rows, to)


class PlanEditorDialog(ConcernFormDialog):
    """`plan=None` adds a plan. Emits `changed(ChangeSet)` and accepts once saved."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        plan: PlanView | None,
        contacts: list[ContactView],
        parent: QWidget | None = None,
    ) -> None:
        title = "New incident plan" if plan is None else f"Edit {plan.title}"
        super().__init__(worker, workspace, "", "", title, "&Save plan", parent)
        self._plan = plan
        self.setWindowTitle(f"Prevent Desktop — {title}")
        self.heading.setText(title if plan is None else f"{title} (version {plan.version})")
        self.title_edit = QLineEdit(self)
        self.scenario_edit = text_box(self, "What happens, and when this plan applies", 3)
        self.scenario_edit.setMaximumHeight(self.scenario_edit.minimumHeight() + 20)
        self.owner_edit = QLineEdit(self)
        self.lead_edit = QLineEdit(self)
        self.deputy_edit = QLineEdit(self)
        self.security_edit = QLineEdit(self)
        for edit in (self.lead_edit, self.deputy_edit, self.security_edit):
            edit.setPlaceholderText("Name or job title")
        self.review_edit = date_edit(self, next_review(date.today()))
        self.drill_spin = QSpinBox(self)
        self.drill_spin.setRange(0, 36)
        self.drill_spin.setSuffix(" months")
        self.drill_spin.setSpecialValueText("0 — no drills")
        self.drill_spin.setAccessibleName("Drill every (months)")
        self.step_list = StepList(self)
        self.contact_list = QListWidget(self)
        self.contact_list.setAccessibleName("Contacts on this plan")
        self.contact_list.setMaximumHeight(150)
        for contact in contacts:
            flag = f" — {NOT_FILLED_IN}" if contact.missing else ""
            item = QListWidgetItem(f"{contact.name}{flag}", self.contact_list)
            item.setData(Qt.ItemDataRole.UserRole, contact.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

        self.form.addRow("&Title *", self.title_edit)
        self.form.addRow("Sce&nario", self.scenario_edit)  # S: "&Save plan"
        self.form.addRow("&Owner", self.owner_edit)
        self.form.addRow("Incident &lead", self.lead_edit)
        self.form.addRow("&Deputy", self.deputy_edit)
        self.form.addRow("Securit&y lead", self.security_edit)
        self.form.addRow("Next re&view", self.review_edit)
        self.form.addRow("Dr&ill every", self.drill_spin)
        self.form.addRow("Steps *", self.step_list)
        self.form.addRow("&Contacts", self.contact_list)
        self.add_note(
            "Steps print grouped by phase (immediately, within the hour, afterwards); within "
            "a phase they keep the order shown here. Saving makes a new version of the plan."
        )
        self._fill(plan)
        self.finish_layout(820)

    def _fill(self, plan: PlanView | None) -> None:
        if plan is None:
            self.drill_spin.setValue(12)
            self.step_list.set_steps([StepRow(Phase.IMMEDIATELY, StepRole.INCIDENT_LEAD, "")])
            return
        self.title_edit.setText(plan.title)
        self.scenario_edit.setPlainText(plan.scenario)
        self.owner_edit.setText(plan.owner)
        self.lead_edit.setText(plan.incident_lead)
        self.deputy_edit.setText(plan.deputy)
        self.security_edit.setText(plan.security_lead)
        self.review_edit.setDate(to_qdate(plan.next_review_on))
        self.drill_spin.setValue(plan.drill_every_months)
        self.step_list.set_steps([StepRow(s.phase, s.role, s.text) for s in plan.steps])
        linked = {c.id for c in plan.contacts}
        for row in range(self.contact_list.count()):
            item = self.contact_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in linked:
                item.setCheckState(Qt.CheckState.Checked)

    def checked_contacts(self) -> tuple[str, ...]:
        items = (self.contact_list.item(row) for row in range(self.contact_list.count()))
        return tuple(
            i.data(Qt.ItemDataRole.UserRole)
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        )

    def plan_input(self) -> PlanInput:
        return PlanInput(
            title=self.title_edit.text(),
            scenario=self.scenario_edit.toPlainText(),
            owner=self.owner_edit.text(),
            incident_lead=self.lead_edit.text(),
            deputy=self.deputy_edit.text(),
            security_lead=self.security_edit.text(),
            next_review_on=to_date(self.review_edit),
            drill_every_months=self.drill_spin.value(),
            steps=tuple(StepInput(s.phase, s.role, s.text) for s in self.step_list.steps()),
            contact_ids=self.checked_contacts(),
        )

    def save(self) -> None:
        incidents, data = self._workspace.incidents, self.plan_input()
        plan_id = self._plan.id if self._plan is not None else None

        def write(_task: object) -> ChangeSet:
            return incidents.save_plan(plan_id, data)

        self.submit_write(write)
