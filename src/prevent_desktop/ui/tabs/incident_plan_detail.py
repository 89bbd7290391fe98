"""The incident plan tab's read-only pieces: the plan list, the selected plan's detail, and
its past incidents and drills. Warnings are written out ("⚠ overdue", "⚠ Not filled in") so
they survive a black-and-white print-out of a screenshot and do not rely on colour."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

from prevent_desktop.domain.incident import LogKind, Phase
from prevent_desktop.services.incident_views import LogView, PlanView
from prevent_desktop.ui.tabs.incident_contacts import contact_line
from prevent_desktop.ui.tabs.incident_log_dialog import local_time

OVERDUE = "⚠ overdue"


def due_text(due: date | None, today: date, never: str = "—") -> str:
    if due is None:
        return never
    return f"{due:%d/%m/%Y}" + (f" {OVERDUE}" if due < today else "")


def plan_warnings(plan: PlanView, today: date) -> int:
    return int(plan.review_overdue(today)) + int(plan.drill_overdue(today))


class ReadOnlyTable(QTableWidget):
    def __init__(
        self, columns: tuple[str, ...], name: str, parent: QWidget | None, stretch: int = 0
    ) -> None:
        super().__init__(0, len(columns), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(columns)
        self.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def fill(self, rows: list[tuple[str, ...]]) -> None:
        self.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(row, column, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


class PlanTable(ReadOnlyTable):
    COLUMNS = ("Plan", "Version", "Next review", "Next drill", "Steps")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.COLUMNS, "incidentPlans", parent)
        self.setAccessibleName("Incident plans")
        self.plans: list[PlanView] = []

    def set_plans(self, plans: list[PlanView], today: date) -> None:
        chosen = self.current_plan()
        self.plans = list(plans)
        self.fill(
            [
                (
                    plan.title,
                    str(plan.version),
                    due_text(plan.next_review_on, today),
                    due_text(plan.next_drill_on, today, "No drills"),
                    str(len(plan.steps)),
                )
                for plan in plans
            ]
        )
        wanted = chosen.id if chosen is not None else (plans[0].id if plans else None)
        if wanted is not None:
            self.select_plan(wanted)

    def select_plan(self, plan_id: str) -> None:
        for row, plan in enumerate(self.plans):
            if plan.id == plan_id:
                self.selectRow(row)
                self.setCurrentCell(row, 0)

    def current_plan(self) -> PlanView | None:
        row = self.currentRow()
        return self.plans[row] if 0 <= row < len(self.plans) else None


class LogTable(ReadOnlyTable):
    """The selected plan's incidents and drills; `open_requested(log_id)` on double-click."""

    COLUMNS = ("Kind", "Started", "Closed", "Outcome")
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.COLUMNS, "incidentLogs", parent, stretch=3)
        self.setAccessibleName("Past incidents and drills of this plan")
        self.logs: list[LogView] = []
        self.doubleClicked.connect(lambda index: self._open(index.row()))

    def set_logs(self, logs: list[LogView]) -> None:
        self.logs = list(logs)
        self.fill(
            [
                (
                    log.kind.label.upper() if log.kind is LogKind.DRILL else log.kind.label,
                    f"{local_time(log.started_at):%d/%m/%Y %H:%M}",
                    f"{local_time(log.closed_at):%d/%m/%Y %H:%M}" if log.closed_at else "Open",
                    log.outcome or ("Still open" if log.open else ""),
                )
                for log in logs
            ]
        )

    def current_log(self) -> LogView | None:
        row = self.currentRow()
        return self.logs[row] if 0 <= row < len(self.logs) else None

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.logs):
            self.open_requested.emit(self.logs[row].id)


class PlanDetail(QTextBrowser):
    """The selected plan as a page: scenario, roles, steps by phase, contacts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentPlanDetail")
        self.setAccessibleName("The selected plan")
        self.setOpenLinks(False)

    def show_plan(self, plan: PlanView | None, today: date) -> None:
        if plan is None:
            self.setHtml("<p>Choose a plan on the left to read it.</p>")
            return
        reviewed = (
            f"last reviewed {plan.last_reviewed_on:%d/%m/%Y}"
            if plan.last_reviewed_on
            else "never reviewed"
        )
        parts = [
            f"<h2>{escape(plan.title)}</h2>",
            f"<p>Version {plan.version}; owner {escape(plan.owner or '—')}; {reviewed}; ",
            f"next review {due_text(plan.next_review_on, today)}; next drill "
            f"{due_text(plan.next_drill_on, today, 'no drills')}.</p>",
            f"<p>{escape(plan.scenario)}</p>" if plan.scenario else "",
            "<p><b>Roles:</b> incident lead "
            f"{escape(plan.incident_lead or '—')}; deputy {escape(plan.deputy or '—')}; "
            f"security lead {escape(plan.security_lead or '—')}.</p>",
        ]
        number = 0
        for phase in Phase:
            steps = [s for s in plan.steps if s.phase is phase]
            if not steps:
                continue
            parts.append(f"<h3>{phase.label}</h3><ol start='{number + 1}'>")
            for step in steps:
                number += 1
                parts.append(f"<li><b>{step.role.label}:</b> {escape(step.text)}</li>")
            parts.append("</ol>")
        parts.append("<h3>Contacts</h3>")
        if plan.contacts:
            lines = (escape(contact_line(c)) for c in plan.contacts)
            parts.append("<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
        else:
            parts.append("<p>No contacts linked to this plan.</p>")
        self.setHtml("".join(parts))
