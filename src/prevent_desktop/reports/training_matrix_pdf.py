"""The training matrix as a landscape A4 PDF: the proof that every member of staff is trained.

Page 1 holds the legend and the compliance summary; then the grid, staff down the side and
courses across under turned headings. Up to 15 courses fit across a page; more are split into
column blocks, each starting on a new page with the name column repeated, and every page of a
block repeats its heading row. Last, who falls due. Rendered in memory, written atomically.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.reports.concern_page import printed_footer
from prevent_desktop.reports.fonts import BODY_FONT, BOLD_FONT
from prevent_desktop.reports.pdf_page import (
    CELL_PADDING,
    HEADER_FILL,
    INK,
    MARGIN,
    MUTED,
    PAGE_SIZE,
    RULE,
    CellParagraph,
    Styles,
    build_pdf,
    cell_para,
    grid_style,
    make_styles,
    markup,
    para,
    plain_cells,
    short_cell,
)
from prevent_desktop.reports.training_snapshot import (
    FILL_HEX,
    TITLE,
    Breakdown,
    MatrixReport,
    cell_text,
    day,
    meaning,
    take_matrix_report,
    when,
)
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

# SimpleDocTemplate's frame keeps 6 points of padding each side inside the margins.
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN - 12
NAME_WIDTH = 50 * mm
MIN_COURSE_WIDTH = 14 * mm
MAX_COURSE_WIDTH = 24 * mm
HEADING_HEIGHT = 34 * mm  # the turned course names
COURSES_PER_PAGE = int((CONTENT_WIDTH - NAME_WIDTH) // MIN_COURSE_WIDTH)
CELL_FONT_SIZE = 6.3
FACTS_WIDTH = 96 * mm

FILLS = {status: colors.HexColor(f"#{hex_}") for status, hex_ in FILL_HEX.items() if hex_}


def write_training_matrix_pdf(
    workspace: Workspace, destination: Path, options: ReportOptions | None = None
) -> None:
    """Write the matrix, legend, compliance summary and due list to `destination` (replaced
    atomically). Raises StorageFull, ReadOnlyLocation or KnownError when it cannot be written."""
    del options  # the matrix takes no options; the parameter keeps every writer alike
    report = take_matrix_report(workspace)
    buffer = io.BytesIO()
    render(report, buffer, branding=workspace.site.branding())
    write_atomic(destination, buffer.getvalue(), doing="saving the training matrix PDF")


def render(report: MatrixReport, target: io.BytesIO, *, branding: Branding | None = None) -> None:
    styles = make_styles()
    story: list[Flowable] = [
        *_summary(report, styles),
        PageBreak(),
        *_grid(report, styles),
        *_due_list(report, styles),
    ]
    build_pdf(
        target,
        story,
        title=f"{TITLE} – {report.site_text}",
        author=report.printed_by,
        header=f"{TITLE} – {report.site_text} – {day(report.matrix.today)}",
        footer=printed_footer(report.printed_at, report.printed_by),
        branding=branding,
    )


# ---- page 1: facts, legend, compliance -------------------------------------------------------


def _summary(report: MatrixReport, styles: Styles) -> list[Flowable]:
    matrix = report.matrix
    overall = matrix.overall()
    facts = _facts(
        [
            ("Site", report.site_text),
            ("Date", day(matrix.today)),
            (
                "Staff and courses",
                f"{len(matrix.staff)} current staff, {len(matrix.courses)} courses",
            ),
            ("Overall compliance", f"{overall.text()} of required training in date"),
            ("Due soon means", f"expiring within {report.due_soon_days} days"),
        ],
        styles,
    )
    # Facts and legend side by side: both are short and fixed, and page 1 then has room for
    # the compliance tables of a site's usual dozen courses.
    top = Table(
        [[facts, [Paragraph("Legend", styles.heading), _legend(report, styles)]]],
        colWidths=[FACTS_WIDTH + 8 * mm, None],
        hAlign="LEFT",
    )
    top.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (0, 0), 10),
        ]
    )
    return [
        Paragraph(TITLE, styles.title),
        Spacer(1, 1 * mm),
        top,
        Paragraph("Compliance", styles.heading),
        para(
            "Compliance is the share of required training (each member of staff × each course "
            "their job role requires) that is in date today; training due soon still counts. "
            "The other columns count required training by status.",
            styles.note,
        ),
        Spacer(1, 2 * mm),
        _compliance(report, styles),
    ]


def _facts(rows: list[tuple[str, str]], styles: Styles) -> Table:
    label = 32 * mm
    table = Table(
        [[para(name, styles.cell_bold), para(value, styles.body)] for name, value in rows],
        colWidths=[label, FACTS_WIDTH - label],
        hAlign="LEFT",
    )
    table.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    return table


def _legend(report: MatrixReport, styles: Styles) -> Table:
    counts = report.matrix.status_counts()
    rows: list[list[object]] = [
        [para(name, styles.header_cell) for name in ("Shown as", "Status", "Meaning", "Cells")]
    ]
    example = report.matrix.today.replace(day=1)
    samples = {
        CellStatus.VALID: f"{CellStatus.VALID.symbol} {example:%d/%m/%y}",
        CellStatus.DUE_SOON: f"{CellStatus.DUE_SOON.symbol} {example:%d/%m/%y}",
        CellStatus.EXPIRED: f"{CellStatus.EXPIRED.symbol} {example:%d/%m/%y}",
        CellStatus.MISSING: f"{CellStatus.MISSING.symbol} Missing",
        CellStatus.NOT_REQUIRED: CellStatus.NOT_REQUIRED.symbol,
    }
    shading: list[tuple[Any, ...]] = []
    for index, status in enumerate(CellStatus, start=1):
        rows.append(
            [
                samples[status],
                para(status.label, styles.cell_bold),
                para(meaning(status, report.due_soon_days), styles.cell),
                para(str(counts[status]), styles.cell),
            ]
        )
        if status in FILLS:
            shading.append(("BACKGROUND", (0, index), (0, index), FILLS[status]))
    table = Table(rows, colWidths=[20 * mm, 22 * mm, 86 * mm, 12 * mm], hAlign="LEFT")
    table.setStyle(
        grid_style(
            *shading,
            ("FONT", (0, 1), (0, -1), BODY_FONT, 8),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        )
    )
    return table


_BREAKDOWN_HEADINGS = ("Compliance", "Due soon", "Expired", "Missing")


def _compliance(report: MatrixReport, styles: Styles) -> Table:
    """Per course on the left and per role on the right, as one table so it splits cleanly."""
    courses, roles = report.by_course(), report.by_role()
    width = len(_BREAKDOWN_HEADINGS) + 1
    header: list[object] = [para("Course", styles.header_cell)]
    header += [para(h, styles.header_cell) for h in _BREAKDOWN_HEADINGS]
    header += [""]
    header += [para("Job role", styles.header_cell)]
    header += [para(h, styles.header_cell) for h in _BREAKDOWN_HEADINGS]
    rows: list[list[object]] = [header]
    for index in range(max(len(courses), len(roles))):
        left = _breakdown_cells(courses[index], styles) if index < len(courses) else [""] * width
        right = _breakdown_cells(roles[index], styles) if index < len(roles) else [""] * width
        rows.append([*left, "", *right])
    counts = (32, 15, 15, 15)
    widths = [54 * mm, *(c * mm for c in counts), 5 * mm, 42 * mm, *(c * mm for c in counts)]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    gap = width
    table.setStyle(
        [
            ("GRID", (0, 0), (gap - 1, len(courses)), 0.4, RULE),
            ("GRID", (gap + 1, 0), (-1, len(roles)), 0.4, RULE),
            ("BACKGROUND", (0, 0), (gap - 1, 0), HEADER_FILL),
            ("BACKGROUND", (gap + 1, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    return table


def _breakdown_cells(line: Breakdown, styles: Styles) -> list[object]:
    return [
        para(line.name, styles.cell),
        para(line.compliance.text(), styles.cell_bold),
        *(para(str(n), styles.cell) for n in (line.due_soon, line.expired, line.missing)),
    ]


# ---- the grid --------------------------------------------------------------------------------


class _TurnedHeading(Flowable):  # type: ignore[misc]
    """A course name read bottom to top, so narrow columns keep whole words."""

    def __init__(self, paragraph: Paragraph, length: float) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.length = length
        self._thickness: float | None = None

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        # One heading serves every table of its column block: laid out once, not per table.
        if self._thickness is None:
            _width, self._thickness = self.paragraph.wrap(self.length, self.length)
        return self._thickness, self.length

    def getPlainText(self) -> str:  # as a Paragraph says what it prints
        return str(self.paragraph.getPlainText())

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.rotate(90)
        self.paragraph.drawOn(self.canv, 0, -(self._thickness or 0.0))
        self.canv.restoreState()


ROLE_FONT_SIZE = 6.2


class _NameCell(Flowable):  # type: ignore[misc]
    """The first column: the name in bold over the job role in small grey, drawn as two lines
    of text. Used when both fit the column: a Paragraph for each of a few thousand rows would
    double the time the grid takes to print."""

    def __init__(self, name: str, role: str, styles: Styles) -> None:
        super().__init__()
        self.name, self.role = name, role
        self.size, self.leading = styles.cell.fontSize, styles.cell.leading

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        return available_width, 2 * self.leading

    def getPlainText(self) -> str:  # as a Paragraph says what it prints
        return f"{self.name} {self.role}"

    def draw(self) -> None:
        canvas = self.canv
        first = 2 * self.leading - self.size  # where a two-line Paragraph puts its baselines
        canvas.setFillColor(INK)
        canvas.setFont(BOLD_FONT, self.size)
        canvas.drawString(0, first, self.name)
        canvas.setFillColor(MUTED)
        canvas.setFont(BODY_FONT, ROLE_FONT_SIZE)
        canvas.drawString(0, first - self.leading, self.role)


def _name_cell(name: str, role: str, styles: Styles) -> Flowable:
    room = NAME_WIDTH - 2 * CELL_PADDING
    if (
        stringWidth(name, BOLD_FONT, styles.cell.fontSize) <= room
        and stringWidth(role, BODY_FONT, ROLE_FONT_SIZE) <= room
        and "\n" not in name + role
    ):
        return _NameCell(name, role, styles)
    return CellParagraph(
        f"<b>{markup(name)}</b><br/>"
        f"<font size={ROLE_FONT_SIZE} color='#555555'>{markup(role)}</font>",
        styles.cell,
    )


def column_blocks(count: int, per_page: int = COURSES_PER_PAGE) -> list[range]:
    """Course columns split into as few blocks as fit, of nearly equal size."""
    if count == 0:
        return []
    blocks = math.ceil(count / per_page)
    size = math.ceil(count / blocks)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


ROWS_PER_TABLE = 40


def _grid(report: MatrixReport, styles: Styles) -> list[Flowable]:
    matrix = report.matrix
    heading = Paragraph("Matrix", styles.heading)
    if not matrix.staff or not matrix.courses:
        missing = "staff" if not matrix.staff else "active courses"
        return [heading, para(f"No {missing} recorded yet.", styles.body)]
    blocks = column_blocks(len(matrix.courses))
    names = [_name_cell(person.name, person.job_role, styles) for person in matrix.staff]
    story: list[Flowable] = []
    for number, block in enumerate(blocks, start=1):
        if number > 1:
            story.append(PageBreak())
        note = (
            f"{len(matrix.staff)} staff × {len(matrix.courses)} courses. "
            "Each cell shows the status symbol and the expiry date (see the legend on page 1)."
        )
        if len(blocks) > 1:
            note = (
                f"Courses {block.start + 1}–{block.stop} of {len(matrix.courses)} "
                f"(part {number} of {len(blocks)}). " + note
            )
        story += [heading, para(note, styles.note), Spacer(1, 2 * mm)]
        headings = [
            _TurnedHeading(para(matrix.courses[column].name, styles.header_cell), HEADING_HEIGHT)
            for column in block
        ]
        # Tables of a few dozen rows, each with its heading row: ReportLab splits one long
        # table again at every page, which for 2,000 staff takes the better part of a minute.
        for start in range(0, len(matrix.staff), ROWS_PER_TABLE):
            chunk = range(start, min(start + ROWS_PER_TABLE, len(matrix.staff)))
            story.append(_block_table(report, block, chunk, names, headings, styles))
    return story


def _block_table(
    report: MatrixReport,
    block: range,
    staff: range,
    names: list[Flowable],
    headings: list[_TurnedHeading],
    styles: Styles,
) -> Table:
    matrix = report.matrix
    course_width = min(MAX_COURSE_WIDTH, (CONTENT_WIDTH - NAME_WIDTH) / len(block))
    header: list[object] = [cell_para("Name and job role", styles.header_cell), *headings]
    rows: list[list[object]] = [header]
    shading: list[tuple[Any, ...]] = []
    for index, person in enumerate(staff, start=1):
        name, cells = names[person], matrix.cells[person]
        row: list[object] = [name]
        run_start, run_status = 1, None
        for position, column in enumerate(block, start=1):
            cell = cells[column]
            row.append(cell_text(cell))
            if cell.status is not run_status:
                _shade(shading, run_status, run_start, position - 1, index)
                run_start, run_status = position, cell.status
        _shade(shading, run_status, run_start, len(block), index)
        rows.append(row)
    table = Table(
        rows,
        colWidths=[NAME_WIDTH, *([course_width] * len(block))],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        grid_style(
            ("FONT", (1, 1), (-1, -1), BODY_FONT, CELL_FONT_SIZE),
            ("FONT", (0, 0), (-1, 0), BOLD_FONT, CELL_FONT_SIZE),
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
            ("VALIGN", (1, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (1, 1), (-1, -1), "MIDDLE"),
            *shading,
        )
    )
    return table


def _shade(
    shading: list[tuple[Any, ...]], status: CellStatus | None, first: int, last: int, row: int
) -> None:
    """One BACKGROUND command per run of like cells: 15,000 single-cell commands would make
    the table slow to split."""
    if status is not None and status in FILLS and first <= last:
        shading.append(("BACKGROUND", (first, row), (last, row), FILLS[status]))


# ---- who falls due ---------------------------------------------------------------------------


def _due_list(report: MatrixReport, styles: Styles) -> list[Flowable]:
    days = report.due_soon_days
    story: list[Flowable] = [
        CondPageBreak(50 * mm),
        Paragraph(f"Falls due in the next {days} days", styles.heading),
    ]
    items = report.due()
    if not items:
        return [*story, para(f"Nothing required expires in the next {days} days.", styles.body)]
    expired = sum(1 for item in items if item.status is CellStatus.EXPIRED)
    story.append(
        para(
            f"{len(items)} required courses expire within {days} days or have already expired "
            f"({expired} expired), soonest first.",
            styles.note,
        )
    )
    rows: list[list[object]] = [
        [
            cell_para(name, styles.header_cell)
            for name in ("Name", "Job role", "Course", "Status", "Expires", "When")
        ]
    ]
    shading: list[tuple[Any, ...]] = []
    widths = [w * mm for w in (58, 46, 74, 28, 24, 28)]
    # Plain text where it fits the column (nearly always): a site's due list runs to
    # thousands of lines, and a Paragraph per cell took most of the report's time.
    for index, item in enumerate(items, start=1):
        texts = [
            item.staff.name,
            item.staff.job_role,
            item.course.name,
            f"{item.status.symbol} {item.status.label}",
            day(item.expires_on),
            when(item, report.matrix.today),
        ]
        rows.append(
            [
                short_cell(text, styles.cell_bold if column == 0 else styles.cell, width)
                for column, (text, width) in enumerate(zip(texts, widths, strict=True))
            ]
        )
        if item.status in FILLS:
            shading.append(("BACKGROUND", (3, index), (3, index), FILLS[item.status]))
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        grid_style(
            *plain_cells(styles.cell_bold, (0, 1), (0, -1)),
            *plain_cells(styles.cell, (1, 1), (-1, -1)),
            *shading,
        )
    )
    return [*story, Spacer(1, 2 * mm), table]
