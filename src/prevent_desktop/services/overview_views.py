"""What the Overview shows, as plain values: each item carries the place it links to, so the
window can open the filtered view without knowing how the count was made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from prevent_desktop.domain.risk import Rag
from prevent_desktop.services.site import ThreatLevelEntry


class Destination(StrEnum):
    """Where an Overview item leads: a tab, with the filter that shows exactly those records."""

    RISKS_OVERDUE = "risks_overdue"  # the register, "overdue only"
    RISKS_BY_RAG = "risks_by_rag"  # the register, one RAG band (`value`)
    CONCERNS_AWAITING_LEAD = "concerns_awaiting_lead"  # the log, status "reported"
    CONCERNS_LISTED = "concerns_listed"  # the log, only the concerns in `ids`
    CONCERNS_FOLLOW_UP_OVERDUE = "concerns_follow_up_overdue"
    TRAINING_STATUS = "training_status"  # the matrix, staff with a cell in status `value`
    TRAINING_COURSE = "training_course"  # the matrix, one course (`value`)
    TRAINING_STAFF = "training_staff"  # the matrix, to add or import the staff list
    INCIDENT_PLAN = "incident_plan"  # the plans, the plan whose id is `value`
    INCIDENT_CONTACTS = "incident_contacts"  # the plans, the contacts list
    HEAD_OFFICE_SETTINGS = "head_office_settings"  # the settings dialog's head-office page


@dataclass(frozen=True)
class Link:
    destination: Destination
    value: str | None = None
    ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ActionItem:
    """One line of "needs action": a count, what it is, the first few, and where to act."""

    label: str
    count: int
    detail: str
    link: Link
    overdue: bool  # past its date (shown first, marked "Overdue" in words as well as colour)
    tag: str = ""  # the word shown beside it: "Overdue", "Due soon" or "To do"

    @property
    def state(self) -> str:
        return self.tag or ("Overdue" if self.overdue else "Due soon")


@dataclass(frozen=True)
class CourseCompliance:
    course_id: str
    name: str
    done: int
    required: int

    @property
    def percent(self) -> int:
        # Rounded down, as the matrix does: 99.9% must never read as 100%.
        return 0 if self.required == 0 else 100 * self.done // self.required


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    hint: str
    done: bool
    link: Link | None  # None: this user cannot do it here (the hint says who can)


@dataclass(frozen=True)
class DueEvent:
    """Something whose date fell between the last session and today."""

    on: date
    text: str
    link: Link


@dataclass(frozen=True)
class SinceLastSession:
    last_seen: datetime | None  # None: the first session of this user on this laptop
    events: tuple[DueEvent, ...] = ()


@dataclass(frozen=True)
class Overview:
    today: date
    threat: ThreatLevelEntry
    actions: tuple[ActionItem, ...]
    training_by_course: tuple[CourseCompliance, ...]
    risks_by_rag: dict[Rag, int]
    checklist: tuple[ChecklistItem, ...]
    shows_concerns: bool  # False for a user who may not see the concern counts
    next_drill: tuple[str, date] | None = None  # (plan title, date)
    due_soon_days: int = 30
    notes: tuple[str, ...] = field(default=())

    @property
    def checklist_done(self) -> bool:
        return all(item.done for item in self.checklist)
