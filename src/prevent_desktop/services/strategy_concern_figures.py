"""How concerns were handled, as counts for the strategy's evidence: from the concern log's
unsealed columns (dates, status, workflow steps, referrals), so no safeguarding key is needed
and nothing says who a concern was about or what was seen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import ConcernStatus, ReferralOutcome
from prevent_desktop.domain.risk import add_months
from prevent_desktop.services.strategy_evidence_views import ConcernFigures
from prevent_desktop.store.concern_models import Concern, ConcernReferral, ConcernStep

PERIOD_MONTHS = 12


def concern_figures(session: Session, today: date) -> ConcernFigures:
    """The last twelve months to `today` (UTC days, as the concern statistics count them)."""
    start = add_months(today, -PERIOD_MONTHS) + timedelta(days=1)
    low = datetime.combine(start, time.min, UTC)
    high = datetime.combine(today + timedelta(days=1), time.min, UTC)
    # Counted by SQL, from the indexes ix_concern_recorded and ix_concern_step_timeline:
    # at head office (50,000 concerns, 160,000 steps) reading them as objects took twelve
    # seconds, and as rows most of two. The moments are fixed-width UTC text
    # (store.models.UtcDateTime), so they compare as text, and julianday reads them.
    live = Concern.deleted.is_(False)
    recorded_in_period = (live, Concern.created_at >= low, Concern.created_at < high)
    live_step = ConcernStep.deleted.is_(False)
    closed_value = ConcernStatus.CLOSED.value

    def count(*conditions: Any) -> int:
        return session.scalar(select(func.count()).select_from(Concern).where(*conditions)) or 0

    closed = (
        session.scalar(
            select(func.count())
            .select_from(ConcernStep)
            .join(Concern, Concern.id == ConcernStep.concern_id)
            .where(
                live,
                live_step,
                ConcernStep.to_status == closed_value,
                ConcernStep.at >= low,
                ConcernStep.at < high,
            )
        )
        or 0
    )
    # Hours from each recorded concern to its first workflow step (its first review).
    first_step = (
        select(func.min(ConcernStep.at))
        .where(ConcernStep.concern_id == Concern.id, live_step)
        .scalar_subquery()
    )
    # Seconds to the millisecond (julianday's own resolution): whole minutes stay whole.
    waits = [
        round(seconds, 3) / 3600
        for seconds in session.scalars(
            select((func.julianday(first_step) - func.julianday(Concern.created_at)) * 86400).where(
                *recorded_in_period
            )
        )
        if seconds is not None
    ]
    referrals = session.execute(
        select(ConcernReferral.outcome, func.count())
        .join(Concern, Concern.id == ConcernReferral.concern_id)
        .where(
            live,
            ConcernReferral.deleted.is_(False),
            ConcernReferral.referred_on >= start,
            ConcernReferral.referred_on <= today,
        )
        .group_by(ConcernReferral.outcome)
    ).all()
    recorded = count(*recorded_in_period)
    return ConcernFigures(
        start=start,
        end=today,
        recorded=recorded,
        closed=closed,
        open_now=count(live, Concern.status != closed_value),
        referrals=sum(n for _outcome, n in referrals),
        referrals_awaiting=sum(
            n for outcome, n in referrals if outcome == ReferralOutcome.AWAITING.value
        ),
        reviewed=len(waits),
        awaiting_review=recorded - len(waits),
        median_hours_to_review=max(0.0, median(waits)) if waits else None,
    )
