"""The training matrix PDF and workbook read back: the grid, legend, compliance and due list."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pypdf
import pytest
from openpyxl.utils import get_column_letter

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.errors import KnownError
from prevent_desktop.reports import catalogue
from prevent_desktop.reports.training_matrix_pdf import column_blocks, write_training_matrix_pdf
from prevent_desktop.reports.training_matrix_xlsx import write_training_matrix_xlsx
from prevent_desktop.reports.training_snapshot import FILL_HEX, cell_text, meaning
from prevent_desktop.services.demo_training import DEMO_STAFF, build_demo_training
from prevent_desktop.services.training_views import (
    Cell,
    CompletionInput,
    CourseInput,
    StaffInput,
)
from prevent_desktop.services.workspace import Workspace

INJECTED = "=cmd|' /C calc'!A0"
MARKUP_NAME = "Ann <b>O'Neil</b> & Co"


def _pages(path: Path) -> list[str]:
    # Wrapped cells break lines mid-phrase; compare on single spaces.
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


@pytest.fixture
def demo(workspace: Workspace) -> Workspace:
    """The demo's staff and completions (every status present), plus two awkward names."""
    build_demo_training(workspace, date.today())
    workspace.training.add_staff(StaffInput(INJECTED, "Assessor"))
    workspace.training.add_staff(StaffInput(MARKUP_NAME, "Administrator"))
    return workspace


def test_every_status_is_present_in_the_demo_like_data(demo: Workspace) -> None:
    counts = demo.training.matrix(date.today()).status_counts()
    assert all(counts[status] > 0 for status in CellStatus), counts


