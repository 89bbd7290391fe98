"""Referrals of a concern: recording one, its outcome, and the reviews 6 and 12 months after
support ends (the service works out when they fall due)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from prevent_desktop.domain.concern import ReferralAgency, ReferralMethod, ReferralOutcome
from prevent_desktop.services.concern_views import ReferralInput, ReferralView
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.tabs.concern_format import day
from prevent_desktop.ui.worker import DatabaseWorker


def _combo(parent: QWidget, members: list[ReferralAgency] | list[ReferralMethod]) -> QComboBox:
    combo = QComboBox(parent)
    for member in members:
        combo.addItem(member.label, member)
    return combo


class ReferralDialog(ConcernFormDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        reference: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker, workspace, concern_id, reference, "Add referral", "&Add referral", parent
        )
        self.agency_combo = _combo(self, list(ReferralAgency))
        self.referred_edit = date_edit(self, date.today())
        self.method_combo = _combo(self, list(ReferralMethod))
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setPlaceholderText("The agency's reference, once you have it")
        self.notes_edit = text_box(self, "Who you spoke to, what was agreed", lines=4)
        self.form.addRow("A&gency:", self.agency_combo)
        self.form.addRow("&Referred on *", self.referred_edit)
        self.form.addRow("&Method:", self.method_combo)
        self.form.addRow("Re&ference number:", self.reference_edit)
        self.form.addRow("&Notes:", self.notes_edit)
        self.finish_layout()

    def referral_input(self) -> ReferralInput:
        return ReferralInput(
            agency=ReferralAgency(self.agency_combo.currentData()),
            referred_on=to_date(self.referred_edit),
            method=ReferralMethod(self.method_combo.currentData()),
            reference_number=self.reference_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    def save(self) -> None:
        concerns, concern_id, data = (
            self._workspace.concerns,
            self._concern_id,
            self.referral_input(),
        )
        self.submit_write(lambda _task: concerns.add_referral(concern_id, data))


class OutcomeDialog(ConcernFormDialog):
    """The agency's decision. The notes replace the referral's notes, so they start as the
    notes already recorded: adding to them never loses what was there."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        reference: str,
        referral: ReferralView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker,
            workspace,
            concern_id,
            reference,
            "Record referral outcome",
            "&Record outcome",
            parent,
        )
        self.referral = referral
        self.outcome_combo = QComboBox(self)
        for outcome in ReferralOutcome:
            self.outcome_combo.addItem(outcome.label, outcome)
        self.outcome_combo.setCurrentIndex(self.outcome_combo.findData(referral.outcome))
        self.outcome_on_edit = date_edit(self, referral.outcome_on or date.today())
        self.support_ended_check = QCheckBox("Support has &ended, on", self)
        self.support_ended_check.setChecked(referral.support_ended_on is not None)
        self.support_ended_edit = date_edit(self, referral.support_ended_on or date.today())
        self.notes_edit = text_box(self, "What the agency decided and why", lines=4)
        self.notes_edit.setPlainText(referral.notes)
        self.form.addRow(
            "Referral:",
            QLabel(f"{referral.agency.label}, {day(referral.referred_on)}", self),
        )
        self.form.addRow("&Outcome:", self.outcome_combo)
        self.form.addRow("Outcome &received on:", self.outcome_on_edit)
        self.form.addRow(self.support_ended_check, self.support_ended_edit)
        self.form.addRow("&Notes:", self.notes_edit)
        self.add_note(
            "Reviews fall due 6 and 12 months after support ends; they appear in the timeline."
        )
        self.outcome_combo.currentIndexChanged.connect(self._update)
        self.support_ended_check.toggled.connect(self._update)
        self._update()
        self.finish_layout()

    def outcome(self) -> ReferralOutcome:
        return ReferralOutcome(self.outcome_combo.currentData())

    def _update(self) -> None:
        self.outcome_on_edit.setEnabled(self.outcome() is not ReferralOutcome.AWAITING)
        self.support_ended_edit.setEnabled(self.support_ended_check.isChecked())

    def save(self) -> None:
        concerns, referral_id = self._workspace.concerns, self.referral.id
        outcome = self.outcome()
        outcome_on = (
            to_date(self.outcome_on_edit) if outcome is not ReferralOutcome.AWAITING else None
        )
        ended = to_date(self.support_ended_edit) if self.support_ended_check.isChecked() else None
        notes = self.notes_edit.toPlainText()

        def write(_task: object) -> ChangeSet:
            return concerns.record_referral_outcome(
                referral_id, outcome, outcome_on=outcome_on, support_ended_on=ended, notes=notes
            )

        self.submit_write(write)


class ReferralReviewDialog(ConcernFormDialog):
    """Recording that the 6- or 12-month review took place."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        reference: str,
        referral: ReferralView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker,
            workspace,
            concern_id,
            reference,
            "Record referral review",
            "&Record review",
            parent,
        )
        self.referral = referral
        self.months_combo = QComboBox(self)
        for review in referral.reviews:
            done = f", done {day(review.done_on)}" if review.done_on else ""
            self.months_combo.addItem(
                f"{review.months}-month review (due {day(review.due_on)}{done})", review.months
            )
        # The first review not yet done is the one most likely being recorded.
        pending = [i for i, r in enumerate(referral.reviews) if r.done_on is None]
        if pending:
            self.months_combo.setCurrentIndex(pending[0])
        self.done_edit = date_edit(self, date.today())
        self.form.addRow(
            "Referral:", QLabel(f"{referral.agency.label}, {day(referral.referred_on)}", self)
        )
        self.form.addRow("Re&view:", self.months_combo)
        self.form.addRow("&Done on *", self.done_edit)
        if not referral.reviews:
            self.message.note(
                "Reviews fall due once support has ended: record the outcome with the date "
                "support ended first."
            )
            self.save_button.setEnabled(False)
        self.finish_layout()

    def save(self) -> None:
        concerns, referral_id = self._workspace.concerns, self.referral.id
        months, done_on = int(self.months_combo.currentData()), to_date(self.done_edit)
        self.submit_write(
            lambda _task: concerns.record_referral_review(referral_id, months, done_on)
        )
