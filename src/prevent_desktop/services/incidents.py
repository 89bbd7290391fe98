"""Incident plans, their contacts, and the logs of live incidents and drills.

Everyone signed in may read the plans and run an incident or a drill from one (an incident
does not wait for a manager); managers and safeguarding leads change plans and contacts.
A log copies the plan's steps when it starts, so later edits never rewrite what was done;
its notes are append-only.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.incident import LogKind, Phase, StepRole, next_drill, next_review
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.incident_views import (
    ContactInput,
    ContactView,
    LogNoteView,
    LogStepView,
    LogView,
    PlanDates,
    PlanInput,
    PlanView,
    StepView,
)
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.store.database import Database
from prevent_desktop.store.incident_models import (
    Contact,
    IncidentLog,
    IncidentPlan,
    LogNote,
    LogStep,
    PlanStep,
)
from prevent_desktop.store.models import new_id, utc_now

PHASE_ORDER = {phase: index for index, phase in enumerate(Phase)}
MAX_STEPS = 60
# Long enough for any real step or note; short enough that a checklist row or a log entry
# always fits on one printed page (a row taller than a page cannot be printed at all).
MAX_STEP_CHARS = 600
MAX_NOTE_CHARS = 4000


class IncidentService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # ---- contacts ----------------------------------------------------------------------------

    def contacts(self) -> list[ContactView]:
        with self.database.reader() as session:
            plans = session.scalars(
                select(IncidentPlan).where(IncidentPlan.deleted.is_(False))
            ).all()
            used: dict[str, list[str]] = {}
            for plan in sorted(plans, key=lambda p: (p.sort_order, p.title)):
                for contact_id in _ids(plan.contact_ids):
                    used.setdefault(contact_id, []).append(plan.title)
            rows = session.scalars(
                select(Contact)
                .where(Contact.deleted.is_(False))
                .order_by(Contact.sort_order, Contact.name)
            )
            return [_contact_view(c, tuple(used.get(c.id, ()))) for c in rows]

    def missing_contacts(self) -> list[ContactView]:
        return [c for c in self.contacts() if c.missing]

    def save_contact(self, contact_id: str | None, data: ContactInput) -> ChangeSet:
        self._require_edit()
        name = " ".join(data.name.split())
        if not name:
            raise ValidationError("Give the contact a name (a person or a team).")
        email = data.email.strip()
        if email and ("@" not in email or " " in email):
            raise ValidationError(f"'{email}' is not an email address.")
        for phone in (data.phone, data.phone_other):
            if phone.strip() and not any(ch.isdigit() for ch in phone):
                raise ValidationError(f"'{phone.strip()}' is not a phone number.")
        with self._writer() as session:
            if contact_id is None:
                order = (session.scalar(select(func.max(Contact.sort_order))) or 0) + 1
                contact = Contact(sort_order=order)
                session.add(contact)
            else:
                contact = live_record(session, Contact, contact_id, "contact")
            contact.name, contact.organisation = name, data.organisation.strip()
            contact.phone, contact.phone_other = data.phone.strip(), data.phone_other.strip()
            contact.email, contact.notes = email, data.notes.strip()
            contact.local = data.local
            session.flush()
            return ChangeSet("incident_contact", "update", (contact.id,))

    # ---- plans -------------------------------------------------------------------------------

    def plans(self, today: date | None = None) -> list[PlanView]:
        with self.database.reader() as session:
            rows = session.scalars(
                select(IncidentPlan)
                .where(IncidentPlan.deleted.is_(False))
                .order_by(IncidentPlan.sort_order, IncidentPlan.title)
            ).all()
            # Three queries for every plan together, not three per plan (200 plans at head
            # office made this the Overview's slowest part after the matrix).
            contacts = _live_contacts(session)
            steps: dict[str, list[PlanStep]] = {}
            for step in session.scalars(
                select(PlanStep).where(PlanStep.deleted.is_(False)).order_by(PlanStep.position)
            ):
                steps.setdefault(step.plan_id, []).append(step)
            drills = _last_drills(session)
            return [
                _plan_view(plan, steps.get(plan.id, []), contacts, drills.get(plan.id))
                for plan in rows
            ]

    def plan_dates(self) -> list[PlanDates]:
        """Each live plan's review and drill dates, in the plans' order: the Overview's, read
        without the steps and contacts `plans` builds."""
        with self.database.reader() as session:
            drills = _last_drills(session)
            rows = session.execute(
                select(
                    IncidentPlan.id,
                    IncidentPlan.title,
                    IncidentPlan.next_review_on,
                    IncidentPlan.drill_every_months,
                    IncidentPlan.created_at,
                )
                .where(IncidentPlan.deleted.is_(False))
                .order_by(IncidentPlan.sort_order, IncidentPlan.title)
            )
            return [
                PlanDates(
                    plan_id,
                    title,
                    next_review_on,
                    next_drill(_date_of(drills.get(plan_id)), every, created_at.date()),
                )
                for plan_id, title, next_review_on, every, created_at in rows
            ]

    def plan(self, plan_id: str) -> PlanView:
        with self.database.reader() as session:
            return self._plan_view(session, live_record(session, IncidentPlan, plan_id, "plan"))

    def plan_by_title(self, title: str) -> PlanView:
        wanted = " ".join(title.split()).casefold()
        matches = [p for p in self.plans() if p.title.casefold() == wanted]
        if not matches:
            titles = "; ".join(p.title for p in self.plans())
            raise ValidationError(f"There is no plan called '{title}'. The plans are: {titles}.")
        return matches[0]

    def save_plan(self, plan_id: str | None, data: PlanInput) -> ChangeSet:
        """Create or change a plan, its steps (in the order given) and its contacts. Every
        change of content is a new version, printed on its checklists."""
        self._require_edit()
        self._validate_plan(data)
        title = " ".join(data.title.split())
        with self._writer() as session:
            same = session.scalar(
                select(IncidentPlan.id).where(
                    func.lower(IncidentPlan.title) == title.lower(),
                    IncidentPlan.deleted.is_(False),
                    IncidentPlan.id != (plan_id or ""),
                )
            )
            if same is not None:
                # Checklists are printed by title: two plans of one name would be confused.
                raise ValidationError(f"There is already a plan called '{title}'.")
            if plan_id is None:
                order = (session.scalar(select(func.max(IncidentPlan.sort_order))) or 0) + 1
                plan = IncidentPlan(id=new_id(), sort_order=order, version=1)
                session.add(plan)
            else:
                plan = live_record(session, IncidentPlan, plan_id, "plan")
                plan.version += 1
            plan.title, plan.scenario = title, data.scenario.strip()
            plan.owner, plan.incident_lead = data.owner.strip(), data.incident_lead.strip()
            plan.deputy, plan.security_lead = data.deputy.strip(), data.security_lead.strip()
            plan.next_review_on = data.next_review_on
            plan.drill_every_months = data.drill_every_months
            known = set(session.scalars(select(Contact.id).where(Contact.deleted.is_(False))))
            plan.contact_ids = "\n".join(c for c in data.contact_ids if c in known)
            self._replace_steps(session, plan.id, data)
        return ChangeSet("incident_plan", "create" if plan_id is None else "update", (plan.id,))

    def record_review(self, plan_id: str, on: date | None = None) -> ChangeSet:
        """The plan was read through and still holds: the next review falls due a year on."""
        self._require_edit()
        on = on or date.today()
        if on > date.today():
            raise ValidationError("A review cannot be dated in the future.")
        with self._writer() as session:
            plan = live_record(session, IncidentPlan, plan_id, "plan")
            plan.last_reviewed_on, plan.next_review_on = on, next_review(on)
        return ChangeSet("incident_plan", "update", (plan_id,))

    def delete_plan(self, plan_id: str) -> ChangeSet:
        """A tombstone; the logs run from it keep their copy of its steps."""
        self._require_edit()
        with self._writer() as session:
            live_record(session, IncidentPlan, plan_id, "plan").deleted = True
            for step in session.scalars(select(PlanStep).where(PlanStep.plan_id == plan_id)):
                step.deleted = True
        return ChangeSet("incident_plan", "delete", (plan_id,))

    def _validate_plan(self, data: PlanInput) -> None:
        problems = []
        if not data.title.strip():
            problems.append("Give the plan a title.")
        if not data.steps:
            problems.append("A plan needs at least one step.")
        if len(data.steps) > MAX_STEPS:
            problems.append(f"A plan can have at most {MAX_STEPS} steps: split it in two.")
        empty = [n for n, step in enumerate(data.steps, start=1) if not step.text.strip()]
        if empty:
            problems.append(f"Step {empty[0]} has no text.")
        long = [n for n, step in enumerate(data.steps, start=1) if len(step.text) > MAX_STEP_CHARS]
        if long:
            problems.append(
                f"Step {long[0]} is longer than {MAX_STEP_CHARS} characters: a step is one "
                "action; split it into several."
            )
        if not 0 <= data.drill_every_months <= 36:
            problems.append("Drills are every 0 (never) to 36 months.")
        if problems:
            raise ValidationError(" ".join(problems))

    @staticmethod
    def _replace_steps(session: Session, plan_id: str, data: PlanInput) -> None:
        """Steps grouped by phase, in the order given within each phase. Existing rows are
        reused position by position (fewer tombstones to travel between laptops)."""
        ordered = sorted(
            enumerate(data.steps), key=lambda item: (PHASE_ORDER[item[1].phase], item[0])
        )
        existing = list(
            session.scalars(
                select(PlanStep)
                .where(PlanStep.plan_id == plan_id, PlanStep.deleted.is_(False))
                .order_by(PlanStep.position)
            )
        )
        for position, (_given, step) in enumerate(ordered, start=1):
            row = existing.pop(0) if existing else PlanStep(plan_id=plan_id)
            row.position, row.phase = position, step.phase.value
            row.role, row.text = step.role.value, " ".join(step.text.split())
            session.add(row)
        for leftover in existing:
            leftover.deleted = True

    def _plan_view(self, session: Session, plan: IncidentPlan) -> PlanView:
        steps = session.scalars(
            select(PlanStep)
            .where(PlanStep.plan_id == plan.id, PlanStep.deleted.is_(False))
            .order_by(PlanStep.position)
        ).all()
        last_drill = session.scalar(
            select(func.max(IncidentLog.started_at)).where(
                IncidentLog.plan_id == plan.id,
                IncidentLog.kind == LogKind.DRILL.value,
                IncidentLog.deleted.is_(False),
            )
        )
        return _plan_view(plan, list(steps), _live_contacts(session), last_drill)

    # ---- incidents and drills ------------------------------------------------------------------

    def start(self, plan_id: str, kind: LogKind, *, at: datetime | None = None) -> ChangeSet:
        """Anyone may start an incident or a drill from a plan."""
        self.actor.require(Permission.REPORT_CONCERN, "start an incident log")
        at = at or utc_now()
        with self._writer() as session:
            plan = live_record(session, IncidentPlan, plan_id, "plan")
            log = IncidentLog(
                id=new_id(),
                plan_id=plan_id,
                kind=kind.value,
                plan_title=plan.title,
                plan_version=plan.version,
                started_at=at,
                started_by_name=self.actor.display_name,
            )
            session.add(log)
            for step in session.scalars(
                select(PlanStep)
                .where(PlanStep.plan_id == plan_id, PlanStep.deleted.is_(False))
                .order_by(PlanStep.position)
            ):
                session.add(
                    LogStep(
                        log_id=log.id,
                        phase=step.phase,
                        position=step.position,
                        role=step.role,
                        text=step.text,
                    )
                )
            return ChangeSet("incident_log", "create", (log.id,))

    def tick(self, log_step_id: str, done: bool = True, *, at: datetime | None = None) -> ChangeSet:
        """Mark a step done now (or undo a tick made by mistake; the audit log keeps both)."""
        self.actor.require(Permission.REPORT_CONCERN, "tick incident steps")
        with self._writer() as session:
            step = live_record(session, LogStep, log_step_id, "step")
            self._open_log(session, step.log_id)
            step.done_at = (at or utc_now()) if done else None
            step.done_by_name = self.actor.display_name if done else ""
        return ChangeSet("incident_log", "update", (step.log_id,))

    def add_note(self, log_id: str, text: str, *, at: datetime | None = None) -> ChangeSet:
        self.actor.require(Permission.REPORT_CONCERN, "add to incident logs")
        if not text.strip():
            raise ValidationError("Write the note: what happened, when, who.")
        if len(text) > MAX_NOTE_CHARS:
            raise ValidationError(
                f"A note can be at most {MAX_NOTE_CHARS:,} characters; add it in parts."
            )
        with self._writer() as session:
            self._open_log(session, log_id)
            session.add(
                LogNote(
                    log_id=log_id,
                    at=at or utc_now(),
                    author_name=self.actor.display_name,
                    text=text.strip(),
                )
            )
        return ChangeSet("incident_log", "update", (log_id,))

    def close(self, log_id: str, outcome: str, *, at: datetime | None = None) -> ChangeSet:
        self.actor.require(Permission.REPORT_CONCERN, "close incident logs")
        if not outcome.strip():
            raise ValidationError(
                "Say how it ended: what happened, whether everyone was safe, what to change."
            )
        if len(outcome) > MAX_NOTE_CHARS:
            raise ValidationError(
                f"The outcome can be at most {MAX_NOTE_CHARS:,} characters; put the detail in "
                "notes first."
            )
        with self._writer() as session:
            log = self._open_log(session, log_id)
            log.closed_at = at or utc_now()
            log.closed_by_name = self.actor.display_name
            log.outcome = outcome.strip()
        return ChangeSet("incident_log", "update", (log_id,))

    def logs(self, plan_id: str | None = None) -> list[LogView]:
        """Incidents and drills, newest first (without their steps and notes)."""
        with self.database.reader() as session:
            query = select(IncidentLog).where(IncidentLog.deleted.is_(False))
            if plan_id is not None:
                query = query.where(IncidentLog.plan_id == plan_id)
            rows = session.scalars(query.order_by(IncidentLog.started_at.desc())).all()
            return [_log_view(log) for log in rows]

    def log(self, log_id: str) -> LogView:
        with self.database.reader() as session:
            log = live_record(session, IncidentLog, log_id, "incident log")
            steps = session.scalars(
                select(LogStep)
                .where(LogStep.log_id == log_id, LogStep.deleted.is_(False))
                .order_by(LogStep.position)
            ).all()
            notes = session.scalars(
                select(LogNote)
                .where(LogNote.log_id == log_id, LogNote.deleted.is_(False))
                .order_by(LogNote.at, LogNote.created_at)
            ).all()
            return _log_view(
                log,
                tuple(
                    LogStepView(
                        s.id,
                        Phase(s.phase),
                        s.position,
                        StepRole(s.role),
                        s.text,
                        s.done_at,
                        s.done_by_name,
                    )
                    for s in steps
                ),
                tuple(LogNoteView(n.at, n.author_name, n.text) for n in notes),
            )

    @staticmethod
    def _open_log(session: Session, log_id: str) -> IncidentLog:
        log: IncidentLog = live_record(session, IncidentLog, log_id, "incident log")
        if log.closed_at is not None:
            raise ValidationError(
                "This log is closed; it is a record now. Start a new one if needed."
            )
        return log

    # ---- seed ----------------------------------------------------------------------------------

    def seed(self, seed: dict[str, Any], today: date) -> None:
        """The starter contacts and plans, at setup or first sign-in; never over a site's own."""
        with self.database.reader() as session:
            if session.scalar(select(IncidentPlan.id).limit(1)) is not None:
                return
        with self._writer() as session:
            keys: dict[str, str] = {}
            for order, entry in enumerate(seed.get("contacts", [])):
                contact = Contact(
                    id=new_id(),
                    key=entry["key"],
                    name=entry["name"],
                    organisation=entry.get("organisation", ""),
                    phone=entry.get("phone", ""),
                    email=entry.get("email", ""),
                    notes=entry.get("notes", ""),
                    local=bool(entry.get("local", False)),
                    sort_order=order,
                )
                session.add(contact)
                keys[contact.key] = contact.id
            for order, entry in enumerate(seed.get("plans", [])):
                plan = IncidentPlan(
                    id=new_id(),
                    title=entry["title"],
                    scenario=entry.get("scenario", ""),
                    next_review_on=next_review(today),
                    drill_every_months=int(entry.get("drill_every_months", 0)),
                    contact_ids="\n".join(keys[k] for k in entry.get("contacts", []) if k in keys),
                    sort_order=order,
                )
                session.add(plan)
                for position, step in enumerate(entry.get("steps", []), start=1):
                    session.add(
                        PlanStep(
                            plan_id=plan.id,
                            phase=Phase(step["phase"]).value,
                            position=position,
                            role=StepRole(step["role"]).value,
                            text=step["text"],
                        )
                    )

    # ---- helpers -------------------------------------------------------------------------------

    def _require_edit(self) -> None:
        self.actor.require(Permission.EDIT_PLANS, "change incident plans or contacts")

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)


