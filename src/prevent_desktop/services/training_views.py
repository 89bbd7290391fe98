"""What the training service takes and returns, and the matrix's own arithmetic
(compliance, who falls due). Plain data: no sessions, no Qt."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import repeat
from typing import Any, TypeVar

from prevent_desktop.domain.training import CellStatus, Compliance, CourseRule

T = TypeVar("T")


@dataclass(frozen=True)
class StaffInput:
    name: str
    job_role: str
    start_date: date | None = None
    email: str = ""
    left_on: date | None = None


@dataclass(frozen=True)
class StaffView:
    id: str
    name: str
    job_role: str
    start_date: date | None
    left_on: date | None
    email: str

    @property
    def active(self) -> bool:
        return self.left_on is None

    def as_input(self) -> StaffInput:
        return StaffInput(self.name, self.job_role, self.start_date, self.email, self.left_on)


@dataclass(frozen=True)
class CourseInput:
    name: str
    provider: str = ""
    validity_months: int = 0
    required_for_all: bool = False
    required_roles: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class CourseView:
    id: str
    name: str
    provider: str
    validity_months: int
    required_for_all: bool
    required_roles: tuple[str, ...]
    objectives: tuple[str, ...]
    active: bool = True

    @property
    def rule(self) -> CourseRule:
        return CourseRule(
            self.validity_months, self.required_for_all, frozenset(self.required_roles)
        )

    def validity_text(self) -> str:
        if self.validity_months == 0:
            return "Never expires"
        if self.validity_months % 12 == 0:
            years = self.validity_months // 12
            return f"{years} year{'s' if years > 1 else ''}"
        return f"{self.validity_months} months"

    def as_input(self) -> CourseInput:
        return CourseInput(
            self.name,
            self.provider,
            self.validity_months,
            self.required_for_all,
            self.required_roles,
            self.objectives,
        )


@dataclass(frozen=True)
class CompletionInput:
    course_id: str
    completed_on: date
    certificate_reference: str = ""
    evidence_note: str = ""
    certificate: tuple[str, bytes] | None = None  # file name and content


@dataclass(frozen=True)
class RecordView:
    id: str
    staff_id: str
    course_id: str
    completed_on: date
    expires_on: date | None
    certificate_reference: str
    evidence_note: str
    recorded_by_name: str
    recorded_at: datetime
    certificate_name: str
    certificate_size: int


@dataclass(frozen=True)
class Cell:
    status: CellStatus
    required: bool
    completed_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class DueItem:
    staff: StaffView
    course: CourseView
    expires_on: date
    status: CellStatus


@dataclass(frozen=True)
class MatrixView:
    """Staff rows x course columns, each cell worked out for `today`."""

    staff: tuple[StaffView, ...]
    courses: tuple[CourseView, ...]
    cells: tuple[tuple[Cell, ...], ...]  # cells[row][column]
    today: date
    due_soon_days: int
    # Totals worked out once per matrix (on the worker, before the UI thread asks): 150,000
    # cells at head office. Not part of what the matrix is.
    _totals: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def cell(self, row: int, column: int) -> Cell:
        return self.cells[row][column]

    def current_only(self) -> MatrixView:
        """The same grid without the people who have left (their rows and cells shared)."""
        keep = [row for row, person in enumerate(self.staff) if person.active]
        return replace(
            self,
            staff=tuple(self.staff[row] for row in keep),
            cells=tuple(self.cells[row] for row in keep),
        )

    def _kept(self, name: str, work_out: Callable[[], T]) -> T:
        if name not in self._totals:
            self._totals[name] = work_out()
        return self._totals[name]  # type: ignore[no-any-return]

    def by_course(self) -> dict[str, Compliance]:
        """Course id -> compliance of the staff it is required for."""
        return dict(self._kept("by course", self._by_course))

    def by_role(self) -> dict[str, Compliance]:
        return dict(self._kept("by role", self._by_role))

    def search_texts(self) -> tuple[str, ...]:
        """Each row's name and email, casefolded, for the search box: worked out once per
        matrix rather than once per row and keystroke (5,000 staff at head office)."""
        return self._kept(
            "search", lambda: tuple(f"{s.name} {s.email}".casefold() for s in self.staff)
        )

    def overall(self) -> Compliance:
        return self._kept("overall", self._overall)

    def _tally(self) -> list[tuple[str, int, Cell, int]]:
        """(role, column, cell, how many): the grid's 150,000 cells at head office come down
        to a few tens of thousands of distinct ones (the grid shares equal cells), counted in
        one pass for all three totals."""
        counts: Counter[tuple[str, int, int]] = Counter()
        cells: dict[int, Cell] = {}
        columns = range(len(self.courses))
        for person, row in zip(self.staff, self.cells, strict=True):
            if len(row) != len(columns):  # zip below would cut a ragged row short
                raise ValueError("a row of the training matrix does not match its courses")
            counts.update(zip(repeat(person.job_role), columns, map(id, row)))
            cells.update(zip(map(id, row), row, strict=True))
        return [(role, column, cells[key], n) for (role, column, key), n in counts.items()]

    def _required_tally(self) -> list[tuple[str, int, int, int]]:
        """(role, column, done, required) for each distinct required cell."""
        return [
            (role, column, n * cell.status.counts_as_done, n)
            for role, column, cell, n in self._kept("tally", self._tally)
            if cell.required
        ]

    def _by_course(self) -> dict[str, Compliance]:
        done = [0] * len(self.courses)
        required = [0] * len(self.courses)
        for _role, column, d, n in self._kept("required", self._required_tally):
            done[column] += d
            required[column] += n
        return {
            course.id: Compliance(done[column], required[column])
            for column, course in enumerate(self.courses)
        }

    def in_date_by_course(self) -> dict[str, int]:
        """Course id -> staff who hold it in date, whether their role requires it or not."""
        held = [0] * len(self.courses)
        for _role, column, cell, n in self._kept("tally", self._tally):
            held[column] += n * cell.status.counts_as_done
        return {course.id: held[column] for column, course in enumerate(self.courses)}

    def _by_role(self) -> dict[str, Compliance]:
        done: dict[str, int] = defaultdict(int)
        required: dict[str, int] = defaultdict(int)
        for person in self.staff:  # a role with no required course still has its line
            required[person.job_role] += 0
        for role, _column, d, n in self._kept("required", self._required_tally):
            done[role] += d
            required[role] += n
        return {role: Compliance(done[role], required[role]) for role in sorted(required)}

    def _overall(self) -> Compliance:
        tally = self._kept("required", self._required_tally)
        return Compliance(sum(d for *_, d, _n in tally), sum(n for *_, n in tally))

    def due_within(self, days: int) -> list[DueItem]:
        """Required training that expires within `days` (or has expired), soonest first."""
        horizon = self.today + timedelta(days=days)
        items = [
            DueItem(person, course, cell.expires_on, cell.status)
            for person, row in zip(self.staff, self.cells, strict=True)
            for course, cell in zip(self.courses, row, strict=True)
            if cell.required and cell.expires_on is not None and cell.expires_on <= horizon
        ]
        return sorted(items, key=lambda item: (item.expires_on, item.staff.name))

    def status_counts(self) -> dict[CellStatus, int]:
        counts = {status: 0 for status in CellStatus}
        for _role, _column, cell, n in self._kept("tally", self._tally):
            counts[cell.status] += n
        return counts
