"""The safeguarding lead's work on a concern: workflow steps with their rationale, the
chronology, referrals and their reviews, attachments, legal hold and deletion."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ImmediateRisk,
    ReferralOutcome,
    check_transition,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.concern_base import (
    MAX_ATTACHMENT_BYTES,
    MAX_TEXT,
    ConcernBase,
)
from prevent_desktop.services.concern_records import (
    child_context,
    context,
    live_concern,
)
from prevent_desktop.services.concern_views import (
    ConcernDetails,
    ReferralInput,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.store.concern_models import (
    ConcernAccess,
    ConcernAttachment,
    ConcernEntry,
    ConcernReferral,
    ConcernStep,
)
from prevent_desktop.store.models import User, new_id, utc_now
from prevent_desktop.store.risk_models import Risk


class ConcernDecisions(ConcernBase):
    def change_status(
        self, concern_id: str, to_status: ConcernStatus, rationale: str, *, on: date | None = None
    ) -> ChangeSet:
        """Move the concern on: who, when, the decision and why. A rationale is required,
        a decision of no further action included."""
        cipher = self._lead_cipher("decide on concerns")
        self.actor.require(Permission.DECIDE_CONCERNS, "decide on concerns")
        if not rationale.strip():
            raise ValidationError(
                "Give the reasons for this decision. A rationale is required for every step, "
                "including no further action."
            )
        now = self.now()
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            current = ConcernStatus(concern.status)
            problem = check_transition(current, to_status)
            if problem:
                raise ValidationError(problem)
            step = ConcernStep(
                id=new_id(),
                concern_id=concern_id,
                from_status=current.value,
                to_status=to_status.value,
                at=now,
                created_at=now,
                by_user_id=self.actor.user_id,
                by_name=self.actor.display_name,
                by_role=self.actor.role_label,
            )
            step.rationale_sealed = cipher.encrypt(
                rationale.strip().encode(), child_context("concern_step", step, "rationale")
            )
            session.add(step)
            concern.status = to_status.value
            concern.status_changed_at = now
            if concern.assigned_lead_user_id is None:
                concern.assigned_lead_user_id = self.actor.user_id
            concern.closed_on = (on or date.today()) if to_status is ConcernStatus.CLOSED else None
            born = self._details(cipher, concern).person.date_of_birth
            concern.review_by = self.retention_rule().review_by(born, concern.closed_on)
        return ChangeSet("concern", "update", (concern_id,))

    def assign_lead(self, concern_id: str, user_id: str | None) -> ChangeSet:
        self._lead_cipher("assign concerns")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if user_id is not None:
                user = session.get(User, user_id)
                if user is None or not user.active or not user.is_safeguarding_lead_or_role:
                    raise ValidationError("Concerns can only be assigned to an active lead.")
            concern.assigned_lead_user_id = user_id
        return ChangeSet("concern", "update", (concern_id,))

    def set_follow_up(self, concern_id: str, on: date | None) -> ChangeSet:
        self._lead_cipher("set follow-up dates")
        with self._writer() as session:
            live_concern(session, concern_id).next_follow_up_on = on
        return ChangeSet("concern", "update", (concern_id,))

    def link_risk(self, concern_id: str, risk_id: str | None) -> ChangeSet:
        self._lead_cipher("link concerns to risks")
        with self._writer() as session:
            if risk_id is not None:
                live_record(session, Risk, risk_id, "risk")
            live_concern(session, concern_id).risk_id = risk_id
        return ChangeSet("concern", "update", (concern_id,))

    def amend_details(
        self,
        concern_id: str,
        details: ConcernDetails,
        reason: str,
        *,
        concern_type: str | None = None,
        immediate_risk: ImmediateRisk | None = None,
    ) -> ChangeSet:
        """A lead corrects who the concern is about, its type or risk level, or adds what was
        learnt later. The reporter's own copy stays as they wrote it, and a chronology entry
        says what changed and why."""
        cipher = self._lead_cipher("amend concerns")
        if not reason.strip():
            raise ValidationError("Say why the details are being amended.")
        if not details.account.strip():
            raise ValidationError("The account cannot be left empty.")
        if concern_type is not None and not concern_type.strip():
            raise ValidationError("Choose the type of concern.")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if concern_type is not None:
                concern.concern_type = concern_type.strip()
            if immediate_risk is not None:
                concern.immediate_risk = immediate_risk.value
            concern.details_sealed = cipher.encrypt(
                details.to_bytes(), context("concern", concern_id, "details")
            )
            concern.review_by = self.retention_rule().review_by(
                details.person.date_of_birth, concern.closed_on
            )
            self._add_entry(
                session, cipher, concern_id, EntryKind.CORRECTION, f"Details amended: {reason}"
            )
        return ChangeSet("concern", "update", (concern_id,))

    def add_entry(
        self,
        concern_id: str,
        kind: EntryKind,
        body: str,
        *,
        occurred_at: datetime | None = None,
        corrects_entry_id: str | None = None,
    ) -> ChangeSet:
        """Append to the chronology. Entries are never edited: a correction is a new entry
        pointing at the one it corrects."""
        cipher = self._lead_cipher("add to the chronology")
        if not body.strip():
            raise ValidationError("Write the entry: what happened, who was involved, what next.")
        if len(body) > MAX_TEXT:
            raise ValidationError(f"An entry can be at most {MAX_TEXT:,} characters.")
        if occurred_at is not None and occurred_at > utc_now() + timedelta(minutes=5):
            raise ValidationError("An entry cannot be dated in the future.")
        if corrects_entry_id is not None:
            kind = EntryKind.CORRECTION
        with self._writer() as session:
            live_concern(session, concern_id)
            if corrects_entry_id is not None:
                target = session.get(ConcernEntry, corrects_entry_id)
                if target is None or target.deleted or target.concern_id != concern_id:
                    raise ValidationError("The entry to correct is not in this chronology.")
            entry = self._add_entry(
                session, cipher, concern_id, kind, body.strip(), occurred_at, corrects_entry_id
            )
            return ChangeSet("concern_entry", "create", (entry.id,))

    def add_referral(self, concern_id: str, data: ReferralInput) -> ChangeSet:
        cipher = self._lead_cipher("record referrals")
        if data.referred_on > date.today():
            raise ValidationError("A referral cannot be dated in the future.")
        with self._writer() as session:
            live_concern(session, concern_id)
            referral = ConcernReferral(
                id=new_id(),
                concern_id=concern_id,
                agency=data.agency.value,
                referred_on=data.referred_on,
                method=data.method.value,
                outcome=ReferralOutcome.AWAITING.value,
                recorded_by_name=self.actor.display_name,
            )
            referral.reference_sealed = cipher.encrypt(
                data.reference_number.strip().encode(),
                child_context("concern_referral", referral, "reference"),
            )
            referral.notes_sealed = cipher.encrypt(
                data.notes.strip().encode(), child_context("concern_referral", referral, "notes")
            )
            session.add(referral)
            return ChangeSet("concern_referral", "create", (referral.id,))

    def record_referral_outcome(
        self,
        referral_id: str,
        outcome: ReferralOutcome,
        *,
        outcome_on: date | None,
        support_ended_on: date | None = None,
        notes: str | None = None,
    ) -> ChangeSet:
        """The agency's decision; when support ends, reviews fall due at 6 and 12 months."""
        cipher = self._lead_cipher("record referral outcomes")
        today = date.today()
        if outcome is not ReferralOutcome.AWAITING and outcome_on is None:
            raise ValidationError("Give the date the outcome was received.")
        for label, day in (("outcome", outcome_on), ("end of support", support_ended_on)):
            if day is not None and day > today:
                raise ValidationError(f"The {label} date cannot be in the future.")
        with self._writer() as session:
            referral = live_record(session, ConcernReferral, referral_id, "referral")
            if outcome_on is not None and outcome_on < referral.referred_on:
                raise ValidationError("The outcome cannot come before the referral was made.")
            referral.outcome = outcome.value
            referral.outcome_on = outcome_on
            referral.support_ended_on = support_ended_on
            if notes is not None:
                referral.notes_sealed = cipher.encrypt(
                    notes.strip().encode(), child_context("concern_referral", referral, "notes")
                )
        return ChangeSet("concern_referral", "update", (referral_id,))

    def record_referral_review(self, referral_id: str, months: int, done_on: date) -> ChangeSet:
        self._lead_cipher("record referral reviews")
        if months not in (6, 12):
            raise ValidationError("Referral reviews are at 6 and 12 months.")
        if done_on > date.today():
            raise ValidationError("A review cannot be dated in the future.")
        with self._writer() as session:
            referral = live_record(session, ConcernReferral, referral_id, "referral")
            if referral.support_ended_on is None:
                raise ValidationError("Record when support ended before recording its reviews.")
            setattr(referral, f"review_{months}_done_on", done_on)
        return ChangeSet("concern_referral", "update", (referral_id,))

    def add_attachment(self, concern_id: str, name: str, content: bytes) -> ChangeSet:
        cipher = self._lead_cipher("add attachments")
        name = name.strip() or "attachment"
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                f"'{name}' is {len(content) / 1_048_576:.1f} MB; an attachment can be at most "
                f"{MAX_ATTACHMENT_BYTES // 1_048_576} MB. Make it smaller (scan at a lower "
                "resolution, or send a photo at a smaller size), or keep it in your secure "
                "records system and say where in the chronology."
            )
        if not content:
            raise ValidationError(f"'{name}' is empty; nothing was attached.")
        with self._writer() as session:
            live_concern(session, concern_id)
            attachment = ConcernAttachment(
                id=new_id(),
                concern_id=concern_id,
                created_at=self.now(),
                size_bytes=len(content),
                added_by_name=self.actor.display_name,
                added_by_role=self.actor.role_label,
            )
            attachment.name_sealed = cipher.encrypt(
                name.encode(), child_context("concern_attachment", attachment, "name")
            )
            attachment.content_sealed = cipher.encrypt(
                content, child_context("concern_attachment", attachment, "content")
            )
            session.add(attachment)
            return ChangeSet("concern_attachment", "create", (attachment.id,))

    def set_legal_hold(self, concern_id: str, on: bool, reason: str) -> ChangeSet:
        cipher = self._lead_cipher("place legal holds")
        if not reason.strip():
            raise ValidationError("Say why the legal hold is placed or lifted.")
        with self._writer() as session:
            live_concern(session, concern_id).legal_hold = on
            verb = "placed" if on else "lifted"
            self._add_entry(
                session, cipher, concern_id, EntryKind.NOTE, f"Legal hold {verb}: {reason}"
            )
        return ChangeSet("concern", "update", (concern_id,))

    def delete_concern(self, concern_id: str, reason: str) -> ChangeSet:
        """Delete at the end of retention: a tombstone, with the sealed content erased from
        the concern and everything under it. The audit log keeps that it happened, by whom."""
        cipher = self._lead_cipher("delete concerns")
        if not reason.strip():
            raise ValidationError("Say why the concern is being deleted.")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if concern.legal_hold:
                raise ValidationError(
                    f"{concern.reference} is on legal hold and cannot be deleted. Lift the hold "
                    "first, giving the reason."
                )
            concern.deleted = True
            concern.details_sealed = b""
            concern.reporter_copy_sealed = None
            erase_children(session, concern_id)
            purge_kept_versions(session, concern_id)
            # The reason may name people, and the access log is readable by anyone who opens
            # the database: it is sealed like the rest.
            deletion = ConcernAccess(
                id=new_id(),
                concern_id=concern_id,
                user_id=self.actor.user_id,
                user_name=self.actor.display_name,
                user_role=self.actor.role_label,
                at=self.now(),
                purpose="Deleted at the end of its retention",
            )
            deletion.note_sealed = cipher.encrypt(
                reason.strip().encode(), child_context("concern_access", deletion, "note")
            )
            session.add(deletion)
        return ChangeSet("concern", "delete", (concern_id,))


