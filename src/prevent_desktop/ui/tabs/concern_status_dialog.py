"""Moving a concern on: the next step and, always, the reasons.

Only the steps the workflow allows from the current status are offered, so the choice itself
cannot be wrong; the rationale is checked by the service, whose message appears in the form
with the text kept.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from prevent_desktop.domain.concern import ConcernStatus, allowed_next
from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.worker import DatabaseWorker

RATIONALE_NOTE = (
    "A rationale is required for every step, including a decision of no further action: "
    "it is the record of what you considered and why you decided as you did."
)


class StatusDialog(ConcernFormDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker,
            workspace,
            summary.id,
            summary.reference,
            "Change status",
            "&Record step",
            parent,
        )
        self.current = summary.status
        self.current_label = QLabel(summary.status.label, self)
        self.status_combo = QComboBox(self)
        for status in allowed_next(summary.status):
            self.status_combo.addItem(status.label, status)
        self.rationale_edit = text_box(
            self,
            "What you considered, who you consulted, what happens next (required)",
            lines=6,
        )
        self.form.addRow("Now:", self.current_label)
        self.form.addRow("&Move to:", self.status_combo)
        self.form.addRow("&Rationale *", self.rationale_edit)
        self.rationale_note = self.add_note(RATIONALE_NOTE)
        self.finish_layout(600)

    def target(self) -> ConcernStatus:
        return ConcernStatus(self.status_combo.currentData())

    def choose(self, status: ConcernStatus) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(status))

    def save(self) -> None:
        concerns, concern_id = self._workspace.concerns, self._concern_id
        target, rationale = self.target(), self.rationale_edit.toPlainText()

        def write(_task: object) -> ChangeSet:
            return concerns.change_status(concern_id, target, rationale)

        self.submit_write(write)
