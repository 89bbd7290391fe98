"""Target 6: the training matrix PDF (500 staff x 30 courses) and the quarterly report PDF,
each at most 2x a plain ReportLab table of the same cells.

The figure is the app's own renderer writing into memory (reports/training_matrix_pdf.py and
reports/quarterly_pdf.py), from data already read: reading the database is not the PDF's cost.
The baseline is built from what the renderer lays out: every table in its story, row for row
and column for column, each cell as the plain string it shows (a Paragraph's text, a turned
heading's words), as plain `Table`s with one font and a grid, in a plain `SimpleDocTemplate` on
the same landscape A4 page. The font is the reports' own (DejaVu Sans: Helvetica has no ✓ and
cannot print every name), so both lay out the same glyphs. So the ratio is what the house style
costs (wrapped Paragraph cells, shading, turned headings, repeated heading rows, "page N of M")
over ReportLab laying out the same cells at all.

The matrix is made up in memory (statuses spread as on a real site), as the large demo's 5,000
staff are not 500; the quarterly report is the return of the shared demo database (BENCH_SIZE)
for the quarter before this one, as its manager would print it.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Table

from benchmarks.results import Row, interleaved_medians, ratio_row
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.reports import quarterly_pdf, training_matrix_pdf
from prevent_desktop.reports.fonts import BODY_FONT, register_fonts
from prevent_desktop.reports.training_snapshot import MatrixReport
from prevent_desktop.services.site import SiteView
from prevent_desktop.services.training_views import Cell, CourseView, MatrixView, StaffView

REPEATS = 3
STAFF = 500
COURSES = 30
PAGE = landscape(A4)
GREY = colors.HexColor("#8C8C8C")
ROLES = ("Tutor", "Assessor", "Apprentice coach", "Manager", "Administrator", "IT technician")

# ---- the same cells, plainly ---------------------------------------------------------------


def plain_text(value: Any) -> str:
    """What a cell shows, as one string."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(filter(None, (plain_text(v) for v in value)))
    if hasattr(value, "getPlainText"):  # a Paragraph, or a flowable of ours that prints text
        return str(value.getPlainText())
    if hasattr(value, "paragraph"):  # a turned heading that does not say (older code)
        return plain_text(value.paragraph)
    if value is None or isinstance(value, Table):
        return ""  # a table inside a cell is compared as a table of its own
    raise TypeError(f"no plain text for a {type(value).__name__} cell")


def tables_in(story: list[Any]) -> Iterator[list[list[str]]]:
    """Every table in `story` (tables inside cells too) as rows of plain strings."""
    for flowable in story:
        if isinstance(flowable, Table):
            rows = flowable._cellvalues
            yield [[plain_text(cell) for cell in row] for row in rows]
            for row in rows:
                for cell in row:
                    if isinstance(cell, list | tuple):
                        yield from tables_in(list(cell))
                    elif isinstance(cell, Table):
                        yield from tables_in([cell])


def plain_document(tables: list[list[list[str]]], target: io.BytesIO) -> None:
    register_fonts()
    width = PAGE[0] - 40 * mm
    story: list[Flowable] = []
    for rows in tables:
        columns = max(len(row) for row in rows)
        table = Table(rows, colWidths=[width / columns] * columns, repeatRows=1)
        table.setStyle(
            [("FONT", (0, 0), (-1, -1), BODY_FONT, 6.5), ("GRID", (0, 0), (-1, -1), 0.4, GREY)]
        )
        story.append(table)
    SimpleDocTemplate(target, pagesize=PAGE).build(story)


@contextmanager
def captured_story(module: Any) -> Iterator[list[list[Any]]]:
    """The story each `module.build_pdf` call is given, instead of building it."""
    stories: list[list[Any]] = []

    def capture(_target: Any, story: list[Any], **_options: Any) -> None:
        stories.append(list(story))

    with mock.patch.object(module, "build_pdf", capture):
        yield stories


def cells_of(module: Any, render: Callable[[io.BytesIO], None]) -> list[list[list[str]]]:
    with captured_story(module) as stories:
        render(io.BytesIO())
    return [table for story in stories for table in tables_in(story)]