def erase_children(session: Session, concern_id: str) -> int:
    """Erase what lies under a deleted concern (its sealed content; tombstones stay so the
    erasure travels). Returns how many records were erased now."""
    erased = 0
    for entry in session.scalars(
        select(ConcernEntry).where(
            ConcernEntry.concern_id == concern_id, ConcernEntry.deleted.is_(False)
        )
    ):
        entry.deleted, entry.body_sealed = True, b""
        erased += 1
    for step in session.scalars(
        select(ConcernStep).where(
            ConcernStep.concern_id == concern_id, ConcernStep.deleted.is_(False)
        )
    ):
        step.deleted, step.rationale_sealed = True, b""
        erased += 1
    for referral in session.scalars(
        select(ConcernReferral).where(
            ConcernReferral.concern_id == concern_id, ConcernReferral.deleted.is_(False)
        )
    ):
        referral.deleted = True
        referral.reference_sealed = referral.notes_sealed = b""
        erased += 1
    for attachment in session.scalars(
        select(ConcernAttachment).where(
            ConcernAttachment.concern_id == concern_id, ConcernAttachment.deleted.is_(False)
        )
    ):
        attachment.deleted = True
        attachment.name_sealed = attachment.content_sealed = b""
        erased += 1
    return erased


def purge_kept_versions(session: Session, concern_id: str) -> None:
    """Versions of the concern, or of anything under it, kept on the sync Conflicts list go
    with the erasure: a kept version would keep the erased content."""
    from prevent_desktop.store.sync_models import SyncConflict

    ids = [concern_id]
    for child in (ConcernEntry, ConcernStep, ConcernReferral, ConcernAttachment):
        ids += session.scalars(select(child.id).where(child.concern_id == concern_id)).all()
    session.execute(delete(SyncConflict).where(SyncConflict.record_id.in_(ids)))
