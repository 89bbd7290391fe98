"""The Overview: what needs action across the four tabs, the two charts, the first-run
checklist, and what fell due since this user's last session on this laptop.

Read-only, except that starting a session records its time (in this laptop's own meta table,
never synced: "since your last session" is about this laptop)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.domain.uk_date import uk_date
from prevent_desktop.errors import KnownError
from prevent_desktop.services.incident_views import PlanDates
from prevent_desktop.services.overview_concerns import ConcernReminders, concern_reminders
from prevent_desktop.services.overview_risks import DatedRisk, RiskReminders, risk_reminders
from prevent_desktop.services.overview_views import (
    ActionItem,
    ChecklistItem,
    CourseCompliance,
    Destination,
    DueEvent,
    Link,
    Overview,
    SinceLastSession,
)
from prevent_desktop.services.training_views import MatrixView
from prevent_desktop.store.models import MetaEntry, utc_now

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

# Plans whose review falls within this many days are listed before they are overdue.
PLAN_REVIEW_NOTICE_DAYS = 30
# The "since your last session" list names this many; the rest are counted.
SINCE_LAST_SESSION_SHOWN = 8
LAST_SESSION_META = "last_session:"  # + user id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What the Overview and "since your last session" both read, read once for the two (at
    head office each read is a large part of a second)."""

    today: date
    risks: RiskReminders
    matrix: MatrixView
    plans: list[PlanDates]
    reminders: ConcernReminders | None  # for those who see every concern


