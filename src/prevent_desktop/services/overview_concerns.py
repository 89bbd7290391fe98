"""The concern log's dates and counts the Overview needs, read from the unsealed columns only:
no safeguarding key is needed, and nothing that names anyone leaves the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from prevent_desktop.domain.concern import ConcernStatus
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.concern_base import review_dates, reviews_of
from prevent_desktop.services.context import Actor
from prevent_desktop.store.concern_models import Concern
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
    actor.require(Permission.LIST_CONCERNS, "see the concern counts")
    with database.reader() as session:
        concerns = session.execute(
            select(Concern.id, Concern.reference, Concern.status, Concern.next_follow_up_on)
            .where(Concern.deleted.is_(False))
            .order_by(Concern.created_at)
        ).all()
        references = {row.id: row.reference for row in concerns}
        reviews = tuple(
            DatedConcern(
                concern_id,
                references.get(concern_id, ""),
                review.due_on,
                f"{review.months}-month referral review",
            )
            for concern_id, *dates in review_dates(session)
            for review in reviews_of(*dates)
            if review.done_on is None and concern_id in references
        )
    return ConcernReminders(
        awaiting_lead=tuple(
            (row.id, row.reference) for row in concerns if row.status == ConcernStatus.REPORTED
        ),
        follow_ups=tuple(
            DatedConcern(row.id, row.reference, row.next_follow_up_on, "follow-up")
            for row in concerns
            if row.next_follow_up_on is not None and row.status != ConcernStatus.CLOSED
        ),
        referral_reviews=tuple(sorted(reviews, key=lambda r: r.on)),
    )
