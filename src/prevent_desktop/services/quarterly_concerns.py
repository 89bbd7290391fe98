"""The quarterly return's concerns: statistics for everyone who may send a return, and one
record per concern when a safeguarding lead chooses to send them.

Statistics come from the columns a manager may see (reference, dates, type, risk level,
status, referral agency and outcome: never who or what), each worked out as it stood at the
end of the quarter (or today, while the quarter runs): a concern's status from its workflow
steps, a referral's outcome from the date it was recorded. Records read the sealed details
through the concern service, which logs an access entry per concern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from prevent_desktop.domain.concern import (
    ConcernStatus,
    ImmediateRisk,
    ReferralAgency,
    ReferralOutcome,
)
from prevent_desktop.services.concern_base import ordered_counts as _ordered
from prevent_desktop.services.quarterly_history import day_after, day_start, utc_day
from prevent_desktop.store.concern_models import Concern, ConcernReferral, ConcernStep

if TYPE_CHECKING:
    from prevent_desktop.domain.quarter import Quarter
    from prevent_desktop.services.workspace import Workspace

ACCESS_PURPOSE = "Quarterly return to head office"


@dataclass(frozen=True)
class _Case:
    """One concern as it stood at the end of the period, from unsealed columns only."""

    id: str
    reference: str
    recorded_at: datetime
    concern_type: str
    immediate_risk: ImmediateRisk
    status: ConcernStatus  # at the end of the period
    closed_on: date | None  # when it was closed, if closed at the end of the period
    closed_in_period: bool
    in_scope: bool  # recorded in, or open during, the period
    referrals: tuple[tuple[ReferralAgency, date, ReferralOutcome], ...]


def concerns_section(
    workspace: Workspace,
    quarter: Quarter,
    as_of: date,
    policy: str,
    pseudonym: Callable[[str], str] | None,
) -> dict[str, Any]:
    """Statistics always; records (oldest first) unless the policy is "statistics". The
    caller has checked the policy against the user's access."""
    service = workspace.concerns
    counted = service.statistics(quarter.start, quarter.end)  # checks the permission
    cases = _cases(workspace, quarter, as_of)
    low = day_start(quarter.start)
    recorded = [case for case in cases if case.recorded_at >= low]
    open_at_end = [case for case in cases if case.status is not ConcernStatus.CLOSED]
    made = [
        (agency, outcome)
        for case in cases
        for agency, made_on, outcome in case.referrals
        if quarter.start <= made_on <= as_of
    ]
    statistics = {
        "opened": counted.total,
        "closed": sum(case.closed_in_period for case in cases),
        "open_at_end": len(open_at_end),
        "by_type": counted.by_type,
        "by_status": _status_counts(recorded),
        "by_risk_level": _ordered(
            Counter(case.immediate_risk.label for case in recorded),
            (level.label for level in ImmediateRisk),
        ),
        "by_outcome": _ordered(
            Counter(outcome.label for case in recorded for _a, _d, outcome in case.referrals),
            (outcome.label for outcome in ReferralOutcome),
        ),
        "by_month": counted.by_month,
        "open_by_type": dict(Counter(case.concern_type for case in open_at_end).most_common()),
        "open_by_status": _status_counts(open_at_end),
        "referrals": {
            "made": len(made),
            "by_agency": _ordered(
                Counter(agency.label for agency, _o in made), (a.label for a in ReferralAgency)
            ),
            "by_outcome": _ordered(
                Counter(outcome.label for _a, outcome in made),
                (o.label for o in ReferralOutcome),
            ),
            "by_agency_and_outcome": [
                {"agency": agency.label, "outcome": outcome.label, "count": count}
                for (agency, outcome), count in sorted(
                    Counter(made).items(),
                    key=lambda item: (
                        list(ReferralAgency).index(item[0][0]),
                        list(ReferralOutcome).index(item[0][1]),
                    ),
                )
            ],
        },
    }
    records: list[dict[str, Any]] = []
    if policy != "statistics":
        in_scope = [case for case in cases if case.in_scope]
        records = _records(workspace, in_scope, as_of, policy, pseudonym)
    return {"statistics": statistics, "records": records}