def compare(name: str, module: Any, render: Callable[[io.BytesIO], None], what: str) -> Row:
    tables = cells_of(module, render)
    count = sum(len(row) for rows in tables for row in rows)
    sizes: dict[str, int] = {}

    def app() -> float:
        buffer = io.BytesIO()
        start = time.perf_counter()
        render(buffer)
        elapsed = time.perf_counter() - start
        sizes["app"] = len(buffer.getvalue())
        return elapsed

    def plain() -> float:
        buffer = io.BytesIO()
        start = time.perf_counter()
        plain_document(tables, buffer)
        elapsed = time.perf_counter() - start
        sizes["plain"] = len(buffer.getvalue())
        return elapsed

    app_s, plain_s = interleaved_medians(app, plain, REPEATS)
    return ratio_row(
        name,
        app_s,
        plain_s,
        at_most=2.0,
        notes=f"{what}; {len(tables)} tables, {count:,} cells; baseline: the same cells as "
        f"plain Tables in a SimpleDocTemplate; medians of {REPEATS} runs each",
    )


# ---- the training matrix -------------------------------------------------------------------


def made_up_matrix(
    staff: int = STAFF, courses: int = COURSES, today: date | None = None
) -> MatrixReport:
    """A site's matrix: most training in date, some due soon, expired or missing, courses
    required by role. The same every time (seeded)."""
    today = today or date.today()
    chance = random.Random(9)
    course_views = tuple(
        CourseView(
            id=f"course-{n}",
            name=f"Course {n + 1}: "
            + ("Prevent awareness" if n % 3 == 0 else "Safeguarding update"),
            provider="Home Office" if n % 2 else "Education and Training Foundation",
            validity_months=(12, 24, 36, 0)[n % 4],
            required_for_all=n < 6,
            required_roles=tuple(ROLES[n % len(ROLES) :][:2]),
            objectives=(),
        )
        for n in range(courses)
    )
    people = tuple(
        StaffView(
            id=f"staff-{n}",
            name=f"{chance.choice(['Sam', 'Alex', 'Priya', 'Jordan', 'Lee', 'Chidi'])} "
            f"{chance.choice(['Morgan', 'Shah', 'Brown', 'White', 'Obi', 'Kowalski'])} {n}",
            job_role=ROLES[n % len(ROLES)],
            start_date=date(2020, 1, 1),
            left_on=None,
            email="",
        )
        for n in range(staff)
    )

    def cell(person: StaffView, course: CourseView) -> Cell:
        required = course.required_for_all or person.job_role in course.required_roles
        roll = chance.random()
        if not required and roll < 0.6:
            return Cell(CellStatus.NOT_REQUIRED, False)
        if roll < 0.07:
            return Cell(CellStatus.MISSING, required)
        completed = today - timedelta(days=chance.randrange(30, 900))
        if course.validity_months == 0:
            return Cell(CellStatus.VALID, required, completed, None)
        expires = completed + timedelta(days=30 * course.validity_months)
        if expires < today:
            status = CellStatus.EXPIRED
        elif expires <= today + timedelta(days=60):
            status = CellStatus.DUE_SOON
        else:
            status = CellStatus.VALID
        return Cell(status, required, completed, expires)

    cells = tuple(tuple(cell(person, course) for course in course_views) for person in people)
    return MatrixReport(
        matrix=MatrixView(people, course_views, cells, today, 60),
        site=SiteView("site", "Riverside Apprenticeship Centre", "RAC"),
        printed_at=datetime.now().astimezone(),
        printed_by="Alex Morgan",
    )


def matrix_row() -> Row:
    report = made_up_matrix()
    return compare(
        f"training matrix PDF ({STAFF} staff × {COURSES} courses)",
        training_matrix_pdf,
        lambda target: training_matrix_pdf.render(report, target),
        f"{len(report.due())} due-list lines",
    )


# ---- the quarterly report ------------------------------------------------------------------


def quarterly_row() -> Row:
    from benchmarks.datasets import MANAGER, large_database
    from prevent_desktop.domain.quarter import Quarter
    from prevent_desktop.services.workspace import Workspace

    dataset = large_database()
    quarter = Quarter.containing(date.today()).previous()
    with tempfile.TemporaryDirectory() as folder:
        workspace, _ = Workspace.sign_in(dataset.copy_to(Path(folder)), MANAGER, dataset.passphrase)
        try:
            ret = workspace.quarterly.build(quarter)[0]
        finally:
            workspace.close()
    title = f"Quarterly return {quarter.label}"
    return compare(
        f"quarterly report PDF ({dataset.size}, {quarter.label})",
        quarterly_pdf,
        lambda target: quarterly_pdf.render([ret], target, title=title),
        "the site's own return",
    )


def run() -> list[Row]:
    return [matrix_row(), quarterly_row()]