class OverviewService:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.database = workspace.database
        self.actor = workspace.actor

    # ---- the page ------------------------------------------------------------------------

    def snapshot(self, today: date | None = None) -> Snapshot:
        today = today or date.today()
        ws = self.workspace
        return Snapshot(
            today,
            risk_reminders(self.database, ws.risks.rag_thresholds(), today),
            ws.training.matrix(today),
            ws.incidents.plan_dates(),
            self._reminders(),
        )

    def overview(self, today: date | None = None, *, snapshot: Snapshot | None = None) -> Overview:
        snapshot = snapshot or self.snapshot(today)
        today, ws = snapshot.today, self.workspace
        risks, matrix = snapshot.risks, snapshot.matrix
        plans, reminders = snapshot.plans, snapshot.reminders
        actions = [
            *_risk_items(risks, today),
            *(_concern_items(reminders, today) if reminders is not None else ()),
            *_training_items(matrix),
            *_plan_items(plans, today),
        ]
        # Overdue first, then by how many: the top line is the most pressing.
        actions.sort(key=lambda item: (not item.overdue, -item.count))
        by_course = matrix.by_course()
        return Overview(
            today=today,
            threat=ws.site.current_threat_level(),
            actions=tuple(actions),
            training_by_course=tuple(
                CourseCompliance(c.id, c.name, by_course[c.id].done, by_course[c.id].required)
                for c in matrix.courses
            ),
            risks_by_rag=dict(risks.by_rag),
            checklist=self._checklist(matrix, risks),
            shows_concerns=reminders is not None,
            next_drill=_next_drill(plans),
            due_soon_days=matrix.due_soon_days,
        )

    def _reminders(self) -> ConcernReminders | None:
        if not self.actor.can(Permission.LIST_CONCERNS):
            return None
        return concern_reminders(self.database, self.actor)

    def _checklist(self, matrix: MatrixView, risks: RiskReminders) -> tuple[ChecklistItem, ...]:
        """What a new site fills in first. Each item is done when the data says so, not when
        someone ticks it: the list cannot claim what is not there."""
        ws = self.workspace
        missing = ws.incidents.missing_contacts()
        reviewed = risks.reviewed
        return (
            ChecklistItem(
                "Fill in your local contacts",
                (
                    f"{len(missing)} local contacts in the incident plans have no number yet"
                    if len(missing) > 1
                    else "A local contact in the incident plans has no number yet"
                )
                + " (your local authority Prevent lead, police, ...)."
                if missing
                else "Every local contact the incident plans call has a number.",
                not missing,
                Link(Destination.INCIDENT_CONTACTS),
            ),
            ChecklistItem(
                "Add your staff list",
                "Add staff one by one or import a spreadsheet, so the matrix shows who is due."
                if not matrix.staff
                else f"{len(matrix.staff)} members of staff are in the training matrix.",
                bool(matrix.staff),
                Link(Destination.TRAINING_STAFF),
            ),
            _head_office_item(
                ws.quarterly.head_office_key() is not None,
                self.actor.can(Permission.CHANGE_SETTINGS),
            ),
            ChecklistItem(
                "Review the starter risk register",
                "Check each starter risk against your site and record a review."
                if not reviewed
                else f"{reviewed} of {risks.open_risks} open risks have been reviewed.",
                reviewed > 0,
                Link(Destination.RISKS_OVERDUE),
            ),
        )

    # ---- since the last session ------------------------------------------------------------

    def start_session(
        self,
        today: date | None = None,
        now: datetime | None = None,
        *,
        snapshot: Snapshot | None = None,
    ) -> SinceLastSession:
        """What fell due after this user's last session here and up to today; then this
        session becomes the last one. The first session has nothing to list."""
        today = snapshot.today if snapshot is not None else today or date.today()
        now = now or utc_now()
        key = LAST_SESSION_META + self.actor.user_id
        with self.database.reader() as session:
            entry = session.get(MetaEntry, key)
            previous = _parse_moment(entry.value) if entry is not None else None
        # Marked before anything is read for the list: a commit forgets the reads kept for the
        # tabs (Database.cached_read), so reading first would make every tab read again.
        try:
            with self.database.writer(
                user_id=self.actor.user_id, login=self.actor.login
            ) as session:
                session.merge(MetaEntry(key=key, value=now.isoformat()))
        except KnownError as error:
            # A convenience mark: a full disk or a locked file must not blank the Overview.
            # The next session then lists from the older mark again.
            logger.warning("Could not record the start of this session: %s", type(error).__name__)
        events: list[DueEvent] = []
        if previous is not None:
            since = previous.astimezone().date()
            if since < today:
                snapshot = snapshot or self.snapshot(today)
                events = sorted(self._dated_events(since, snapshot), key=lambda e: (e.on, e.text))
        return SinceLastSession(previous, tuple(events))

    def _dated_events(self, since: date, snapshot: Snapshot) -> Iterable[DueEvent]:
        """Everything with a date after `since` and up to the snapshot's day."""
        today = snapshot.today

        def fell(on: date | None) -> bool:
            return on is not None and since < on <= today

        overdue_risks = Link(Destination.RISKS_OVERDUE)
        for review in snapshot.risks.reviews:
            if fell(review.on):
                yield DueEvent(review.on, f"Review of {_risk(review)}", overdue_risks)
        # Not only the overdue ones (past their date): an action due on the day of a session
        # is not overdue then, and the next session starts after that day.
        for action in snapshot.risks.actions:
            if fell(action.on):
                yield DueEvent(
                    action.on, f"Action on {action.reference}: {action.description}", overdue_risks
                )
        matrix = snapshot.matrix
        for person, row in zip(matrix.staff, matrix.cells, strict=True):
            for course, cell in zip(matrix.courses, row, strict=True):
                if cell.required and fell(cell.expires_on):
                    assert cell.expires_on is not None
                    yield DueEvent(
                        cell.expires_on,
                        f"{course.name} expired for {person.name}",
                        Link(Destination.TRAINING_STATUS, CellStatus.EXPIRED.value),
                    )
        for plan in snapshot.plans:
            plan_link = Link(Destination.INCIDENT_PLAN, plan.id)
            if fell(plan.next_review_on):
                yield DueEvent(plan.next_review_on, f"Review of the plan {plan.title}", plan_link)
            if plan.next_drill_on is not None and fell(plan.next_drill_on):
                yield DueEvent(plan.next_drill_on, f"Drill of the plan {plan.title}", plan_link)
        reminders = snapshot.reminders
        if reminders is not None:
            for item in (*reminders.follow_ups, *reminders.referral_reviews):
                if fell(item.on):
                    yield DueEvent(
                        item.on,
                        f"{item.what.capitalize()} of {item.reference}",
                        Link(Destination.CONCERNS_LISTED, ids=frozenset({item.concern_id})),
                    )


def _head_office_item(key_set: bool, may_set: bool) -> ChecklistItem:
    if key_set:
        hint = "The quarterly export is encrypted to head office's key."
    elif may_set:
        hint = "Paste the key head office gave you, so the quarterly export can be sent."
    else:
        hint = "A manager enters the key head office gives the site, in Site ▸ Settings."
    return ChecklistItem(
        "Set head office's public key",
        hint,
        key_set,
        Link(Destination.HEAD_OFFICE_SETTINGS) if may_set else None,
    )


def _risk(risk: DatedRisk) -> str:
    return f"{risk.reference} {risk.title}"