def _records(
    workspace: Workspace,
    cases: list[_Case],
    as_of: date,
    policy: str,
    pseudonym: Callable[[str], str] | None,
) -> list[dict[str, Any]]:
    service = workspace.concerns
    keys = {summary.id: summary.person_key for summary in service.list_concerns(as_of)}
    records = []
    for case in cases:
        record: dict[str, Any] = {
            "reference": case.reference,
            "reported_on": utc_day(case.recorded_at).isoformat(),
            "type": case.concern_type,
            "immediate_risk": case.immediate_risk.value,
            "status": case.status.value,
            "referrals": [
                {"agency": agency.value, "made_on": made_on.isoformat(), "outcome": outcome.value}
                for agency, made_on, outcome in case.referrals
            ],
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        }
        if policy == "pseudonymised":
            assert pseudonym is not None
            service.note_printed(case.id, ACCESS_PURPOSE)
            # Someone unknown is never grouped: a pseudonym of their own concern.
            record["person"] = {"pseudonym": pseudonym(keys.get(case.id) or f"concern:{case.id}")}
        else:
            details = service.open_concern(case.id, as_of, purpose=ACCESS_PURPOSE).details
            person = details.person
            record["person"] = {
                "name": person.display(),
                "learner_reference": person.learner_reference,
                "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
                "employer": person.employer,
                "programme": person.programme,
            }
            record["account"] = details.account
        records.append(record)
    return records


def _cases(workspace: Workspace, quarter: Quarter, as_of: date) -> list[_Case]:
    """Every live concern recorded by the end of the period, oldest first."""
    low, high = day_start(quarter.start), day_after(as_of)
    with workspace.database.reader() as session:
        concerns = session.scalars(
            select(Concern)
            .where(Concern.deleted.is_(False), Concern.created_at < high)
            .order_by(Concern.created_at)
        ).all()
        steps: dict[str, list[ConcernStep]] = {}
        for step in session.scalars(
            select(ConcernStep).where(ConcernStep.deleted.is_(False)).order_by(ConcernStep.at)
        ):
            steps.setdefault(step.concern_id, []).append(step)
        referrals: dict[str, list[ConcernReferral]] = {}
        for referral in session.scalars(
            select(ConcernReferral)
            .where(ConcernReferral.deleted.is_(False), ConcernReferral.referred_on <= as_of)
            .order_by(ConcernReferral.referred_on)
        ):
            referrals.setdefault(referral.concern_id, []).append(referral)
        return [
            _case(concern, steps.get(concern.id, []), referrals.get(concern.id, []), low, as_of)
            for concern in concerns
        ]


def _case(
    concern: Concern,
    steps: list[ConcernStep],
    referrals: list[ConcernReferral],
    low: datetime,
    as_of: date,
) -> _Case:
    high = day_after(as_of)
    before_end = [step for step in steps if step.at < high]
    status = _status_at(concern, steps, high)
    closed_on = None
    if status is ConcernStatus.CLOSED:
        closing = before_end[-1] if before_end else None
        # The date the lead gave for the closure, unless the concern has moved on since.
        closed_on = (
            concern.closed_on
            if closing is None or (closing is steps[-1] and concern.closed_on is not None)
            else utc_day(closing.at)
        )
    in_period = [step for step in before_end if step.at >= low]
    in_scope = (
        concern.created_at >= low
        or _status_at(concern, steps, low) is not ConcernStatus.CLOSED
        or bool(in_period)
    )
    return _Case(
        id=concern.id,
        reference=concern.reference,
        recorded_at=concern.created_at,
        concern_type=concern.concern_type,
        immediate_risk=ImmediateRisk(concern.immediate_risk),
        status=status,
        closed_on=closed_on,
        closed_in_period=any(step.to_status == ConcernStatus.CLOSED.value for step in in_period),
        in_scope=in_scope,
        referrals=tuple(
            (
                ReferralAgency(r.agency),
                r.referred_on,
                # An outcome recorded after the period was still awaited at its end.
                ReferralOutcome(r.outcome)
                if r.outcome_on is None or r.outcome_on <= as_of
                else ReferralOutcome.AWAITING,
            )
            for r in referrals
        ),
    )


def _status_at(concern: Concern, steps: list[ConcernStep], moment: datetime) -> ConcernStatus:
    """The status before `moment`: the last step taken by then, or the status the first step
    started from (a concern no one has moved on is as it was recorded)."""
    if not steps:
        return ConcernStatus(concern.status)
    taken = [step for step in steps if step.at < moment]
    return ConcernStatus(taken[-1].to_status if taken else steps[0].from_status)


def _status_counts(cases: Iterable[_Case]) -> dict[str, int]:
    return _ordered(Counter(case.status.label for case in cases), (s.label for s in ConcernStatus))
