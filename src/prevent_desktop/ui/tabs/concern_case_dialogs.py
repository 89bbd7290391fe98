"""Managing a concern: who leads it, when it is next looked at, and the risk it relates to.

The lists to choose from (leads, risks) are read on the worker when the form opens; until
they arrive the form cannot be saved, so nobody picks from a half-filled list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from prevent_desktop.domain.roles import Role
from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.services.risk_views import RiskView
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog
from prevent_desktop.ui.worker import DatabaseWorker


def is_lead(user: UserView) -> bool:
    """Whom the service accepts as a concern's lead (its assign_lead says the same)."""
    return user.active and (user.role is Role.SAFEGUARDING_LEAD or user.is_safeguarding_lead)


class _ChoiceDialog(ConcernFormDialog):
    """A form with one combo box filled on the worker by `load`."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        title: str,
        save_text: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(worker, workspace, summary.id, summary.reference, title, save_text, parent)
        self.summary = summary
        self.choice_combo = QComboBox(self)
        self.choice_combo.addItem("Loading…", None)
        self.save_button.setEnabled(False)

    def _load(self, task: Callable[[object], list[Any]], fill: Callable[[list[Any]], None]) -> None:
        def filled(rows: list[Any]) -> None:
            fill(rows)
            self.save_button.setEnabled(True)

        self._worker.submit(task, filled, self.message.failure_handler(self), parent_widget=self)

    def chosen(self) -> str | None:
        value = self.choice_combo.currentData()
        return str(value) if value else None


class AssignLeadDialog(_ChoiceDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(worker, workspace, summary, "Assign lead", "&Assign", parent)
        self.form.addRow("&Lead:", self.choice_combo)
        self.add_note("Only active safeguarding leads can be assigned a concern.")
        self.finish_layout(480)
        users = workspace.users
        self._load(lambda _task: [u for u in users.list_users() if is_lead(u)], self._fill)

    def _fill(self, leads: list[UserView]) -> None:
        self.choice_combo.clear()
        self.choice_combo.addItem("(nobody yet)", None)
        for lead in leads:
            self.choice_combo.addItem(lead.display_name, lead.id)
        self.choice_combo.setCurrentIndex(
            max(0, self.choice_combo.findData(self.summary.assigned_lead_id))
        )

    def save(self) -> None:
        concerns, concern_id, lead = self._workspace.concerns, self._concern_id, self.chosen()
        self.submit_write(lambda _task: concerns.assign_lead(concern_id, lead))


class LinkRiskDialog(_ChoiceDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(worker, workspace, summary, "Link to a risk", "&Save link", parent)
        self.form.addRow("&Risk:", self.choice_combo)
        self.add_note(
            "Link a concern to the register's risk it shows: the risk's owner sees that the "
            "risk is real, without seeing the concern."
        )
        self.finish_layout(620)
        risks = workspace.risks
        self._load(lambda _task: risks.list_risks(), self._fill)

    def _fill(self, risks: list[RiskView]) -> None:
        self.choice_combo.clear()
        self.choice_combo.addItem("(no linked risk)", None)
        for risk in sorted(risks, key=lambda r: r.reference):
            self.choice_combo.addItem(f"{risk.reference} {risk.title}", risk.id)
        self.choice_combo.setCurrentIndex(max(0, self.choice_combo.findData(self.summary.risk_id)))

    def save(self) -> None:
        concerns, concern_id, risk = self._workspace.concerns, self._concern_id, self.chosen()
        self.submit_write(lambda _task: concerns.link_risk(concern_id, risk))


class FollowUpDialog(ConcernFormDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker, workspace, summary.id, summary.reference, "Follow-up date", "&Save", parent
        )
        current = summary.next_follow_up_on
        self.set_check = QCheckBox("&Follow up on", self)
        self.set_check.setChecked(True)
        self.date_edit = date_edit(self, current or date.today() + timedelta(days=14))
        self.set_check.toggled.connect(self.date_edit.setEnabled)
        self.form.addRow(self.set_check, self.date_edit)
        self.add_note(
            "Untick to clear the date. An overdue follow-up is flagged in the concern log."
        )
        self.finish_layout(460)

    def save(self) -> None:
        concerns, concern_id = self._workspace.concerns, self._concern_id
        on = to_date(self.date_edit) if self.set_check.isChecked() else None
        self.submit_write(lambda _task: concerns.set_follow_up(concern_id, on))
