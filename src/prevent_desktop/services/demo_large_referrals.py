"""A referral for a large-demo concern that the lead referred: to whom, the agency's
reference and notes (sealed as add_referral seals them), and, once enough time has passed,
the outcome, the end of support and the Channel reviews that follow it."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from prevent_desktop.domain.concern import (
    ConcernStatus,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
)
from prevent_desktop.domain.risk import add_months
from prevent_desktop.services.concern_records import child_context
from prevent_desktop.services.context import Actor
from prevent_desktop.services.demo_large_concern_plan import ChildKey
from prevent_desktop.services.demo_large_shares import weighted
from prevent_desktop.store.models import new_id
from prevent_desktop.store.sealing import ContentCipher

_PREVENT_OUTCOMES = (
    (ReferralOutcome.NOT_ADOPTED, 0.35),
    (ReferralOutcome.SIGNPOSTED, 0.25),
    (ReferralOutcome.ADOPTED_BY_CHANNEL, 0.25),
    (ReferralOutcome.POLICE_LED, 0.15),
)
_METHODS = (
    (ReferralMethod.ONLINE_FORM, 0.6),
    (ReferralMethod.PHONE, 0.25),
    (ReferralMethod.EMAIL, 0.1),
    (ReferralMethod.IN_PERSON, 0.05),
)
_NOTES = (
    "Acknowledged by the receiving team.",
    "Duty officer took the details; written confirmation to follow.",
    "Referral form sent with the chronology attached.",
    "Receiving team asked for the employer's contact details, given.",
)


def referral_row(
    rng: random.Random,
    cipher: ContentCipher,
    lead: Actor,
    concern_id: str,
    decision: ConcernStatus,
    at: datetime,
    now: datetime,
) -> dict[str, Any]:
    today = min(now.date(), date.today())
    referred_on = at.date()
    if decision is ConcernStatus.REFERRED_PREVENT:
        agency = ReferralAgency.PREVENT_POLICE
        reference = f"CTP-NE-{rng.randint(10000, 99999)}"
        outcome = weighted(rng, _PREVENT_OUTCOMES)
    else:
        agency = rng.choice(
            (
                ReferralAgency.LOCAL_AUTHORITY,
                ReferralAgency.LOCAL_AUTHORITY,
                ReferralAgency.CHILDRENS_SOCIAL_CARE,
                ReferralAgency.ADULT_SOCIAL_CARE,
            )
        )
        reference = f"MASH-{rng.randint(10000, 99999)}"
        outcome = rng.choice((ReferralOutcome.SIGNPOSTED, ReferralOutcome.NOT_ADOPTED))
    outcome_on = referred_on + timedelta(days=rng.randint(5, 50))
    if outcome_on > today or ((today - referred_on).days < 120 and rng.random() < 0.3):
        outcome, outcome_on_or_none = ReferralOutcome.AWAITING, None
    else:
        outcome_on_or_none = outcome_on
    support_ended = None
    if outcome is ReferralOutcome.ADOPTED_BY_CHANNEL:
        ended = outcome_on + timedelta(days=rng.randint(90, 300))
        support_ended = ended if ended <= today else None
    reviews: dict[int, date | None] = {6: None, 12: None}
    for months in reviews:
        due = add_months(support_ended, months) if support_ended else None
        done = due + timedelta(days=rng.randint(-10, 20)) if due else None
        if done is not None and done <= today and rng.random() < 0.9:
            reviews[months] = done
    key = ChildKey(new_id(), concern_id)
    return {
        "id": key.id,
        "concern_id": concern_id,
        "created_at": min(at + timedelta(hours=1), now),
        "agency": agency.value,
        "referred_on": referred_on,
        "method": weighted(rng, _METHODS).value,
        "outcome": outcome.value,
        "outcome_on": outcome_on_or_none,
        "support_ended_on": support_ended,
        "review_6_done_on": reviews[6],
        "review_12_done_on": reviews[12],
        "recorded_by_name": lead.display_name,
        "reference_sealed": cipher.encrypt(
            reference.encode(), child_context("concern_referral", key, "reference")
        ),
        "notes_sealed": cipher.encrypt(
            rng.choice(_NOTES).encode(), child_context("concern_referral", key, "notes")
        ),
    }
