"""One concern in full, for a safeguarding lead: where it stands, who it is about, the
timeline of what was done and decided, who has opened it, and the lead's actions.

Opening the dialog reads the concern through `open_concern`, which the service logs as an
access; every write reloads it (without logging another opening), so what is shown is what
is stored. Each
action is a small form of its own; every service call runs on the database worker, and the
service's refusals appear in the form (or, for the dialog's own tasks, in its message line).
The dialog is not modal: a lead may keep two concerns about the same person open side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.concern_views import AccessView, ConcernDetailView
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.tabs import concern_attachments, concern_print
from prevent_desktop.ui.tabs.concern_amend_dialog import AmendDetailsDialog
from prevent_desktop.ui.tabs.concern_case_dialogs import (
    AssignLeadDialog,
    FollowUpDialog,
    LinkRiskDialog,
)
from prevent_desktop.ui.tabs.concern_details_panel import ConcernDetailsPanel
from prevent_desktop.ui.tabs.concern_entry_dialog import EntryDialog
from prevent_desktop.ui.tabs.concern_header import ConcernHeader
from prevent_desktop.ui.tabs.concern_referral_dialog import (
    OutcomeDialog,
    ReferralDialog,
    ReferralReviewDialog,
)
from prevent_desktop.ui.tabs.concern_retention_dialogs import DeleteConcernDialog, LegalHoldDialog
from prevent_desktop.ui.tabs.concern_status_dialog import StatusDialog
from prevent_desktop.ui.tabs.concern_tables import AccessLogModel, plain_table
from prevent_desktop.ui.tabs.concern_timeline import entry_numbers
from prevent_desktop.ui.tabs.concern_timeline_page import ConcernTimelinePage
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker

FormT = TypeVar("FormT", bound=SavingDialog)
HOLD_BLOCKS_DELETE = "On legal hold: lift the hold (giving the reason) before deleting."
REDACT_TIP = "Replace the names of others present and other third parties with [redacted]"


class ConcernDetailDialog(QDialog):
    """Emits `changed(ChangeSet)` after every successful write, and `loaded(view)` each
    time the concern has been (re)read."""

    changed = Signal(object)
    loaded = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self.concern_id = concern_id
        self.view: ConcernDetailView | None = None
        self._select_after: str | None = None
        self.setWindowTitle("Prevent Desktop — Concern")
        # A window of its own (minimise, maximise), not a transient pop-up over the log.
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)

        self.header = ConcernHeader(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = FormMessage(self.message_label)

        self.status_button = self._button("Change &status…", self.change_status)
        self.assign_button = self._button("Assign &lead…", self.assign_lead)
        self.follow_up_button = self._button("Follow-&up date…", self.set_follow_up)
        self.link_button = self._button("Lin&k risk…", self.link_risk)
        self.amend_button = self._button("A&mend details…", self.amend_details)
        self.hold_button = self._button("Le&gal hold…", self.legal_hold)
        self.delete_button = self._button("&Delete…", self.delete_concern)
        self.case_buttons = [
            self.status_button,
            self.assign_button,
            self.follow_up_button,
            self.link_button,
            self.amend_button,
            self.hold_button,
            self.delete_button,
        ]
        case_row = QHBoxLayout()
        for button in self.case_buttons:
            case_row.addWidget(button)
        case_row.addStretch(1)

        self.timeline = ConcernTimelinePage(self)
        self.details_panel = ConcernDetailsPanel(self)
        self.details_panel.open_requested.connect(self.open_other)
        self.access_model = AccessLogModel(self)
        self.access_view = plain_table(self.access_model, self, (125, 150, 260))
        self.access_view.setAccessibleName("Access log: who opened this concern, when and why")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.timeline, "&Timeline")
        self.tabs.addTab(self.details_panel, "Deta&ils")
        self.tabs.addTab(self.access_view, "&Access log")
        page = self.timeline
        page.add_entry_button.clicked.connect(self.add_entry)
        page.correct_button.clicked.connect(self.correct_entry)
        page.add_referral_button.clicked.connect(self.add_referral)
        page.outcome_button.clicked.connect(self.record_outcome)
        page.review_button.clicked.connect(self.record_review)
        page.attach_button.clicked.connect(self.add_attachment)
        page.save_copy_button.clicked.connect(self.save_attachment_copy)
        self.timeline_buttons = [
            page.add_entry_button,
            page.add_referral_button,
            page.attach_button,
        ]

        self.redact_check = QCheckBox("Redact third-party &names", self)
        self.redact_check.setToolTip(REDACT_TIP)
        self.summary_pdf_button = self._button(
            "Case summary &PDF…", lambda: self.print_pdf("case_summary")
        )
        self.referral_pdf_button = self._button(
            "&Referral pack PDF…", lambda: self.print_pdf("referral_pack")
        )
        self.pdf_buttons = [self.summary_pdf_button, self.referral_pdf_button]
        close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close_box.rejected.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.summary_pdf_button)
        footer.addWidget(self.redact_check)  # beside the printout it applies to
        footer.addSpacing(12)
        footer.addWidget(self.referral_pdf_button)
        footer.addStretch(1)
        footer.addWidget(close_box)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(case_row)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)
        # Top to bottom: the case buttons, the page tabs and the page, then the footer (the
        # redaction box after the printout it applies to).
        set_tab_order(
            *self.case_buttons,
            self.tabs,
            self.timeline,
            self.details_panel,
            self.access_view,
            self.summary_pdf_button,
            self.redact_check,
            self.referral_pdf_button,
            close_box,
        )
        self._set_actions_enabled(False)
        fit_to_screen(self, QSize(1100, 750))
        self.reload()

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in a table must not trigger an action
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ---- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the concern (again). Only the first read is an opening for the access log;
        later ones follow the lead's own changes in this window."""
        concerns, concern_id = self._workspace.concerns, self.concern_id
        purpose = "Opened the details" if self.view is None else None
        self._worker.submit(
            lambda _task: concerns.open_concern(concern_id, purpose=purpose),
            self._show,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _show(self, view: ConcernDetailView) -> None:
        self.view = view
        summary = view.summary
        self.setWindowTitle(f"Prevent Desktop — Concern {summary.reference}")
        self.header.show_view(view)
        self.timeline.show_view(view, self._select_after)
        self._select_after = None
        self.details_panel.show_view(view)
        self._show_accesses(view.accesses)
        self.tabs.setTabText(0, f"&Timeline ({self.timeline.model.rowCount()})")
        others = len(view.same_person)
        plural = "s" if others != 1 else ""
        self.tabs.setTabText(
            1, f"Deta&ils ({others} other concern{plural})" if others else "Deta&ils"
        )
        self._set_actions_enabled(True)
        self.delete_button.setEnabled(not summary.legal_hold)
        self.delete_button.setToolTip(
            HOLD_BLOCKS_DELETE if summary.legal_hold else "Delete at the end of retention"
        )
        self.hold_button.setText("Lift le&gal hold…" if summary.legal_hold else "Le&gal hold…")
        self.loaded.emit(view)

    def _show_accesses(self, accesses: tuple[AccessView, ...]) -> None:
        self.access_model.set_rows(list(accesses))
        self.tabs.setTabText(2, f"&Access log ({len(accesses)})")

    def _set_actions_enabled(self, on: bool) -> None:
        for button in [*self.case_buttons, *self.timeline_buttons, *self.pdf_buttons]:
            button.setEnabled(on)

    # ---- writing ---------------------------------------------------------------------------

    def _open(self, dialog: FormT) -> FormT:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._written)
        dialog.open()  # modal to this window only: the concern log stays usable
        return dialog

    def _written(self, change: ChangeSet) -> None:
        self.message.clear()
        self.changed.emit(change)
        if change.record_type == "concern" and change.action == "delete":
            self.close()
            return
        if change.action == "create" and change.ids:
            self._select_after = change.ids[0]
        self.reload()

    def _run(self, write: Callable[[object], ChangeSet]) -> None:
        """A write started from the dialog itself rather than a form."""
        self.message.clear()
        self._worker.submit(
            write, self._written, self.message.failure_handler(self), parent_widget=self
        )

    def change_status(self) -> StatusDialog | None:
        if self.view is None:
            return None
        return self._open(StatusDialog(self._worker, self._workspace, self.view.summary, self))

    def assign_lead(self) -> AssignLeadDialog | None:
        if self.view is None:
            return None
        dialog = AssignLeadDialog(self._worker, self._workspace, self.view.summary, self)
        return self._open(dialog)

    def set_follow_up(self) -> FollowUpDialog | None:
        if self.view is None:
            return None
        return self._open(FollowUpDialog(self._worker, self._workspace, self.view.summary, self))

    def link_risk(self) -> LinkRiskDialog | None:
        if self.view is None:
            return None
        return self._open(LinkRiskDialog(self._worker, self._workspace, self.view.summary, self))

    def amend_details(self) -> AmendDetailsDialog | None:
        if self.view is None:
            return None
        dialog = AmendDetailsDialog(
            self._worker, self._workspace, self.view.summary, self.view.details, self
        )
        return self._open(dialog)

    def legal_hold(self) -> LegalHoldDialog | None:
        if self.view is None:
            return None
        return self._open(LegalHoldDialog(self._worker, self._workspace, self.view.summary, self))

    def delete_concern(self) -> DeleteConcernDialog | None:
        # The button is off while on hold; the service refuses too, whatever the UI shows.
        if self.view is None:
            return None
        dialog = DeleteConcernDialog(self._worker, self._workspace, self.view.summary, self)
        return self._open(dialog)

    def add_entry(self) -> EntryDialog | None:
        if self.view is None:
            return None
        reference = self.view.summary.reference
        dialog = EntryDialog(self._worker, self._workspace, self.concern_id, reference, parent=self)
        return self._open(dialog)

    def correct_entry(self) -> EntryDialog | None:
        item = self.timeline.selected_item()
        if self.view is None or item is None or item.entry is None:
            return None
        number = entry_numbers(self.view.entries)[item.entry.id]
        dialog = EntryDialog(
            self._worker,
            self._workspace,
            self.concern_id,
            self.view.summary.reference,
            corrects=item.entry,
            number=number,
            parent=self,
        )
        return self._open(dialog)

    def add_referral(self) -> ReferralDialog | None:
        if self.view is None:
            return None
        reference = self.view.summary.reference
        return self._open(
            ReferralDialog(self._worker, self._workspace, self.concern_id, reference, self)
        )

    def record_outcome(self) -> OutcomeDialog | None:
        item = self.timeline.selected_item()
        if self.view is None or item is None or item.referral is None:
            return None
        dialog = OutcomeDialog(
            self._worker,
            self._workspace,
            self.concern_id,
            self.view.summary.reference,
            item.referral,
            self,
        )
        return self._open(dialog)

    def record_review(self) -> ReferralReviewDialog | None:
        item = self.timeline.selected_item()
        if self.view is None or item is None or item.referral is None:
            return None
        dialog = ReferralReviewDialog(
            self._worker,
            self._workspace,
            self.concern_id,
            self.view.summary.reference,
            item.referral,
            self,
        )
        return self._open(dialog)

    # ---- files -----------------------------------------------------------------------------

    def add_attachment(self) -> None:
        path = concern_attachments.choose_file_to_attach(self)
        if path is None:
            return
        self._run(concern_attachments.attach(self._workspace.concerns, self.concern_id, path))
        self.message.note(f"Attaching {path.name}…")  # cleared once stored, or the refusal

    def save_attachment_copy(self) -> None:
        item = self.timeline.selected_item()
        attachment = item.attachment if item is not None else None
        if attachment is None:
            return
        destination = concern_attachments.choose_copy_destination(self, attachment.name)
        if destination is None:
            return
        self.message.clear()
        self._worker.submit(
            concern_attachments.save_copy(self._workspace.concerns, attachment.id, destination),
            self._copy_saved,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _copy_saved(self, destination: Path) -> None:
        self.message.note(
            f"A copy was saved to {destination}. This copy is NOT encrypted: keep it somewhere "
            "safe and delete it when it is no longer needed."
        )
        self._refresh_access_log()

    def print_pdf(self, kind: str) -> None:
        if self.view is None:
            return
        destination = concern_print.choose_pdf(self, kind, self.view.summary.reference)
        if destination is None:
            return
        self.message.clear()
        redact = self.redact_check.isChecked()
        self._worker.submit(
            concern_print.write_pdf(
                self._workspace, self.concern_id, kind, destination, redact=redact
            ),
            self._pdf_saved,
            self.message.failure_handler(self),
            progress="Writing the PDF…",
            parent_widget=self,
        )

    def _pdf_saved(self, destination: Path) -> None:
        self.message.note(
            f"The PDF was saved to {destination}. It is NOT encrypted: keep it somewhere safe "
            "and delete it when it is no longer needed."
        )
        self._refresh_access_log()

    def _refresh_access_log(self) -> None:
        # Reading an attachment or printing is logged by the service; show it without a full
        # reload, which would log one more opening.
        concerns, concern_id = self._workspace.concerns, self.concern_id
        self._worker.submit(
            lambda _task: concerns.access_log(concern_id),
            self._show_accesses,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    # ---- other concerns about the person ---------------------------------------------------

    def open_other(self, concern_id: str) -> ConcernDetailDialog:
        """Another concern about the same person, in a window of its own. Its writes are
        passed on through this dialog's `changed` so the concern log hears of them."""
        owner = self.parentWidget() or self
        other = ConcernDetailDialog(self._worker, self._workspace, concern_id, owner)
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        other.changed.connect(self.changed)
        other.show()
        return other
