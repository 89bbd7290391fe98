"""How concerns were handled, as counts for the strategy's evidence: from the concern log's
unsealed columns (dates, status, workflow steps, referrals), so no safeguarding key is needed
and nothing says who a concern was about or what was seen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from sqlalchemy import select
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
    concerns = session.scalars(select(Concern).where(Concern.deleted.is_(False))).all()
    live = {c.id for c in concerns}
    first_step: dict[str, datetime] = {}
    closed = 0
    for step in session.scalars(
        select(ConcernStep).where(ConcernStep.deleted.is_(False)).order_by(ConcernStep.at)
    ):
        if step.concern_id not in live:
            continue
        first_step.setdefault(step.concern_id, step.at)
        if step.to_status == ConcernStatus.CLOSED.value and low <= _aware(step.at) < high:
            closed += 1
    recorded = [c for c in concerns if low <= _aware(c.created_at) < high]
    waits = [
        (_aware(first_step[c.id]) - _aware(c.created_at)).total_seconds() / 3600
        for c in recorded
        if c.id in first_step
    ]
    referrals = [
        r
        for r in session.scalars(
            select(ConcernReferral).where(
                ConcernReferral.deleted.is_(False),
                ConcernReferral.referred_on >= start,
                ConcernReferral.referred_on <= today,
            )
        )
        if r.concern_id in live
    ]
    return ConcernFigures(
        start=start,
        end=today,
        recorded=len(recorded),
        closed=closed,
        open_now=sum(c.status != ConcernStatus.CLOSED.value for c in concerns),
        referrals=len(referrals),
        referrals_awaiting=sum(r.outcome == ReferralOutcome.AWAITING.value for r in referrals),
        reviewed=len(waits),
        awaiting_review=len(recorded) - len(waits),
        median_hours_to_review=max(0.0, median(waits)) if waits else None,
    )


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes where a column was written without a zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
