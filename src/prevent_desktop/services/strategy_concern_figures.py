"""How concerns were handled, as counts for the strategy's evidence: from the concern log's
unsealed columns (dates, status, workflow steps, referrals), so no safeguarding key is needed
and nothing says who a concern was about or what was seen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from statistics import median

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
    # Columns, not objects, and the first step of each concern found by SQL: at head office
    # (50,000 concerns, 150,000 steps) reading them as objects took twelve seconds.
    concerns = session.execute(
        select(Concern.id, Concern.created_at, Concern.status).where(Concern.deleted.is_(False))
    ).all()
    live = {c.id for c in concerns}
    live_step = ConcernStep.deleted.is_(False)
    first_step: dict[str, datetime] = {
        concern_id: at
        for concern_id, at in session.execute(
            select(ConcernStep.concern_id, func.min(ConcernStep.at))
            .where(live_step)
            .group_by(ConcernStep.concern_id)
        )
    }
    closed = sum(
        1
        for concern_id, at in session.execute(
            select(ConcernStep.concern_id, ConcernStep.at).where(
                live_step, ConcernStep.to_status == ConcernStatus.CLOSED.value
            )
        )
        if concern_id in live and low <= _aware(at) < high
    )
    recorded = [c for c in concerns if low <= _aware(c.created_at) < high]
    waits = [
        (_aware(first_step[c.id]) - _aware(c.created_at)).total_seconds() / 3600
        for c in recorded
        if c.id in first_step
    ]
    referrals = [
        outcome
        for concern_id, outcome in session.execute(
            select(ConcernReferral.concern_id, ConcernReferral.outcome).where(
                ConcernReferral.deleted.is_(False),
                ConcernReferral.referred_on >= start,
                ConcernReferral.referred_on <= today,
            )
        )
        if concern_id in live
    ]
    return ConcernFigures(
        start=start,
        end=today,
        recorded=len(recorded),
        closed=closed,
        open_now=sum(c.status != ConcernStatus.CLOSED.value for c in concerns),
        referrals=len(referrals),
        referrals_awaiting=sum(outcome == ReferralOutcome.AWAITING.value for outcome in referrals),
        reviewed=len(waits),
        awaiting_review=len(recorded) - len(waits),
        median_hours_to_review=max(0.0, median(waits)) if waits else None,
    )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes where a column was written without a zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
