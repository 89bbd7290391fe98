"""What the concern log's service takes and returns. Plain data: no sessions, no Qt."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ImmediateRisk,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
    SubjectKind,
)


@dataclass(frozen=True)
class PersonDetails:
    """Who the concern is about. For an apprentice the learner fields; for another or unknown
    person a description."""

    kind: SubjectKind
    name: str = ""
    learner_reference: str = ""
    date_of_birth: date | None = None
    employer: str = ""
    programme: str = ""
    stage: str = ""
    description: str = ""

    def display(self) -> str:
        if self.kind is SubjectKind.UNKNOWN:
            return "Unknown person" + (f" ({self.description})" if self.description else "")
        return self.name or "(no name given)"

    def group_key(self) -> str:
        """Concerns about the same person share this: the learner reference when there is one,
        otherwise the name and date of birth. Unknown people are never grouped."""
        if self.kind is SubjectKind.UNKNOWN:
            return ""
        if self.learner_reference.strip():
            return "ref:" + self.learner_reference.strip().casefold()
        if self.name.strip():
            born = self.date_of_birth.isoformat() if self.date_of_birth else "?"
            return "name:" + " ".join(self.name.casefold().split()) + "|" + born
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "name": self.name,
            "learner_reference": self.learner_reference,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "employer": self.employer,
            "programme": self.programme,
            "stage": self.stage,
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PersonDetails:
        born = data.get("date_of_birth")
        return cls(
            kind=SubjectKind(data["kind"]),
            name=str(data.get("name", "")),
            learner_reference=str(data.get("learner_reference", "")),
            date_of_birth=date.fromisoformat(born) if born else None,
            employer=str(data.get("employer", "")),
            programme=str(data.get("programme", "")),
            stage=str(data.get("stage", "")),
            description=str(data.get("description", "")),
        )


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """What a lead's list keeps of who a concern is about: the name shown and the key that
    groups concerns about the same person (PersonDetails.display and group_key). Kept for
    every concern of a head-office list, so only these two."""

    shown: str
    key: str

    @classmethod
    def of(cls, person: PersonDetails) -> ListedPerson:
        return cls(person.display(), person.group_key())


@dataclass(frozen=True)
class ConcernDetails:
    """The sealed part of a concern: who, where, what was seen or heard, who else was there."""

    person: PersonDetails
    account: str
    location: str = ""
    context: str = ""
    others_present: str = ""
    indicators: tuple[str, ...] = ()

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "person": self.person.to_json(),
                "account": self.account,
                "location": self.location,
                "context": self.context,
                "others_present": self.others_present,
                "indicators": list(self.indicators),
            },
            ensure_ascii=False,
            sort_keys=True,
        ).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> ConcernDetails:
        data = json.loads(raw.decode("utf-8"))
        return cls(
            person=PersonDetails.from_json(data["person"]),
            account=str(data["account"]),
            location=str(data.get("location", "")),
            context=str(data.get("context", "")),
            others_present=str(data.get("others_present", "")),
            indicators=tuple(str(i) for i in data.get("indicators", [])),
        )


@dataclass(frozen=True)
class ConcernInput:
    observed_at: datetime
    concern_type: str
    immediate_risk: ImmediateRisk
    details: ConcernDetails
    risk_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConcernSummary:
    """One row of the list. `person` and `person_key` are filled only for leads; nobody's list
    carries the account. Slotted: a head-office list holds 50,000 of them."""

    id: str
    reference: str
    observed_at: datetime
    recorded_at: datetime
    reported_by_name: str
    reported_by_role: str
    reported_by_me: bool
    concern_type: str
    immediate_risk: ImmediateRisk
    status: ConcernStatus
    status_changed_at: datetime
    assigned_lead_id: str | None
    assigned_lead_name: str
    next_follow_up_on: date | None
    follow_up_overdue: bool
    review_by: date | None
    legal_hold: bool
    risk_id: str | None
    risk_reference: str
    person: str | None = None
    person_key: str | None = None

    # What the list's search looks in, folded: only what the row shows (reference, type,
    # status, reporter and, for a lead, the person), never the account. Worked out once, as
    # each keystroke searches every row again.
    search_text: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = " ".join(
            (
                self.reference,
                self.concern_type,
                self.status.label,
                self.reported_by_name,
                self.person or "",
            )
        ).casefold()
        object.__setattr__(self, "search_text", text)


@dataclass(frozen=True)
class StepView:
    at: datetime
    by_name: str
    from_status: ConcernStatus
    to_status: ConcernStatus
    rationale: str
    by_role: str = ""


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: EntryKind
    occurred_at: datetime
    recorded_at: datetime
    author_name: str
    body: str
    corrects_entry_id: str | None
    corrected_by: tuple[str, ...] = ()
    author_role: str = ""


@dataclass(frozen=True)
class ReferralInput:
    agency: ReferralAgency
    referred_on: date
    method: ReferralMethod
    reference_number: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ReferralReview:
    months: int
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class ReferralView:
    id: str
    agency: ReferralAgency
    referred_on: date
    method: ReferralMethod
    reference_number: str
    outcome: ReferralOutcome
    outcome_on: date | None
    support_ended_on: date | None
    reviews: tuple[ReferralReview, ...]
    notes: str
    recorded_by_name: str = ""


@dataclass(frozen=True)
class AttachmentView:
    id: str
    name: str
    size_bytes: int
    added_by_name: str
    added_at: datetime
    added_by_role: str = ""


@dataclass(frozen=True)
class AccessView:
    at: datetime
    user_name: str
    user_role: str
    purpose: str
    note: str = ""  # sealed: e.g. why a concern was deleted


@dataclass(frozen=True)
class ConcernDetailView:
    """Everything about one concern, for a safeguarding lead."""

    summary: ConcernSummary
    details: ConcernDetails
    steps: tuple[StepView, ...]
    entries: tuple[EntryView, ...]
    referrals: tuple[ReferralView, ...]
    attachments: tuple[AttachmentView, ...]
    accesses: tuple[AccessView, ...]
    same_person: tuple[ConcernSummary, ...] = ()


@dataclass(frozen=True)
class ReporterView:
    """What the member of staff who logged a concern sees of it: their own account as they
    wrote it, and where it stands."""

    summary: ConcernSummary
    details: ConcernDetails | None


@dataclass(frozen=True)
class LeadCounts:
    awaiting_review: int
    referrals_awaiting_outcome: int
    referral_reviews_due: int
    follow_ups_overdue: int


@dataclass
class ConcernStatistics:
    """Counts for a period, with no identities: safe for the quarterly export."""

    start: date
    end: date
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)
