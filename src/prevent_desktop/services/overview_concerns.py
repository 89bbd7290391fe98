"""The concern log's dates and counts the Overview needs, read from the unsealed columns only:
no safeguarding key is needed, and nothing that names anyone leaves the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from prevent_desktop.domain.concern import ConcernStatus
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.concern_base import reviews_of
from prevent_desktop.services.context import Actor
from prevent_desktop.store.concern_models import Concern, ConcernReferral
from prevent_desktop.store.database import Database


@dataclass(frozen=True)
class DatedConcern:
    concern_id: str
    reference: str
    on: date
    what: str  # "follow-up", "6-month referral review"


@dataclass(frozen=True)
class ConcernReminders:
    awaiting_lead: tuple[tuple[str, str], ...]  # (id, reference), oldest first
    follow_ups: tuple[DatedConcern, ...]  # open concerns' next follow-up dates
    referral_reviews: tuple[DatedConcern, ...]  # reviews not yet recorded


def concern_reminders(database: Database, actor: Actor) -> ConcernReminders:
    """Each list asks SQL for only its own concerns (at head office, reading all 50,000 to
    keep a few took a second)."""
    actor.require(Permission.LIST_CONCERNS, "see the concern counts")
    live = Concern.deleted.is_(False)
    with database.reader() as session:
        awaiting = session.execute(
            select(Concern.id, Concern.reference)
            .where(live, Concern.status == ConcernStatus.REPORTED.value)
            .order_by(Concern.created_at)
        ).all()
        # "On or after the first day there is" rather than IS NOT NULL: SQLite then reads the
        # dated few through ix_concern_follow_up instead of every concern and its sealed
        # details (0.28 s -> 0.08 s at head office). Sorted here, as they were recorded.
        follow_ups = sorted(
            session.execute(
                select(
                    Concern.id, Concern.reference, Concern.next_follow_up_on, Concern.created_at
                ).where(
                    live,
                    Concern.next_follow_up_on >= date.min,
                    Concern.status != ConcernStatus.CLOSED.value,
                )
            ),
            key=lambda row: row.created_at,
        )
        referrals = session.execute(
            select(
                ConcernReferral.concern_id,
                Concern.reference,
                ConcernReferral.support_ended_on,
                ConcernReferral.review_6_done_on,
                ConcernReferral.review_12_done_on,
            )
            .join(Concern, Concern.id == ConcernReferral.concern_id)
            .where(
                live,
                ConcernReferral.deleted.is_(False),
                ConcernReferral.support_ended_on.is_not(None),
            )
        ).all()
    reviews = (
        DatedConcern(concern_id, reference, review.due_on, f"{review.months}-month referral review")
        for concern_id, reference, *dates in referrals
        for review in reviews_of(*dates)
        if review.done_on is None
    )
    return ConcernReminders(
        awaiting_lead=tuple((row.id, row.reference) for row in awaiting),
        follow_ups=tuple(
            DatedConcern(row.id, row.reference, row.next_follow_up_on, "follow-up")
            for row in follow_ups
        ),
        referral_reviews=tuple(sorted(reviews, key=lambda r: r.on)),
    )
