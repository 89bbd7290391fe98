"""The shape of the large demo's concern log before any text is written: when each concern
was reported, the workflow steps it went through (always allowed ones), and how many
chronology entries it has, so that the totals come out exactly as asked.

The plan is small (a few numbers per concern); the rows and their sealed text are made from
it batch by batch.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from prevent_desktop.domain.concern import ConcernStatus, ImmediateRisk, check_transition
from prevent_desktop.services.demo_large_shares import share_exactly, weighted

S = ConcernStatus
# The decision a review leads to, by how often leads take it.
_DECISIONS = (
    (S.NO_FURTHER_ACTION, 0.42),
    (S.SUPPORT_PLAN, 0.36),
    (S.REFERRED_PREVENT, 0.10),
    (S.REFERRED_LOCAL_AUTHORITY, 0.12),
)
RISKS = (
    (ImmediateRisk.NONE, 0.18),
    (ImmediateRisk.LOW, 0.42),
    (ImmediateRisk.MEDIUM, 0.27),
    (ImmediateRisk.HIGH, 0.11),
    (ImmediateRisk.IMMEDIATE_DANGER, 0.02),
)
TYPES = (
    ("Mixed, unclear or unstable", 0.27),
    ("Extreme right-wing", 0.24),
    ("Islamist", 0.12),
    ("Vulnerability present but no ideology", 0.11),
    ("No ideology identified", 0.09),
    ("School massacre or violence fixation", 0.06),
    ("Left-wing, anarchist or single-issue", 0.04),
    ("Conflicted", 0.03),
    ("Other", 0.04),
)


@dataclass(slots=True)
class ChildKey:
    """A row under a concern, as concern_records.child_context names it in its sealing
    context."""

    id: str
    concern_id: str


@dataclass(frozen=True, slots=True)
class ConcernPlan:
    reported: datetime
    concern_type: str
    risk: ImmediateRisk
    steps: tuple[tuple[ConcernStatus, datetime], ...]
    entries: int = 0

    @property
    def status(self) -> ConcernStatus:
        return self.steps[-1][0] if self.steps else S.REPORTED

    @property
    def referral_step(self) -> tuple[ConcernStatus, datetime] | None:
        referred = (S.REFERRED_PREVENT, S.REFERRED_LOCAL_AUTHORITY)
        return next((step for step in self.steps if step[0] in referred), None)

    def handled_until(self, now: datetime) -> datetime:
        """When the lead stopped writing in it: its closing, or now."""
        return self.steps[-1][1] if self.status is S.CLOSED else now


def plan_concerns(
    rng: random.Random, count: int, entries: int, now: datetime, years: int = 5
) -> list[ConcernPlan]:
    """`count` concerns over the last `years` years, oldest first, with `entries` chronology
    entries shared out between those a lead has worked on."""
    span = timedelta(days=365 * years).total_seconds()
    plans = []
    for _ in range(count):
        # Half spread evenly, half leaning to recent years: sites log more as they grow.
        share = rng.random() if rng.random() < 0.5 else math.sqrt(rng.random())
        day = (now - timedelta(seconds=span * (1 - share))).date()
        reported = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), UTC)
        reported = min(reported, now - timedelta(minutes=rng.randint(30, 600)))
        risk: ImmediateRisk = weighted(rng, RISKS)
        plans.append(
            ConcernPlan(reported, weighted(rng, TYPES), risk, _steps(rng, reported, risk, now))
        )
    plans.sort(key=lambda plan: plan.reported)
    return _share_entries(rng, plans, entries)


def _steps(
    rng: random.Random, reported: datetime, risk: ImmediateRisk, now: datetime
) -> tuple[tuple[ConcernStatus, datetime], ...]:
    """The steps a lead took, each one allowed from the one before; those that would fall
    after now have not happened yet."""
    urgent = risk in (ImmediateRisk.HIGH, ImmediateRisk.IMMEDIATE_DANGER)
    review = reported + timedelta(hours=rng.randint(1, 4) if urgent else rng.randint(2, 60))
    decision: ConcernStatus = (
        rng.choice((S.REFERRED_PREVENT, S.REFERRED_LOCAL_AUTHORITY))
        if urgent and rng.random() < 0.5
        else weighted(rng, _DECISIONS)
    )
    path = [(S.UNDER_REVIEW, review)]
    at = review + timedelta(hours=rng.randint(2, 24 * (2 if urgent else 10)))
    path.append((decision, at))
    # Some stay open a long while; within the year almost all are closed.
    lingers = (now - reported).days < 365 and rng.random() < 0.3
    if decision is S.NO_FURTHER_ACTION:
        if not lingers:
            path.append((S.CLOSED, at + timedelta(days=rng.randint(1, 14))))
    elif rng.random() < 0.75:
        at += timedelta(days=rng.randint(20, 120))
        path.append((S.MONITORING, at))
        if not lingers:
            path.append((S.CLOSED, at + timedelta(days=rng.randint(45, 200))))
    elif not lingers:
        path.append((S.CLOSED, at + timedelta(days=rng.randint(30, 180))))
    steps: list[tuple[ConcernStatus, datetime]] = []
    current = S.REPORTED
    for status, when in path:
        if when > now - timedelta(minutes=5):
            break
        assert check_transition(current, status) is None
        steps.append((status, when))
        current = status
    return tuple(steps)


def _share_entries(rng: random.Random, plans: list[ConcernPlan], total: int) -> list[ConcernPlan]:
    """Entries go to concerns a lead has worked on, more to referred and longer-running ones,
    `total` in all."""
    counts = share_exactly(
        [
            (1 + len(plan.steps)) * (2.0 if plan.referral_step else 1.0) * rng.uniform(0.5, 1.5)
            if plan.steps
            else 0.0
            for plan in plans
        ],
        total,
    )
    return [
        ConcernPlan(p.reported, p.concern_type, p.risk, p.steps, n)
        for p, n in zip(plans, counts, strict=True)
    ]
