"""The risk register's dates and counts the Overview needs, each asked of SQL.

The register tab reads every risk with its action plan (5,000 risks and 15,000 actions at head
office, about half a second); the Overview wants only the open risks' counts, the reviews and
actions due by today, and never waits for that read. What "overdue" means stays with the
domain: the statuses come from RiskStatus and ActionStatus, and a date is compared as RiskView
compares it (tests/unit/test_overview.py checks the two agree on the demo register).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from prevent_desktop.domain.risk import ActionStatus, Rag, RagThresholds, RiskStatus
from prevent_desktop.domain.risk import reference_number as number_of
from prevent_desktop.store.database import Database
from prevent_desktop.store.risk_models import Risk, RiskAction


@dataclass(frozen=True)
class DatedRisk:
    reference: str
    title: str
    on: date  # its next review


@dataclass(frozen=True)
class DatedAction:
    reference: str  # the risk's
    description: str
    on: date  # the action's due date


@dataclass(frozen=True)
class RiskReminders:
    open_risks: int  # not closed
    reviewed: int  # of those, reviewed at least once
    by_rag: dict[Rag, int]  # open risks by their residual score's band
    reviews: tuple[DatedRisk, ...]  # open risks' reviews due by today, soonest first
    actions: tuple[DatedAction, ...]  # unfinished actions due by today, by risk then date

    def reviews_before(self, day: date) -> list[DatedRisk]:
        return [review for review in self.reviews if review.on < day]

    def actions_before(self, day: date) -> list[DatedAction]:
        return [action for action in self.actions if action.on < day]


def risk_reminders(database: Database, thresholds: RagThresholds, today: date) -> RiskReminders:
    is_open = (Risk.deleted.is_(False), Risk.status != RiskStatus.CLOSED.value)
    finished = [status.value for status in ActionStatus if status.finished]
    with database.reader() as session:
        scores = session.execute(
            select(
                Risk.residual_likelihood * Risk.residual_impact,
                func.count(),
                func.count(Risk.last_reviewed_at),
            )
            .where(*is_open)
            .group_by(Risk.residual_likelihood * Risk.residual_impact)
        ).all()
        reviews = session.execute(
            select(Risk.reference, Risk.title, Risk.next_review_on).where(
                *is_open, Risk.next_review_on <= today
            )
        ).all()
        actions = session.execute(
            select(Risk.reference, RiskAction.description, RiskAction.due_on)
            .join(Risk, Risk.id == RiskAction.risk_id)
            .where(
                *is_open,
                RiskAction.deleted.is_(False),
                RiskAction.status.not_in(finished),
                RiskAction.due_on <= today,
            )
        ).all()
    by_rag = dict.fromkeys(Rag, 0)
    for score, count, _reviewed in scores:
        by_rag[thresholds.rag(score)] += count
    return RiskReminders(
        open_risks=sum(count for _score, count, _reviewed in scores),
        reviewed=sum(reviewed for _score, _count, reviewed in scores),
        by_rag=by_rag,
        reviews=tuple(
            DatedRisk(reference, title, on)
            for reference, title, on in sorted(
                reviews, key=lambda row: (row[2], number_of(row[0]), row[0])
            )
        ),
        actions=tuple(
            DatedAction(reference, description, on)
            for reference, description, on in sorted(
                actions, key=lambda row: (number_of(row[0]), row[0], row[2])
            )
        ),
    )
