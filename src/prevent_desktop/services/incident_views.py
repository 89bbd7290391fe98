"""What the incident plan service takes and returns. Plain data: no sessions, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from prevent_desktop.domain.incident import LogKind, Phase, StepRole


@dataclass(frozen=True)
class ContactInput:
    name: str
    organisation: str = ""
    phone: str = ""
    phone_other: str = ""
    email: str = ""
    notes: str = ""
    local: bool = False


@dataclass(frozen=True)
class ContactView:
    id: str
    key: str
    name: str
    organisation: str
    phone: str
    phone_other: str
    email: str
    notes: str
    local: bool
    used_by: tuple[str, ...] = ()  # plan titles

    @property
    def missing(self) -> bool:
        """A local contact the site has not filled in yet: no way to reach them."""
        return self.local and not (
            self.phone.strip() or self.phone_other.strip() or self.email.strip()
        )

    def as_input(self) -> ContactInput:
        return ContactInput(
            self.name,
            self.organisation,
            self.phone,
            self.phone_other,
            self.email,
            self.notes,
            self.local,
        )


@dataclass(frozen=True)
class StepInput:
    phase: Phase
    role: StepRole
    text: str


@dataclass(frozen=True)
class PlanInput:
    title: str
    scenario: str
    owner: str
    incident_lead: str
    deputy: str
    security_lead: str
    next_review_on: date
    drill_every_months: int
    steps: tuple[StepInput, ...]
    contact_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepView:
    id: str
    phase: Phase
    position: int
    role: StepRole
    text: str


@dataclass(frozen=True)
class PlanDates:
    """A plan's review and drill dates: what the Overview lists, without its steps and
    contacts (IncidentService.plan_dates)."""

    id: str
    title: str
    next_review_on: date
    next_drill_on: date | None

    def review_overdue(self, today: date) -> bool:
        return self.next_review_on < today

    def drill_overdue(self, today: date) -> bool:
        return self.next_drill_on is not None and self.next_drill_on < today


@dataclass(frozen=True)
class PlanView:
    id: str
    title: str
    scenario: str
    version: int
    owner: str
    incident_lead: str
    deputy: str
    security_lead: str
    last_reviewed_on: date | None
    next_review_on: date
    drill_every_months: int
    last_drill_on: date | None
    next_drill_on: date | None
    steps: tuple[StepView, ...]
    contacts: tuple[ContactView, ...]

    @property
    def dates(self) -> PlanDates:
        return PlanDates(self.id, self.title, self.next_review_on, self.next_drill_on)

    def review_overdue(self, today: date) -> bool:
        return self.dates.review_overdue(today)

    def drill_overdue(self, today: date) -> bool:
        return self.dates.drill_overdue(today)

    @property
    def missing_contacts(self) -> tuple[ContactView, ...]:
        return tuple(c for c in self.contacts if c.missing)

    def as_input(self) -> PlanInput:
        return PlanInput(
            self.title,
            self.scenario,
            self.owner,
            self.incident_lead,
            self.deputy,
            self.security_lead,
            self.next_review_on,
            self.drill_every_months,
            tuple(StepInput(s.phase, s.role, s.text) for s in self.steps),
            tuple(c.id for c in self.contacts),
        )


@dataclass(frozen=True)
class LogStepView:
    id: str
    phase: Phase
    position: int
    role: StepRole
    text: str
    done_at: datetime | None
    done_by_name: str


@dataclass(frozen=True)
class LogNoteView:
    at: datetime
    author_name: str
    text: str


@dataclass(frozen=True)
class LogView:
    id: str
    plan_id: str
    kind: LogKind
    plan_title: str
    plan_version: int
    started_at: datetime
    started_by_name: str
    closed_at: datetime | None
    closed_by_name: str
    outcome: str
    steps: tuple[LogStepView, ...] = ()
    notes: tuple[LogNoteView, ...] = ()

    @property
    def open(self) -> bool:
        return self.closed_at is None
