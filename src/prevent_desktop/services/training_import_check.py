"""Checking every row of an import against the matrix before anything is written.

Names are matched exactly, ignoring only case and repeated spaces: "jane  SMITH" is Jane
Smith, but "Jane Smyth" or "J Smith" is reported with its line, never matched to the nearest
name. A wrong guess would put training on someone who has not done it, which is worse for a
safeguarding record than a row left out and explained.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from prevent_desktop.services.training import EARLIEST_COMPLETION
from prevent_desktop.services.training_import_fields import (
    FIELDS,
    DateProblem,
    ImportKind,
    Mapping,
    check_mapping,
    parse_date,
    text_of,
)
from prevent_desktop.services.training_import_read import SourceRow, Table, Value
from prevent_desktop.services.training_views import CourseView, StaffInput, StaffView

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

MAX_NOTE = 5000  # as the training service allows


def same_name(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class KnownData:
    """What rows are checked against: a snapshot of the matrix taken on the worker."""

    staff: tuple[StaffView, ...]
    courses: tuple[CourseView, ...]
    job_roles: tuple[str, ...]
    today: date
    recorded: frozenset[tuple[str, str, date]] = frozenset()  # (staff id, course id, date)


def known_data(workspace: Workspace, today: date | None = None) -> KnownData:
    """Everyone (including those who have left: their past training is still history to
    import), every course (including retired ones, whose records stay), the job roles and
    the completions already recorded, so that importing a file twice adds nothing twice."""
    training = workspace.training
    recorded = frozenset(training.recorded_completions())
    return KnownData(
        tuple(training.staff(include_left=True)),
        tuple(training.courses(include_retired=True)),
        tuple(training.job_roles()),
        today or date.today(),
        recorded,
    )


@dataclass(frozen=True)
class PlannedCompletion:
    staff_id: str
    course_id: str
    completed_on: date
    certificate_reference: str
    evidence_note: str


@dataclass(frozen=True)
class CheckedRow:
    line: int
    shown: tuple[str, ...]  # each field's text, in FIELDS order, for the preview
    problems: tuple[str, ...]
    staff: StaffInput | None = None
    completion: PlannedCompletion | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportPlan:
    kind: ImportKind
    file_name: str
    line_word: str
    rows: tuple[CheckedRow, ...]

    @property
    def valid_rows(self) -> tuple[CheckedRow, ...]:
        return tuple(row for row in self.rows if row.ok)

    @property
    def problem_rows(self) -> tuple[CheckedRow, ...]:
        return tuple(row for row in self.rows if not row.ok)

    @property
    def has_errors(self) -> bool:
        return any(row.problems for row in self.rows)

    def errors(self) -> list[str]:
        """Every problem, in file order: "Line 7: the completion date '31/02/2025' is ..."."""
        return [
            f"{self.line_word} {row.line}: {problem}"
            for row in self.rows
            for problem in row.problems
        ]


def validate(kind: ImportKind, table: Table, mapping: Mapping, known: KnownData) -> ImportPlan:
    """Check every row; nothing is written. Raises ValidationError only for a mapping that
    cannot be used; a bad row is reported in the plan with its line."""
    check_mapping(kind, mapping, len(table.headers))
    check: Callable[[SourceRow, Mapping], CheckedRow]
    check = (
        _StaffCheck(known, table.line_word)
        if kind is ImportKind.STAFF
        else (_CompletionCheck(known, table.line_word))
    )
    rows = tuple(check(row, mapping) for row in table.rows)
    return ImportPlan(kind, table.name, table.line_word, rows)


def _shown(kind: ImportKind, row: SourceRow, mapping: Mapping) -> tuple[str, ...]:
    return tuple(text_of(row.value(mapping.get(spec.key))) for spec in FIELDS[kind])


def _date(
    value: Value, label: str, problems: list[str], today: date, *, future_ok: bool = False
) -> date | None:
    try:
        parsed = parse_date(value)
    except DateProblem as problem:
        problems.append(f"the {label} '{text_of(value)}' {problem}")
        return None
    if parsed is not None and parsed > today and not future_ok:
        problems.append(f"the {label} {parsed:%d/%m/%Y} is in the future")
    return parsed


class _StaffCheck:
    def __init__(self, known: KnownData, line_word: str) -> None:
        self.known = known
        self.word = line_word.lower()
        self.existing = {same_name(person.name) for person in known.staff}
        self.roles = {same_name(role): role for role in known.job_roles}
        self.seen: dict[str, int] = {}

    def __call__(self, row: SourceRow, mapping: Mapping) -> CheckedRow:
        def value(key: str) -> Value:
            return row.value(mapping.get(key))

        problems: list[str] = []
        name = text_of(value("name"))
        if not name:
            problems.append("the name is empty")
        elif same_name(name) in self.existing:
            problems.append(f"'{name}' is already on the staff list (an import only adds people)")
        elif same_name(name) in self.seen:
            problems.append(f"'{name}' is already on {self.word} {self.seen[same_name(name)]}")
        else:
            self.seen[same_name(name)] = row.line
        role_text = text_of(value("job_role"))
        role = self.roles.get(same_name(role_text))
        if not role_text:
            problems.append("the job role is empty")
        elif role is None:
            problems.append(
                f"'{role_text}' is not one of the site's job roles "
                f"({', '.join(self.known.job_roles)})"
            )
        today = self.known.today
        # A start date may be ahead (a new starter); a leaving date may not, since someone
        # with one is off the matrix from the moment it is recorded.
        start = _date(value("start_date"), "start date", problems, today, future_ok=True)
        left = _date(value("left_on"), "leaving date", problems, today)
        if start and left and left < start:
            problems.append("the leaving date is before the start date")
        email = text_of(value("email"))
        if email and ("@" not in email or " " in email or len(email) > 254):
            problems.append(f"'{email}' is not an email address")
        shown = _shown(ImportKind.STAFF, row, mapping)
        if problems:
            return CheckedRow(row.line, shown, tuple(problems))
        staff = StaffInput(name, role or "", start, email, left)
        return CheckedRow(row.line, shown, (), staff=staff)


class _CompletionCheck:
    def __init__(self, known: KnownData, line_word: str) -> None:
        self.known = known
        self.word = line_word.lower()
        self.people: dict[str, list[StaffView]] = defaultdict(list)
        for person in known.staff:
            self.people[same_name(person.name)].append(person)
        self.courses = {same_name(course.name): course for course in known.courses}
        self.seen: dict[tuple[str, str, date], int] = {}

    def __call__(self, row: SourceRow, mapping: Mapping) -> CheckedRow:
        def value(key: str) -> Value:
            return row.value(mapping.get(key))

        problems: list[str] = []
        name = text_of(value("staff_name"))
        matches = self.people.get(same_name(name), [])
        if not name:
            problems.append("the staff name is empty")
        elif not matches:
            problems.append(
                f"no member of staff is called '{name}' (add them to the matrix first, or "
                "correct the name)"
            )
        elif len(matches) > 1:
            problems.append(
                f"{len(matches)} members of staff are called '{name}'; record this one in the "
                "matrix, where you can tell them apart"
            )
        course_text = text_of(value("course_name"))
        course = self.courses.get(same_name(course_text))
        if not course_text:
            problems.append("the course is empty")
        elif course is None:
            problems.append(f"there is no course called '{course_text}'")
        completed = _date(value("completed_on"), "completion date", problems, self.known.today)
        if completed is None and text_of(value("completed_on")) == "":
            problems.append("the completion date is empty")
        elif completed is not None and completed < EARLIEST_COMPLETION:
            problems.append(f"the completion date {completed:%d/%m/%Y} is before 1990")
        raw_note = value("evidence_note")
        # A note keeps its own line breaks; every other field is one line of text.
        note = raw_note.strip() if isinstance(raw_note, str) else text_of(raw_note)
        if len(note) > MAX_NOTE:
            problems.append(f"the evidence note is longer than {MAX_NOTE:,} characters")
        shown = _shown(ImportKind.COMPLETIONS, row, mapping)
        if len(matches) == 1 and course is not None and completed is not None:
            key = (matches[0].id, course.id, completed)
            if key in self.seen:
                problems.append(
                    f"repeats {self.word} {self.seen[key]} (the same person, course and date)"
                )
            elif key in self.known.recorded:
                problems.append(
                    f"{matches[0].name} already has {course.name} recorded on {completed:%d/%m/%Y}"
                )
            self.seen.setdefault(key, row.line)
        if problems or course is None or completed is None:
            return CheckedRow(row.line, shown, tuple(problems))
        reference = text_of(value("certificate_reference"))
        planned = PlannedCompletion(matches[0].id, course.id, completed, reference, note)
        return CheckedRow(row.line, shown, (), completion=planned)
