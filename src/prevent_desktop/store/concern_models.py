"""The concern log's tables.

Columns ending in `_sealed` hold safeguarding content encrypted again to the site's
safeguarding key (store/sealing.py): opening the database, even with its recovery key, does not
reveal who a concern is about or what was seen. The rest (reference, dates, status, type, risk
level, assigned lead) is what a manager may see in the list and what the statistics count.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevent_desktop.store.models import Base, SyncedRecord, UtcDateTime, name_id


class ConcernOption(SyncedRecord, Base):
    """One entry of a configurable list: an indicator or a type of concern."""

    __tablename__ = "concern_option"
    record_type = "concern_option"

    kind: Mapped[str] = mapped_column(String(16))  # "indicator" or "type"
    label: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def natural_id(self) -> str | None:
        return name_id("concern_option", self.kind or "", self.label) if self.label else None


class Concern(SyncedRecord, Base):
    __tablename__ = "concern"
    record_type = "concern"
    audit_redacted = frozenset({"details_sealed", "reporter_copy_sealed"})

    reference: Mapped[str] = mapped_column(String(16))
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reported_by_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reported_by_name: Mapped[str] = mapped_column(String(200))
    reported_by_role: Mapped[str] = mapped_column(String(80))
    concern_type: Mapped[str] = mapped_column(String(200))
    immediate_risk: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(32), default="reported")
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    assigned_lead_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    risk_id: Mapped[str | None] = mapped_column(ForeignKey("risk.id"), nullable=True)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who the concern is about and what was seen: for the leads, and a copy for the reporter.
    details_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    reporter_copy_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (
        Index("ix_concern_reference", "reference"),
        # Counts by status skip deleted rows without reading them.
        Index("ix_concern_status", "status", "deleted"),
        Index("ix_concern_reporter", "reported_by_user_id"),
        # The Overview's follow-ups due, oldest first.
        Index("ix_concern_follow_up", "next_follow_up_on", "status", "deleted"),
        Index("ix_concern_risk", "risk_id"),
        # Counts by when concerns were recorded (the strategy's figures) without reading
        # each row's sealed details.
        Index("ix_concern_recorded", "deleted", "created_at", "status", "id"),
        # Every live concern's stamp, for a lead's session to see which people it knows (not
        # led by `deleted`, which would draw other queries to it: see migration 0010).
        Index("ix_concern_stamp", "id", "hlc", "deleted"),
    )


class ConcernStep(SyncedRecord, Base):
    """One step of the workflow: who moved the concern, from what to what, when and why.
    Append-only."""

    __tablename__ = "concern_step"
    record_type = "concern_step"
    audit_redacted = frozenset({"rationale_sealed"})

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    by_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    by_name: Mapped[str] = mapped_column(String(200))
    by_role: Mapped[str] = mapped_column(String(80), default="")
    rationale_sealed: Mapped[bytes] = mapped_column(LargeBinary)

    # The strategy's concern figures (each concern's first step, the closures) read from the
    # index alone, never the sealed rationales.
    __table_args__ = (
        Index("ix_concern_step_timeline", "deleted", "concern_id", "at", "to_status"),
    )


class ConcernEntry(SyncedRecord, Base):
    """One entry of the chronology. Never edited: a database trigger refuses updates other than
    the erasure that comes with deleting the concern at the end of its retention."""

    __tablename__ = "concern_entry"
    record_type = "concern_entry"
    audit_redacted = frozenset({"body_sealed"})

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    author_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    author_name: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(80), default="")
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    corrects_entry_id: Mapped[str | None] = mapped_column(
        ForeignKey("concern_entry.id"), nullable=True
    )

    __table_args__ = (Index("ix_concern_entry_corrects", "corrects_entry_id"),)


class ConcernReferral(SyncedRecord, Base):
    __tablename__ = "concern_referral"
    record_type = "concern_referral"
    audit_redacted = frozenset({"reference_sealed", "notes_sealed"})

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    agency: Mapped[str] = mapped_column(String(32))
    referred_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32), default="awaiting")
    outcome_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    support_ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_6_done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_12_done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    # The agency's reference number and notes can name people: sealed.
    reference_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    notes_sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ConcernAttachment(SyncedRecord, Base):
    __tablename__ = "concern_attachment"
    record_type = "concern_attachment"
    audit_redacted = frozenset({"name_sealed", "content_sealed"})

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    added_by_name: Mapped[str] = mapped_column(String(200))
    added_by_role: Mapped[str] = mapped_column(String(80), default="")
    name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ConcernAccess(SyncedRecord, Base):
    """Someone opened a concern's details (or an attachment, or printed it). Append-only; the
    audit chain records its creation too."""

    __tablename__ = "concern_access"
    record_type = "concern_access"
    audit_redacted = frozenset({"note_sealed"})

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    user_name: Mapped[str] = mapped_column(String(200))
    user_role: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    purpose: Mapped[str] = mapped_column(Text)  # fixed wording only: this column is not sealed
    note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ConcernPersonIndex(Base):
    """Who each concern is about, as a lead's list last opened it: this laptop's own index,
    never synced and never audited (like a search index, it is derived from the concern).

    Most concerns are logged by staff, sealed to the site's public key, and opening each takes
    an X25519 agreement: 2.5 s of every lead's first list at head office (issue 9). The index
    keeps the person re-encrypted under the leads' content key (store/sealing.py), bound to
    the concern and to its clock stamp as it was (the stamp moves with every change, here or
    by sync), so a changed concern is opened afresh and an unchanged one's sealed details are
    not even read. Database triggers (migration 0009) delete a concern's entry when its
    details change, it is deleted or written anew, so an erasure at the end of retention
    takes the index with it.
    """

    __tablename__ = "concern_person_index"

    concern_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    concern_stamp: Mapped[str] = mapped_column(String(80))
    person_sealed: Mapped[bytes] = mapped_column(LargeBinary)
