"""Retention of a concern: placing or lifting a legal hold, and deleting it at the end of its
retention period. Both need a reason; both are audited by the service."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.tabs.concern_format import day
from prevent_desktop.ui.worker import DatabaseWorker

DELETE_EXPLANATION = (
    "Deleting erases the concern's content for good: the person's details, the account, the "
    "chronology, referrals and attachments. Only the reference and the fact of deletion "
    "remain, with who deleted it, when and why, in the audit log. This cannot be undone."
)
HOLD_EXPLANATION = (
    "A concern on legal hold cannot be deleted, whatever its review-by date: use it while "
    "an investigation, a claim or a court case may need the record."
)


class LegalHoldDialog(ConcernFormDialog):
    """Places the hold when the concern has none, lifts it when it has."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        parent: QWidget | None = None,
    ) -> None:
        self.placing = not summary.legal_hold
        title = "Place legal hold" if self.placing else "Lift legal hold"
        save_text = "&Place hold" if self.placing else "&Lift hold"
        super().__init__(worker, workspace, summary.id, summary.reference, title, save_text, parent)
        self.reason_edit = text_box(
            self,
            "Why the hold is placed (for example the case or request it is for)"
            if self.placing
            else "Why the hold is no longer needed",
            lines=4,
        )
        self.form.addRow("&Reason *", self.reason_edit)
        self.add_note(
            HOLD_EXPLANATION + " The reason is added to the chronology."
            if self.placing
            else "Once lifted, the concern can be deleted after its review-by date "
            f"({day(summary.review_by)}). The reason is added to the chronology."
        )
        self.finish_layout()

    def save(self) -> None:
        concerns, concern_id = self._workspace.concerns, self._concern_id
        on, reason = self.placing, self.reason_edit.toPlainText()
        self.submit_write(lambda _task: concerns.set_legal_hold(concern_id, on, reason))


class DeleteConcernDialog(ConcernFormDialog):
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
            "Delete concern",
            "&Delete concern",
            parent,
        )
        self.reason_edit = text_box(
            self, "Why it is deleted now (for example: retention period ended)", lines=3
        )
        review = f"Its review-by date is {day(summary.review_by)}."
        self.explanation = self.add_note(f"{DELETE_EXPLANATION} {review}", above_form=True)
        self.form.addRow("&Reason *", self.reason_edit)
        self.buttons.button(self.buttons.StandardButton.Cancel).setDefault(True)
        self.finish_layout()

    def save(self) -> None:
        concerns, concern_id, reason = (
            self._workspace.concerns,
            self._concern_id,
            self.reason_edit.toPlainText(),
        )
        self.submit_write(lambda _task: concerns.delete_concern(concern_id, reason))