def _first(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return "; ".join(names)
    return "; ".join(names[:shown]) + f"; and {len(names) - shown} more"


def _item(
    label: str, names: list[str], link: Link, *, overdue: bool, tag: str = ""
) -> list[ActionItem]:
    return [ActionItem(label, len(names), _first(names), link, overdue, tag)] if names else []


def _risk_items(risks: RiskReminders, today: date) -> list[ActionItem]:
    link = Link(Destination.RISKS_OVERDUE)
    reviews = [f"{_risk(r)} (due {uk_date(r.on)})" for r in risks.reviews_before(today)]
    actions = [
        f"{a.reference}: {a.description} (due {uk_date(a.on)})" for a in risks.actions_before(today)
    ]
    return [
        *_item("Risk reviews overdue", reviews, link, overdue=True),
        *_item("Risk actions overdue", actions, link, overdue=True),
    ]


def _concern_items(reminders: ConcernReminders, today: date) -> list[ActionItem]:
    # A fortnight's notice, as the concern log gives; those past their date on a line apart.
    reviews_late = [r for r in reminders.referral_reviews if r.on < today]
    reviews_due = [
        r for r in reminders.referral_reviews if today <= r.on <= today + timedelta(days=14)
    ]
    follow_ups = [f for f in reminders.follow_ups if f.on < today]
    return [
        *_item(
            "Concerns awaiting the lead",
            [reference for _id, reference in reminders.awaiting_lead],
            Link(Destination.CONCERNS_AWAITING_LEAD),
            overdue=True,
        ),
        *_item(
            "Referral reviews overdue",
            [f"{r.reference} {r.what} (due {uk_date(r.on)})" for r in reviews_late],
            Link(Destination.CONCERNS_LISTED, ids=frozenset(r.concern_id for r in reviews_late)),
            overdue=True,
        ),
        *_item(
            "Referral reviews due within 14 days",
            [f"{r.reference} {r.what} (due {uk_date(r.on)})" for r in reviews_due],
            Link(Destination.CONCERNS_LISTED, ids=frozenset(r.concern_id for r in reviews_due)),
            overdue=False,
        ),
        *_item(
            "Concern follow-ups overdue",
            [f"{f.reference} (due {uk_date(f.on)})" for f in follow_ups],
            Link(Destination.CONCERNS_FOLLOW_UP_OVERDUE),
            overdue=True,
        ),
    ]


def _training_items(matrix: MatrixView) -> list[ActionItem]:
    listed = (CellStatus.EXPIRED, CellStatus.DUE_SOON, CellStatus.MISSING)
    named: dict[CellStatus, list[str]] = {status: [] for status in listed}
    # One pass over the grid (150,000 cells at head office), not one per status.
    for person, row in zip(matrix.staff, matrix.cells, strict=True):
        for course, cell in zip(matrix.courses, row, strict=True):
            if cell.required and cell.status in named:
                named[cell.status].append(f"{person.name}: {course.name}")

    def people(status: CellStatus) -> list[str]:
        return named[status]

    def link(status: CellStatus) -> Link:
        return Link(Destination.TRAINING_STATUS, status.value)

    return [
        *_item(
            "Training expired", people(CellStatus.EXPIRED), link(CellStatus.EXPIRED), overdue=True
        ),
        *_item(
            f"Training due within {matrix.due_soon_days} days",
            people(CellStatus.DUE_SOON),
            link(CellStatus.DUE_SOON),
            overdue=False,
        ),
        *_item(
            "Required training never done",
            people(CellStatus.MISSING),
            link(CellStatus.MISSING),
            overdue=False,
            tag="To do",
        ),
    ]


def _plan_items(plans: list[PlanDates], today: date) -> list[ActionItem]:
    horizon = today + timedelta(days=PLAN_REVIEW_NOTICE_DAYS)
    by_date = sorted(plans, key=lambda p: p.next_review_on)
    late = [p for p in by_date if p.review_overdue(today)]
    due = [p for p in by_date if today <= p.next_review_on <= horizon]
    drills = [p for p in plans if p.drill_overdue(today)]
    items: list[ActionItem] = []
    for label, chosen, overdue in (
        ("Incident plan reviews overdue", late, True),
        (f"Incident plans due for review within {PLAN_REVIEW_NOTICE_DAYS} days", due, False),
    ):
        if chosen:
            items += _item(
                label,
                [f"{p.title} (due {uk_date(p.next_review_on)})" for p in chosen],
                Link(Destination.INCIDENT_PLAN, chosen[0].id),
                overdue=overdue,
            )
    if drills:
        items += _item(
            "Drills overdue",
            [f"{p.title} (due {uk_date(p.next_drill_on)})" for p in drills],
            Link(Destination.INCIDENT_PLAN, drills[0].id),
            overdue=True,
        )
    return items


def _next_drill(plans: list[PlanDates]) -> tuple[str, date] | None:
    dated = [(p.next_drill_on, p.title) for p in plans if p.next_drill_on is not None]
    if not dated:
        return None
    on, title = min(dated)
    return title, on


def _parse_moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None  # an unreadable mark is a first session, not a failure