def test_pdf_holds_the_matrix_legend_and_compliance(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "matrix.pdf"
    write_training_matrix_pdf(demo, out)
    matrix = demo.training.matrix(date.today())

    pages = _pages(out)
    text = " ".join(pages)
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert box.width > box.height  # landscape
    for expected in (
        "Training matrix",
        "Leeds Training Centre (LTC)",
        date.today().strftime("%d/%m/%Y"),
        "Legend",
        "Compliance",
        f"Falls due in the next {demo.training.due_soon_days()} days",
        "Printed on",
        "by Sam Patel",
        "NOT encrypted",
        f"Page {len(pages)} of {len(pages)}",
        "Łukasz Şahin",
        INJECTED,
        MARKUP_NAME,  # printed, not obeyed as markup
    ):
        assert expected in text, expected
    # The legend: every status's symbol and word on page 1, and its count of cells.
    counts = matrix.status_counts()
    for status in CellStatus:
        assert status.symbol in pages[0] and status.label in pages[0], status
        assert status.symbol in " ".join(pages[1:]), status  # and in the grid or due list
        assert f"{meaning(status, matrix.due_soon_days)} {counts[status]}" in pages[0], status
    # Compliance figures are MatrixView's own.
    assert f"{matrix.overall().text()} of required training in date" in pages[0]
    by_course = matrix.by_course()
    for course in matrix.courses:
        assert f"{course.name} {by_course[course.id].text()}" in text, course.name
    for role, figure in matrix.by_role().items():
        assert f"{role} {figure.text()}" in text, role
    # Every member of staff with their role, and cells as symbol + date.
    for person in matrix.staff:
        assert person.name in text and person.job_role in text
    for status in (CellStatus.VALID, CellStatus.DUE_SOON, CellStatus.EXPIRED):
        person, cell = next(
            (person, cell)
            for person, cells in zip(matrix.staff, matrix.cells, strict=True)
            for cell in cells
            if cell.status is status and cell.expires_on
        )
        assert re.fullmatch(rf"{status.symbol} \d\d/\d\d/\d\d", cell_text(cell))
        assert f"{person.job_role} " in text and cell_text(cell) in text
    # The due list names who falls due, with when.
    for item in matrix.due_within(matrix.due_soon_days):
        assert f"{item.course.name}" in text and item.expires_on.strftime("%d/%m/%Y") in text
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_cell_text() -> None:
    expires = date(2027, 3, 9)
    assert cell_text(Cell(CellStatus.VALID, True, date(2025, 3, 9), expires)) == "✓ 09/03/27"
    assert cell_text(Cell(CellStatus.VALID, True, date(2025, 3, 9), None)) == "✓ no expiry"
    assert (
        cell_text(Cell(CellStatus.DUE_SOON, True, None, expires), full_year=True) == "◷ 09/03/2027"
    )
    assert cell_text(Cell(CellStatus.EXPIRED, True, None, expires)) == "✗ 09/03/27"
    assert cell_text(Cell(CellStatus.MISSING, True)) == "! Missing"
    assert cell_text(Cell(CellStatus.NOT_REQUIRED, False)) == "–"


def test_column_blocks() -> None:
    assert column_blocks(0) == []
    assert [len(b) for b in column_blocks(11)] == [11]
    assert [len(b) for b in column_blocks(15)] == [15]
    assert [len(b) for b in column_blocks(16)] == [8, 8]
    assert [len(b) for b in column_blocks(30)] == [15, 15]
    assert [len(b) for b in column_blocks(31)] == [11, 11, 9]
    assert [c for b in column_blocks(31) for c in b] == list(range(31))


def _large_site(workspace: Workspace, staff: int, extra_courses: int) -> None:
    training = workspace.training
    for number in range(1, extra_courses + 1):
        training.add_course(
            CourseInput(f"Extra course {number}", validity_months=12, required_for_all=True)
        )
    roles = training.job_roles()
    ids = [
        training.add_staff(StaffInput(f"Person {n:03d}", roles[n % len(roles)])).ids[0]
        for n in range(staff)
    ]
    today = date.today()
    for index, course in enumerate(training.courses()[::2]):
        # A team session for a third of the staff on every other course (the service checks
        # each person, so recording all 30 courses would only slow the test).
        training.record_completion(
            ids[index % 3 :: 3], CompletionInput(course.id, today - timedelta(days=30 + 10 * index))
        )


def test_500_staff_by_30_courses_split_across_pages(workspace: Workspace, tmp_path: Path) -> None:
    _large_site(workspace, staff=500, extra_courses=19)
    matrix = workspace.training.matrix(date.today())
    assert (len(matrix.staff), len(matrix.courses)) == (500, 30)
    out = tmp_path / "matrix.pdf"
    write_training_matrix_pdf(workspace, out)

    pages = _pages(out)
    assert len(pages) > 40
    first_block, second_block = matrix.courses[0].name, matrix.courses[15].name
    grid = [page for page in pages if "Name and job role" in page]
    part_1 = [page for page in grid if "Courses 1–15 of 30" in page or first_block in page]
    part_2 = [page for page in grid if second_block in page and first_block not in page]
    assert len(part_1) > 1 and len(part_2) > 1 and len(part_1) + len(part_2) == len(grid)
    # The heading row is repeated on every page of each part, with the names down the side.
    for page in part_1:
        assert all(course.name in page for course in matrix.courses[:15])
        assert re.search(r"Person \d\d\d", page)
    for page in part_2:
        assert all(course.name in page for course in matrix.courses[15:])
        assert re.search(r"Person \d\d\d", page)
    # Everyone is on both parts: the name column is repeated when the columns split.
    for name in ("Person 000", "Person 250", "Person 499"):
        assert any(name in page for page in part_1) and any(name in page for page in part_2)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]

    book_path = tmp_path / "matrix.xlsx"
    write_training_matrix_xlsx(workspace, book_path)
    sheet = openpyxl.load_workbook(book_path)["Matrix"]
    assert (sheet.max_row, sheet.max_column) == (501, 32)