def _ids(text: str) -> list[str]:
    return [part for part in text.split("\n") if part]


def _date_of(moment: Any) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.astimezone().date()
    return datetime.fromisoformat(str(moment)).astimezone().date()


def _contact_view(contact: Contact, used_by: tuple[str, ...] = ()) -> ContactView:
    return ContactView(
        contact.id,
        contact.key,
        contact.name,
        contact.organisation,
        contact.phone,
        contact.phone_other,
        contact.email,
        contact.notes,
        contact.local,
        used_by,
    )


def _log_view(
    log: IncidentLog,
    steps: tuple[LogStepView, ...] = (),
    notes: tuple[LogNoteView, ...] = (),
) -> LogView:
    return LogView(
        log.id,
        log.plan_id,
        LogKind(log.kind),
        log.plan_title,
        log.plan_version,
        log.started_at,
        log.started_by_name,
        log.closed_at,
        log.closed_by_name,
        log.outcome,
        steps,
        notes,
    )


def _last_drills(session: Session) -> dict[str, datetime]:
    """When each plan was last drilled (plans never drilled are not there)."""
    return {
        plan_id: started_at
        for plan_id, started_at in session.execute(
            select(IncidentLog.plan_id, func.max(IncidentLog.started_at))
            .where(IncidentLog.kind == LogKind.DRILL.value, IncidentLog.deleted.is_(False))
            .group_by(IncidentLog.plan_id)
        )
    }


def _live_contacts(session: Session) -> dict[str, Contact]:
    return {c.id: c for c in session.scalars(select(Contact).where(Contact.deleted.is_(False)))}


def _plan_view(
    plan: IncidentPlan,
    steps: list[PlanStep],
    contacts: dict[str, Contact],
    last_drill: datetime | None,
) -> PlanView:
    last_drill_on = _date_of(last_drill)
    return PlanView(
        id=plan.id,
        title=plan.title,
        scenario=plan.scenario,
        version=plan.version,
        owner=plan.owner,
        incident_lead=plan.incident_lead,
        deputy=plan.deputy,
        security_lead=plan.security_lead,
        last_reviewed_on=plan.last_reviewed_on,
        next_review_on=plan.next_review_on,
        drill_every_months=plan.drill_every_months,
        last_drill_on=last_drill_on,
        next_drill_on=next_drill(last_drill_on, plan.drill_every_months, plan.created_at.date()),
        steps=tuple(
            StepView(s.id, Phase(s.phase), s.position, StepRole(s.role), s.text) for s in steps
        ),
        contacts=tuple(_contact_view(contacts[c]) for c in _ids(plan.contact_ids) if c in contacts),
    )
