"""The training matrix as an Excel workbook, for people who keep their training in Excel.

"Matrix" is the grid: one row per member of staff, one column per course, each cell the same
symbol and expiry date as the PDF, as text, with the same light fills; the names and headings
stay in view while scrolling, and the autofilter picks out one role or one status. Then
"Compliance" (overall, per course, per role), "Due" (who falls due) and "Legend". Every piece of
typed text is stored as text (spreadsheet.add_sheet), so a name typed as "=cmd|..." is never a
formula. Built in memory, written atomically.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from prevent_desktop.domain.training import CellStatus, Compliance
from prevent_desktop.reports.spreadsheet import Column, Value, add_sheet
from prevent_desktop.reports.training_snapshot import (
    FILL_HEX,
    TITLE,
    Breakdown,
    MatrixReport,
    cell_text,
    meaning,
    take_matrix_report,
)
from prevent_desktop.services.training_views import Cell, DueItem, StaffView
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.services.workspace import Workspace

StaffRow = tuple[StaffView, tuple[Cell, ...]]
Line = tuple[str, Breakdown]  # scope ("Overall", "Course", "Job role") and its figures

FILLS = {
    status: PatternFill("solid", start_color=hex_, end_color=hex_)
    for status, hex_ in FILL_HEX.items()
    if hex_
}
FROZEN = "C2"  # the heading row and the name and job role columns
COURSE_WIDTH = 14
HEADING_HEIGHT = 48  # points: three lines of a wrapped course name


def write_training_matrix_xlsx(
    workspace: Workspace, destination: Path, options: ReportOptions | None = None
) -> None:
    """Write the "Matrix", "Compliance", "Due" and "Legend" sheets to `destination` (replaced
    atomically). Raises StorageFull, ReadOnlyLocation or KnownError when it cannot be written."""
    del options  # the matrix takes no options; the parameter keeps every writer alike
    report = take_matrix_report(workspace)
    write_atomic(destination, workbook_bytes(report), doing="saving the training matrix workbook")


def workbook_bytes(report: MatrixReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # the default empty sheet
    _matrix_sheet(workbook, report)
    add_sheet(workbook, "Compliance", COMPLIANCE_COLUMNS, _compliance_lines(report))
    due_columns = _due_columns(report.matrix.today)
    add_sheet(workbook, "Due", due_columns, report.due())
    _fill_column(workbook["Due"], 4, [item.status for item in report.due()])
    _legend_sheet(workbook, report)
    workbook.properties.title = f"{TITLE} – {report.site.name}"
    workbook.properties.creator = report.printed_by
    workbook.properties.description = "Not encrypted: store securely."
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- the matrix ------------------------------------------------------------------------------


def _course_column(index: int, name: str) -> Column[StaffRow]:
    return Column(name, COURSE_WIDTH, lambda row: cell_text(row[1][index], full_year=True))


def _matrix_sheet(workbook: Workbook, report: MatrixReport) -> None:
    matrix = report.matrix
    columns: list[Column[StaffRow]] = [
        Column("Name", 26, lambda row: row[0].name),
        Column("Job role", 22, lambda row: row[0].job_role),
        *(_course_column(index, course.name) for index, course in enumerate(matrix.courses)),
    ]
    add_sheet(workbook, "Matrix", columns, list(zip(matrix.staff, matrix.cells, strict=True)))
    sheet = workbook["Matrix"]
    sheet.freeze_panes = FROZEN
    sheet.row_dimensions[1].height = HEADING_HEIGHT
    centred = Alignment(horizontal="center", vertical="center")
    for row_number, cells in enumerate(matrix.cells, start=2):
        for column_number, cell in enumerate(cells, start=3):
            target = sheet.cell(row=row_number, column=column_number)
            target.alignment = centred
            if cell.status in FILLS:
                target.fill = FILLS[cell.status]


# ---- compliance, due, legend -----------------------------------------------------------------


def _percent(compliance: Compliance) -> int | None:
    return None if compliance.required == 0 else compliance.whole_percent


COMPLIANCE_COLUMNS: list[Column[Line]] = [
    Column("Scope", 10, lambda line: line[0]),
    Column("Name", 38, lambda line: line[1].name, wrap=True),
    Column("Compliance", 18, lambda line: line[1].compliance.text()),
    Column("Compliance %", 13, lambda line: _percent(line[1].compliance)),
    Column("Required", 10, lambda line: line[1].compliance.required),
    Column("In date", 10, lambda line: line[1].compliance.done),
    Column("Due soon", 10, lambda line: line[1].due_soon),
    Column("Expired", 10, lambda line: line[1].expired),
    Column("Missing", 10, lambda line: line[1].missing),
]


def _compliance_lines(report: MatrixReport) -> list[Line]:
    courses, roles = report.by_course(), report.by_role()
    overall = Breakdown(
        "All required training",
        report.matrix.overall(),
        sum(line.due_soon for line in courses),
        sum(line.expired for line in courses),
        sum(line.missing for line in courses),
    )
    return [
        ("Overall", overall),
        *(("Course", line) for line in courses),
        *(("Job role", line) for line in roles),
    ]


def _due_columns(today: date) -> list[Column[DueItem]]:
    return [
        Column("Name", 26, lambda item: item.staff.name),
        Column("Job role", 22, lambda item: item.staff.job_role),
        Column("Course", 36, lambda item: item.course.name, wrap=True),
        Column("Status", 14, lambda item: f"{item.status.symbol} {item.status.label}"),
        Column("Expires", 12, lambda item: item.expires_on),
        Column("Days left", 10, lambda item: (item.expires_on - today).days),
    ]


def _legend_sheet(workbook: Workbook, report: MatrixReport) -> None:
    counts = report.matrix.status_counts()
    days = report.due_soon_days
    columns: list[Column[CellStatus]] = [
        Column("Symbol", 9, lambda status: status.symbol),
        Column("Status", 14, lambda status: status.label),
        Column("Meaning", 70, lambda status: meaning(status, days), wrap=True),
        Column("Cells", 9, lambda status: counts[status]),
    ]
    add_sheet(workbook, "Legend", columns, list(CellStatus))
    sheet = workbook["Legend"]
    _fill_column(sheet, 1, list(CellStatus))
    about: list[tuple[str, Value]] = [
        ("Site", report.site_text),
        ("Matrix on", report.matrix.today),
        ("Printed by", report.printed_by),
        ("Note", "Not encrypted: store securely and delete when no longer needed."),
    ]
    sheet.append([])
    for label, value in about:
        sheet.append([label, value])
        value_cell = sheet.cell(row=sheet.max_row, column=2)
        if isinstance(value, str):
            value_cell.data_type = "s"  # a site named "=..." stays text here too
        else:
            value_cell.number_format = "DD/MM/YYYY"


def _fill_column(sheet: Any, column: int, statuses: list[CellStatus]) -> None:
    for row_number, status in enumerate(statuses, start=2):
        if status in FILLS:
            sheet.cell(row=row_number, column=column).fill = FILLS[status]