def test_xlsx_matrix_fills_symbols_and_text(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "matrix.xlsx"
    write_training_matrix_xlsx(demo, out)
    matrix = demo.training.matrix(date.today())

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["Matrix", "Compliance", "Due"]
    sheet = book["Matrix"]
    assert sheet.freeze_panes == "C2"
    last = get_column_letter(2 + len(matrix.courses))
    assert sheet.auto_filter.ref == f"A1:{last}{1 + len(matrix.staff)}"
    header = [cell.value for cell in sheet[1]]
    assert header == ["Name", "Job role", *(course.name for course in matrix.courses)]
    assert sheet.column_dimensions["A"].width >= 20
    seen: set[CellStatus] = set()
    for row, person in enumerate(matrix.staff, start=2):
        assert sheet.cell(row, 1).value == person.name
        assert sheet.cell(row, 1).data_type == "s"
        for column, cell in enumerate(matrix.cells[row - 2], start=3):
            target = sheet.cell(row, column)
            assert target.value == cell_text(cell, full_year=True)
            assert target.data_type == "s"
            fill = FILL_HEX[cell.status]
            if fill:
                assert target.fill.fill_type == "solid"
                assert target.fill.start_color.rgb == "00" + fill
            else:
                assert target.fill.fill_type is None
            seen.add(cell.status)
    assert seen == set(CellStatus)
    # The name typed as a formula is stored, and read back, as text.
    injected = next(c for c in sheet["A"] if c.value == INJECTED)
    assert injected.data_type == "s"
    assert sheet.cell(injected.row, 2).value == "Assessor"


def test_xlsx_compliance_and_due_sheets(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "matrix.xlsx"
    write_training_matrix_xlsx(demo, out)
    matrix = demo.training.matrix(date.today())
    book = openpyxl.load_workbook(out)

    rows = list(book["Compliance"].iter_rows(min_row=2, values_only=True))
    overall = matrix.overall()
    assert rows[0][:6] == (
        "Overall",
        "All required training",
        overall.text(),
        round(overall.percent or 0),
        overall.required,
        overall.done,
    )
    by_course = matrix.by_course()
    courses = {row[1]: row[2] for row in rows if row[0] == "Course"}
    assert courses == {course.name: by_course[course.id].text() for course in matrix.courses}
    roles = {row[1]: row[2] for row in rows if row[0] == "Job role"}
    assert roles == {role: figure.text() for role, figure in matrix.by_role().items()}

    due = matrix.due_within(matrix.due_soon_days)
    due_rows = list(book["Due"].iter_rows(min_row=2, values_only=True))
    assert len(due_rows) == len(due) > 0
    for item, row in zip(due, due_rows, strict=True):
        assert row[0] == item.staff.name and row[2] == item.course.name
        assert row[3] == f"{item.status.symbol} {item.status.label}"
        assert row[4].date() == item.expires_on
        assert row[5] == (item.expires_on - matrix.today).days
    symbols = [cell.value for cell in book["Legend"]["A"][1:6]]
    assert symbols == [status.symbol for status in CellStatus]


def test_empty_matrix_still_prints(workspace: Workspace, tmp_path: Path) -> None:
    write_training_matrix_pdf(workspace, tmp_path / "empty.pdf")
    assert "No staff recorded yet." in " ".join(_pages(tmp_path / "empty.pdf"))
    write_training_matrix_xlsx(workspace, tmp_path / "empty.xlsx")
    assert openpyxl.load_workbook(tmp_path / "empty.xlsx")["Matrix"].max_row == 1


def test_failed_write_leaves_nothing(demo: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    with pytest.raises(KnownError):
        write_training_matrix_pdf(demo, folder / "matrix.pdf")
    with pytest.raises(KnownError):
        write_training_matrix_xlsx(demo, folder / "matrix.xlsx")
    assert not folder.exists()
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_catalogue_offers_pdf_and_xlsx(demo: Workspace, tmp_path: Path) -> None:
    assert set(catalogue.KINDS["training-matrix"]) == {".pdf", ".xlsx"}
    for suffix in (".pdf", ".xlsx"):
        out = tmp_path / f"matrix{suffix}"
        catalogue.writer_for("training-matrix", suffix)(demo, out, catalogue.ReportOptions())
        assert out.stat().st_size > 0
    catalogue.check_options("training-matrix", catalogue.ReportOptions())


def test_demo_staff_are_all_printed(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "matrix.pdf"
    write_training_matrix_pdf(demo, out)
    grid = " ".join(page for page in _pages(out) if "Name and job role" in page)
    for name, role, _started in DEMO_STAFF:
        assert f"{name} {role}" in grid, name


def test_a_course_name_typed_as_a_formula_stays_text(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from prevent_desktop.services.training_views import CourseInput

    workspace.training.add_course(
        CourseInput('=HYPERLINK("http://example.invalid","x")\x01', required_for_all=True)
    )
    out = tmp_path / "matrix.xlsx"
    write_training_matrix_xlsx(workspace, out)
    headings = next(load_workbook(out)["Matrix"].iter_rows(min_row=1, max_row=1))
    typed = [cell for cell in headings if str(cell.value).startswith("=HYPERLINK")]
    assert len(typed) == 1 and typed[0].data_type == "s"
    assert "\x01" not in str(typed[0].value)
