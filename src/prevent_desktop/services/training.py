"""The training matrix: staff, courses, completions, and each cell's status.

Everyone signed in may read the matrix (it holds no confidential content); managers and
safeguarding leads change it. Completions are never edited, only added or (by mistake)
deleted as tombstones, so the history of each cell stays what happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.strategy import Objective
from prevent_desktop.domain.training import (
    DEFAULT_DUE_SOON_DAYS,
    DUE_SOON_RANGE,
    MAX_VALIDITY_MONTHS,
    cell_status,
    expiry_date,
)
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.services.training_views import (
    Cell,
    CompletionInput,
    CourseInput,
    CourseView,
    MatrixView,
    RecordView,
    StaffInput,
    StaffView,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, new_id
from prevent_desktop.store.training_models import (
    Course,
    JobRole,
    StaffMember,
    TrainingCertificate,
    TrainingRecord,
)

DUE_SOON_SETTING = "training_due_soon_days"
MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
EARLIEST_COMPLETION = date(1990, 1, 1)


def course_view(course: Course) -> CourseView:
    return CourseView(
        course.id,
        course.name,
        course.provider,
        course.validity_months,
        course.required_for_all,
        tuple(r for r in course.required_roles.split("\n") if r),
        tuple(o for o in course.objectives.split(",") if o),
        course.active,
    )


class TrainingService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # ---- reading ---------------------------------------------------------------------------

    def due_soon_days(self) -> int:
        with self.database.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == DUE_SOON_SETTING))
        return int(value) if value and value.isdigit() else DEFAULT_DUE_SOON_DAYS

    def job_roles(self) -> list[str]:
        with self.database.reader() as session:
            return list(
                session.scalars(
                    select(JobRole.name)
                    .where(JobRole.deleted.is_(False))
                    .order_by(JobRole.sort_order, JobRole.name)
                )
            )

    def courses(self, *, include_retired: bool = False) -> list[CourseView]:
        with self.database.reader() as session:
            query = select(Course).where(Course.deleted.is_(False))
            if not include_retired:
                query = query.where(Course.active.is_(True))
            rows = session.scalars(query.order_by(Course.sort_order, Course.name))
            return [course_view(c) for c in rows]

    def staff(self, *, include_left: bool = False) -> list[StaffView]:
        with self.database.reader() as session:
            # Only the columns a StaffView shows, as rows (thousands of staff at head office).
            query = select(
                StaffMember.id,
                StaffMember.name,
                StaffMember.job_role,
                StaffMember.start_date,
                StaffMember.left_on,
                StaffMember.email,
            ).where(StaffMember.deleted.is_(False))
            if not include_left:
                query = query.where(StaffMember.left_on.is_(None))
            return [
                StaffView(*row)
                for row in session.connection().execute(query.order_by(StaffMember.name))
            ]

    def matrix(self, today: date | None = None, *, include_left: bool = False) -> MatrixView:
        """Every (current) member of staff against every active course. The latest completion
        per cell comes from one grouped query, so the grid costs the same whatever the
        history behind it. Read once until the next write, with everyone who has left, and
        the current staff's grid taken from that: the Overview, the matrix tab, the Strategy
        tab and the quarterly figures then share one read and one set of totals."""
        today = today or date.today()
        everyone = self.database.cached_read(
            "training matrix", today, lambda: self._read_matrix(today)
        )
        if include_left:
            return everyone
        return self.database.cached_read(
            "training matrix, current staff", today, everyone.current_only
        )

    def _read_matrix(self, today: date) -> MatrixView:
        window = self.due_soon_days()
        staff = self.staff(include_left=True)
        courses = self.courses()
        # The latest completion of each cell, by person then course: read from the covering
        # index ix_training_record_live_cell; the dates come as ISO text and each distinct
        # one is parsed once (150,000 cells at head office share a few thousand dates).
        latest: dict[str, dict[str, date]] = {}
        parsed: dict[str, date] = {}
        with self.database.reader() as session:
            for staff_id, course_id, completed in session.connection().exec_driver_sql(
                "SELECT staff_id, course_id, max(completed_on) FROM training_record "
                "WHERE deleted = 0 GROUP BY staff_id, course_id"
            ):
                day = parsed.get(completed)
                if day is None:
                    day = parsed[completed] = date.fromisoformat(completed)
                latest.setdefault(staff_id, {})[course_id] = day
        rules = [(index, course.id, course.rule) for index, course in enumerate(courses)]
        # A cell depends only on its course, the person's role and the latest completion, and
        # those repeat across thousands of staff: each distinct cell is worked out once and
        # shared (Cell is frozen). At head-office scale this takes the grid from seconds to a
        # fraction of one (issue 9).
        made: dict[tuple[int, str, date | None], Cell] = {}
        nothing: dict[str, date] = {}
        rows = []
        for person in staff:
            role = person.job_role
            done = latest.get(person.id, nothing)
            row = []
            for index, course_id, rule in rules:
                completed = done.get(course_id)
                cell = made.get((index, role, completed))
                if cell is None:
                    status, expires = cell_status(completed, rule, role, today, window)
                    cell = Cell(status, rule.required_for(role), completed, expires)
                    made[(index, role, completed)] = cell
                row.append(cell)
            rows.append(tuple(row))
        return MatrixView(tuple(staff), tuple(courses), tuple(rows), today, window)

    def history(self, staff_id: str, course_id: str) -> list[RecordView]:
        """Every completion of one cell, newest first."""
        with self.database.reader() as session:
            course = live_record(session, Course, course_id, "course")
            records = session.scalars(
                select(TrainingRecord)
                .where(
                    TrainingRecord.staff_id == staff_id,
                    TrainingRecord.course_id == course_id,
                    TrainingRecord.deleted.is_(False),
                )
                .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.created_at.desc())
            ).all()
            return [
                RecordView(
                    r.id,
                    r.staff_id,
                    r.course_id,
                    r.completed_on,
                    expiry_date(r.completed_on, course.validity_months),
                    r.certificate_reference,
                    r.evidence_note,
                    r.recorded_by_name,
                    r.created_at,
                    r.certificate_name,
                    r.certificate_size,
                )
                for r in records
            ]

    def certificate(self, record_id: str) -> tuple[str, bytes]:
        with self.database.reader() as session:
            record = live_record(session, TrainingRecord, record_id, "training record")
            certificate = (
                session.get(TrainingCertificate, record.certificate_id)
                if record.certificate_id
                else None
            )
            if certificate is None or certificate.deleted:
                raise ValidationError("No certificate file is kept with this record.")
            return certificate.name, bytes(certificate.content)

    # ---- staff -----------------------------------------------------------------------------

    def add_staff(self, data: StaffInput) -> ChangeSet:
        return self.add_staff_many([data])

    def add_staff_many(self, people: list[StaffInput]) -> ChangeSet:
        """Add everyone in one transaction (an import): all of them or, on any error, none."""
        self._require_edit()
        cleaned = [self._clean_staff(data) for data in people]
        with self._writer() as session:
            members = [
                StaffMember(
                    name=data.name,
                    job_role=data.job_role,
                    start_date=data.start_date,
                    left_on=data.left_on,
                    email=data.email,
                )
                for data in cleaned
            ]
            session.add_all(members)
            session.flush()
            return ChangeSet("staff_member", "create", tuple(m.id for m in members))

    def update_staff(self, staff_id: str, data: StaffInput) -> ChangeSet:
        self._require_edit()
        cleaned = self._clean_staff(data)
        with self._writer() as session:
            member = live_record(session, StaffMember, staff_id, "member of staff")
            member.name, member.job_role = cleaned.name, cleaned.job_role
            member.start_date, member.left_on = cleaned.start_date, cleaned.left_on
            member.email = cleaned.email
        return ChangeSet("staff_member", "update", (staff_id,))

    def _clean_staff(self, data: StaffInput) -> StaffInput:
        name = " ".join(data.name.split())
        problems = []
        if not name:
            problems.append("Give the person's name.")
        roles = {r.casefold(): r for r in self.job_roles()}
        role = roles.get(data.job_role.strip().casefold())
        if role is None:
            problems.append(
                f"'{data.job_role.strip()}' is not one of the site's job roles "
                f"({', '.join(roles.values())}). Add it to the list first."
            )
        email = data.email.strip()
        if email and ("@" not in email or " " in email or len(email) > 254):
            problems.append(f"'{email}' is not an email address.")
        if data.left_on and data.start_date and data.left_on < data.start_date:
            problems.append("The leaving date is before the start date.")
        if data.left_on and data.left_on > date.today():
            # Leavers drop out of the matrix at once: record the leaving on the day.
            problems.append("A leaving date cannot be in the future; record it on the day.")
        if problems:
            raise ValidationError(" ".join(problems))
        return StaffInput(name, role or "", data.start_date, email, data.left_on)

    # ---- courses and roles -----------------------------------------------------------------

    def add_course(self, data: CourseInput) -> ChangeSet:
        self._require_edit()
        with self._writer() as session:
            course = Course(sort_order=self._next_order(session))
            self._apply_course(session, course, data)
            session.add(course)
            session.flush()
            return ChangeSet("course", "create", (course.id,))

    def update_course(self, course_id: str, data: CourseInput) -> ChangeSet:
        self._require_edit()
        with self._writer() as session:
            self._apply_course(session, live_record(session, Course, course_id, "course"), data)
        return ChangeSet("course", "update", (course_id,))

    def set_course_active(self, course_id: str, active: bool) -> ChangeSet:
        """Retire a course (its column goes; its records stay) or bring it back."""
        self._require_edit()
        with self._writer() as session:
            live_record(session, Course, course_id, "course").active = active
        return ChangeSet("course", "update", (course_id,))

    def _apply_course(self, session: Session, course: Course, data: CourseInput) -> None:
        name = " ".join(data.name.split())
        problems = []
        if not name:
            problems.append("Give the course a name.")
        taken = session.scalar(
            select(Course.id).where(
                func.lower(Course.name) == name.lower(),
                Course.deleted.is_(False),
                Course.id != (course.id or ""),
            )
        )
        if taken:
            problems.append(f"There is already a course called '{name}'.")
        if not 0 <= data.validity_months <= MAX_VALIDITY_MONTHS:
            problems.append(
                f"Validity is 0 (never expires) to {MAX_VALIDITY_MONTHS} months, "
                f"not {data.validity_months}."
            )
        known_roles = {r.casefold(): r for r in self.job_roles()}
        unknown = [r for r in data.required_roles if r.casefold() not in known_roles]
        if unknown:
            problems.append(f"Unknown job role(s): {', '.join(unknown)}.")
        codes = {o.value for o in Objective}
        bad = [o for o in data.objectives if o not in codes]
        if bad:
            problems.append(f"Unknown strategy objective(s): {', '.join(bad)}.")
        if problems:
            raise ValidationError(" ".join(problems))
        course.name = name
        course.provider = data.provider.strip()
        course.validity_months = data.validity_months
        course.required_for_all = data.required_for_all
        course.required_roles = "\n".join(known_roles[r.casefold()] for r in data.required_roles)
        course.objectives = ",".join(sorted(set(data.objectives)))

    @staticmethod
    def _next_order(session: Session) -> int:
        return (session.scalar(select(func.max(Course.sort_order))) or 0) + 1

    def set_job_roles(
        self, names: list[str], renames: list[tuple[str, str]] | None = None
    ) -> ChangeSet:
        """Replace the list (in this order), after renaming roles (old, new) everywhere they
        are used, all in one transaction: on any refusal nothing changes. A role still held
        by someone cannot go."""
        self._require_edit()
        cleaned: list[str] = []
        for name in names:
            text = " ".join(name.split())
            if text and text.casefold() not in (c.casefold() for c in cleaned):
                cleaned.append(text)
        if not cleaned:
            raise ValidationError("Keep at least one job role.")
        with self._writer() as session:
            self._rename_roles(session, renames or [])
            existing = {
                r.name.casefold(): r
                for r in session.scalars(select(JobRole).where(JobRole.deleted.is_(False)))
            }
            for order, name in enumerate(cleaned):
                role = existing.pop(name.casefold(), None)
                if role is None:
                    session.add(JobRole(name=name, sort_order=order))
                else:
                    role.name, role.sort_order = name, order
            for gone in existing.values():
                holders = session.scalar(
                    select(func.count())
                    .select_from(StaffMember)
                    .where(
                        func.lower(StaffMember.job_role) == gone.name.lower(),
                        StaffMember.deleted.is_(False),
                    )
                )
                if holders:
                    raise ValidationError(
                        f"'{gone.name}' is still the job role of {holders} member(s) of staff; "
                        "give them another role first."
                    )
                gone.deleted = True
        return ChangeSet("job_role", "update")

    def rename_job_role(self, old: str, new: str) -> ChangeSet:
        """Rename a role everywhere it is used: the list, the staff who hold it, and the
        courses that require it."""
        self._require_edit()
        with self._writer() as session:
            self._rename_roles(session, [(old, new)])
        return ChangeSet("job_role", "update")

    @staticmethod
    def _rename_roles(session: Session, renames: list[tuple[str, str]]) -> None:
        """All renames at once, so that two roles may swap names."""
        if not renames:
            return
        roles = {
            r.name.casefold(): r
            for r in session.scalars(select(JobRole).where(JobRole.deleted.is_(False)))
        }
        moving: dict[str, tuple[JobRole, str]] = {}  # previous name (folded) -> role, new
        for old, new in renames:
            new = " ".join(new.split())
            if not new:
                raise ValidationError("Give the job role a name.")
            role = roles.get(old.strip().casefold())
            if role is None:
                raise ValidationError(f"There is no job role called '{old}'.")
            moving[role.name.casefold()] = (role, new)
        finals = [new.casefold() for _role, new in moving.values()]
        staying = {name for name in roles if name not in moving}
        for _role, new in moving.values():
            if new.casefold() in staying or finals.count(new.casefold()) > 1:
                raise ValidationError(f"There is already a job role called '{new}'.")
        for role, new in moving.values():
            role.name = new
        for member in session.scalars(
            select(StaffMember).where(
                func.lower(StaffMember.job_role).in_(list(moving)),
                StaffMember.deleted.is_(False),
            )
        ):
            member.job_role = moving[member.job_role.casefold()][1]
        for course in session.scalars(select(Course).where(Course.deleted.is_(False))):
            required = [r for r in course.required_roles.split("\n") if r]
            renamed = [moving[r.casefold()][1] if r.casefold() in moving else r for r in required]
            if renamed != required:
                course.required_roles = "\n".join(renamed)

    def set_due_soon_days(self, days: int) -> ChangeSet:
        self._require_edit()
        low, high = DUE_SOON_RANGE
        if not low <= days <= high:
            raise ValidationError(f"The due-soon window is {low} to {high} days.")
        with self._writer() as session:
            setting = session.scalar(select(Setting).where(Setting.key == DUE_SOON_SETTING))
            if setting is None:
                session.add(Setting(key=DUE_SOON_SETTING, value=str(days)))
            else:
                setting.value = str(days)
        return ChangeSet("setting", "update")

    def seed(self, seed: dict[str, list]) -> None:  # type: ignore[type-arg]
        """The starter roles and courses, at setup or first sign-in; never over a site's own."""
        with self.database.reader() as session:
            if session.scalar(select(Course.id).limit(1)) is not None:
                return
        with self._writer() as session:
            for order, name in enumerate(seed.get("job_roles", [])):
                session.add(JobRole(name=name, sort_order=order))
            for order, entry in enumerate(seed.get("courses", [])):
                session.add(
                    Course(
                        name=entry["name"],
                        provider=entry.get("provider", ""),
                        validity_months=int(entry.get("validity_months", 0)),
                        required_for_all=bool(entry.get("required_for_all", False)),
                        required_roles="\n".join(entry.get("roles", [])),
                        objectives=entry.get("objectives", ""),
                        sort_order=order,
                    )
                )

    # ---- completions -----------------------------------------------------------------------

    def record_completion(self, staff_ids: Iterable[str], data: CompletionInput) -> ChangeSet:
        """One completion for each of `staff_ids` (a team session), in one transaction."""
        return self.record_completions([(list(staff_ids), data)])

    def record_completions(self, batches: list[tuple[list[str], CompletionInput]]) -> ChangeSet:
        """Several sessions at once (an import), in one transaction: all or, on any error,
        nothing."""
        self._require_edit()
        for staff_ids, data in batches:
            if not staff_ids:
                raise ValidationError("Choose at least one member of staff.")
            self._check_completion(data)
        with self._writer() as session:
            # One query for everyone named, rather than one per person: a team session can
            # be a whole site.
            wanted = {staff_id for staff_ids, _data in batches for staff_id in staff_ids}
            present = set(
                session.scalars(
                    select(StaffMember.id).where(
                        StaffMember.id.in_(wanted), StaffMember.deleted.is_(False)
                    )
                )
            )
            if wanted - present:
                raise ValidationError(
                    "A member of staff in this list no longer exists (deleted on another "
                    "laptop?); nothing was recorded. Reload and try again."
                )
            records = []
            for staff_ids, data in batches:
                live_record(session, Course, data.course_id, "course")
                name, content = data.certificate or ("", b"")
                certificate = None
                if content:
                    certificate = TrainingCertificate(
                        id=new_id(), name=name, size_bytes=len(content), content=content
                    )
                    session.add(certificate)
                for staff_id in dict.fromkeys(staff_ids):
                    records.append(
                        TrainingRecord(
                            staff_id=staff_id,
                            course_id=data.course_id,
                            completed_on=data.completed_on,
                            certificate_reference=data.certificate_reference.strip(),
                            evidence_note=data.evidence_note.strip(),
                            recorded_by_name=self.actor.display_name,
                            certificate_name=name,
                            certificate_size=len(content),
                            certificate_id=certificate.id if certificate else None,
                        )
                    )
            session.add_all(records)
            session.flush()
            return ChangeSet("training_record", "create", tuple(r.id for r in records))

    def recorded_completions(self) -> set[tuple[str, str, date]]:
        """(staff id, course id, completed on) of every completion: what an import must not
        add twice."""
        with self.database.reader() as session:
            return {
                (staff_id, course_id, completed_on)
                for staff_id, course_id, completed_on in session.execute(
                    select(
                        TrainingRecord.staff_id,
                        TrainingRecord.course_id,
                        TrainingRecord.completed_on,
                    ).where(TrainingRecord.deleted.is_(False))
                )
            }

    def _check_completion(self, data: CompletionInput) -> None:
        problems = []
        if data.completed_on > date.today():
            problems.append("A completion cannot be dated in the future.")
        if data.completed_on < EARLIEST_COMPLETION:
            problems.append(
                f"A completion before {EARLIEST_COMPLETION:%d/%m/%Y} is not believable."
            )
        if data.certificate is not None:
            name, content = data.certificate
            if len(content) > MAX_CERTIFICATE_BYTES:
                problems.append(
                    f"'{name}' is {len(content) / 1_048_576:.1f} MB; a certificate can be at "
                    f"most {MAX_CERTIFICATE_BYTES // 1_048_576} MB. Scan it at a lower "
                    "resolution or save it as a smaller PDF."
                )
            if not content:
                problems.append(f"'{name}' is empty.")
        if len(data.evidence_note) > 5000:
            problems.append("The evidence note is too long (5,000 characters at most).")
        if problems:
            raise ValidationError(" ".join(problems))

    def delete_record(self, record_id: str) -> ChangeSet:
        """A completion recorded by mistake: a tombstone (the audit log keeps what it was)."""
        self._require_edit()
        with self._writer() as session:
            live_record(session, TrainingRecord, record_id, "training record").deleted = True
        return ChangeSet("training_record", "delete", (record_id,))

    # ---- helpers ---------------------------------------------------------------------------

    def _require_edit(self) -> None:
        self.actor.require(Permission.EDIT_TRAINING, "change the training matrix")

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)
