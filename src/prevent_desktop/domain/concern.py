"""Prevent concerns: their workflow, risk levels, referrals and retention rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from prevent_desktop.domain.risk import add_months


class ConcernStatus(StrEnum):
    REPORTED = "reported"
    UNDER_REVIEW = "under_review"
    REFERRED_PREVENT = "referred_prevent"
    REFERRED_LOCAL_AUTHORITY = "referred_local_authority"
    SUPPORT_PLAN = "support_plan"
    NO_FURTHER_ACTION = "no_further_action"
    MONITORING = "monitoring"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_decision(self) -> bool:
        return self in DECISIONS


_STATUS_LABELS = {
    ConcernStatus.REPORTED: "Reported",
    ConcernStatus.UNDER_REVIEW: "Under review",
    ConcernStatus.REFERRED_PREVENT: "Referred to Prevent / police",
    ConcernStatus.REFERRED_LOCAL_AUTHORITY: "Referred to local authority / MASH",
    ConcernStatus.SUPPORT_PLAN: "Internal support plan",
    ConcernStatus.NO_FURTHER_ACTION: "No further action",
    ConcernStatus.MONITORING: "Monitoring",
    ConcernStatus.CLOSED: "Closed",
}

DECISIONS = frozenset(
    {
        ConcernStatus.REFERRED_PREVENT,
        ConcernStatus.REFERRED_LOCAL_AUTHORITY,
        ConcernStatus.SUPPORT_PLAN,
        ConcernStatus.NO_FURTHER_ACTION,
    }
)

# reported -> under review -> a decision -> monitoring -> closed. A decision may be revised
# (a referral not adopted becomes a support plan), monitoring may go back to review when
# something new happens, and a closed concern may be reopened for review.
_NEXT: dict[ConcernStatus, frozenset[ConcernStatus]] = {
    ConcernStatus.REPORTED: frozenset({ConcernStatus.UNDER_REVIEW}),
    ConcernStatus.UNDER_REVIEW: DECISIONS,
    ConcernStatus.MONITORING: frozenset({ConcernStatus.CLOSED, ConcernStatus.UNDER_REVIEW}),
    ConcernStatus.CLOSED: frozenset({ConcernStatus.UNDER_REVIEW}),
}
for _decision in DECISIONS:
    _NEXT[_decision] = (DECISIONS - {_decision}) | {
        ConcernStatus.MONITORING,
        ConcernStatus.CLOSED,
    }


def allowed_next(status: ConcernStatus) -> list[ConcernStatus]:
    """The steps the lead may take from `status`, in workflow order."""
    return [s for s in ConcernStatus if s in _NEXT[status]]


def check_transition(current: ConcernStatus, target: ConcernStatus) -> str | None:
    """None when allowed, else a sentence saying why not and what to do."""
    if target in _NEXT[current]:
        return None
    steps = ", ".join(s.label.lower() for s in allowed_next(current))
    return (
        f"A concern that is '{current.label.lower()}' cannot move to "
        f"'{target.label.lower()}'. Next steps from here: {steps}."
    )


class ImmediateRisk(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    IMMEDIATE_DANGER = "immediate_danger"

    @property
    def label(self) -> str:
        return "Immediate danger" if self is ImmediateRisk.IMMEDIATE_DANGER else self.title()

    @property
    def call_999(self) -> bool:
        return self is ImmediateRisk.IMMEDIATE_DANGER


CALL_999_GUIDANCE = (
    "Someone is in immediate danger: call 999 now, then tell the safeguarding lead. "
    "Record the concern once everyone is safe."
)
QUICK_GUIDANCE = (
    "Notice: write down what you saw or heard, with the person's own words in quotes. "
    "Check: do not investigate or question the person yourself. "
    "Share: log it here today and tell the safeguarding lead. "
    "In an emergency call 999."
)


class SubjectKind(StrEnum):
    APPRENTICE = "apprentice"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"apprentice": "An apprentice", "other": "Another person", "unknown": "Unknown"}[
            self.value
        ]


APPRENTICESHIP_STAGES = (
    "Applicant or onboarding",
    "In learning",
    "Break in learning",
    "Gateway or end-point assessment",
    "Completed",
    "Withdrawn",
)


class EntryKind(StrEnum):
    NOTE = "note"
    CALL = "call"
    MEETING = "meeting"
    ACTION = "action"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        return self.value.title()


class ReferralAgency(StrEnum):
    PREVENT_POLICE = "prevent_police"
    LOCAL_AUTHORITY = "local_authority"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    ADULT_SOCIAL_CARE = "adult_social_care"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "prevent_police": "Counter-terrorism police (Prevent)",
            "local_authority": "Local authority / MASH",
            "childrens_social_care": "Children's social care",
            "adult_social_care": "Adult social care",
            "other": "Other agency",
        }[self.value]


class ReferralMethod(StrEnum):
    ONLINE_FORM = "online_form"
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "online_form": "National Prevent Referral Form",
            "phone": "Telephone",
            "email": "Email",
            "in_person": "In person",
            "other": "Other",
        }[self.value]


class ReferralOutcome(StrEnum):
    AWAITING = "awaiting"
    NOT_ADOPTED = "not_adopted"
    SIGNPOSTED = "signposted"
    ADOPTED_BY_CHANNEL = "adopted_by_channel"
    POLICE_LED = "police_led"

    @property
    def label(self) -> str:
        return {
            "awaiting": "Awaiting outcome",
            "not_adopted": "Not adopted",
            "signposted": "Signposted to other support",
            "adopted_by_channel": "Adopted by Channel",
            "police_led": "Police-led",
        }[self.value]


# Channel reviews a case 6 and 12 months after support ends.
REFERRAL_REVIEW_MONTHS = (6, 12)


def referral_reviews_due(support_ended_on: date | None) -> list[tuple[int, date]]:
    if support_ended_on is None:
        return []
    return [(months, add_months(support_ended_on, months)) for months in REFERRAL_REVIEW_MONTHS]


YEARS_AFTER_BIRTH_RANGE = (1, 120)
YEARS_AFTER_CLOSURE_RANGE = (1, 100)


@dataclass(frozen=True)
class RetentionRule:
    """Keep until date of birth + N years, or M years after closure when the date of birth
    is not known (an open concern without one has no review-by date yet)."""

    years_after_birth: int = 25
    years_after_closure: int = 6

    def __post_init__(self) -> None:
        low, high = YEARS_AFTER_BIRTH_RANGE
        if not low <= self.years_after_birth <= high:
            raise ValueError("retention years out of range")
        low, high = YEARS_AFTER_CLOSURE_RANGE
        if not low <= self.years_after_closure <= high:
            raise ValueError("retention years out of range")

    def review_by(self, date_of_birth: date | None, closed_on: date | None) -> date | None:
        """From a date of birth, the end of the year it falls in: the review-by date is
        stored unsealed, and the exact date would give the birthday away."""
        if date_of_birth is not None:
            return date(date_of_birth.year + self.years_after_birth, 12, 31)
        if closed_on is not None:
            return add_months(closed_on, 12 * self.years_after_closure)
        return None


# A laptop that joined a site adds its letter ("C-2026-0007-B"), so that two laptops numbering
# concerns between syncs never give two concerns one reference.
_REFERENCE = re.compile(r"^C-(\d{4})-(\d{4,})(?:-([A-Z]))?$")


def format_concern_reference(year: int, number: int, letter: str = "") -> str:
    return f"C-{year:04d}-{number:04d}" + (f"-{letter}" if letter else "")


def parse_concern_reference(reference: str) -> tuple[int, int, str] | None:
    """(year, number, laptop letter or "") of a reference, or None when it is not one."""
    match = _REFERENCE.match(reference.strip().upper())
    return (int(match.group(1)), int(match.group(2)), match.group(3) or "") if match else None
