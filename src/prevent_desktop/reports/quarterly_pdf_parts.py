"""The building blocks of the quarterly return PDF: the house grid sized to the page, label
and figure pairs, and small tables of counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from prevent_desktop.reports.pdf_page import (
    MARGIN,
    PAGE_SIZE,
    RULE,
    Styles,
    cell_para,
    grid_style,
    para,
    plain_cells,
    short_cell,
)

# SimpleDocTemplate's frame keeps 6 points of padding each side inside the margins.
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN - 12
# Text (laid out as a cell paragraph) or a ready flowable; ReportLab is untyped, hence Any.
Cell: TypeAlias = Any


def table(
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[Cell]],
    styles: Styles,
    *extra: tuple[Any, ...],
    fill: bool = True,
) -> Table:
    """The house grid, widths in mm (scaled to fill the page unless `fill` is false), the
    heading row repeated on every page, and rows allowed to split (a long outcome or account
    must still fit)."""
    scale = CONTENT_WIDTH / (sum(width for _name, width in columns) * mm) if fill else 1.0
    widths = [width * mm * scale for _name, width in columns]
    cells: list[list[object]] = [[cell_para(name, styles.header_cell) for name, _width in columns]]
    # Text that fits its column on one line is a plain string (in the cell style's font): a
    # head office's register runs to thousands of rows, and Paragraphs tripled its time.
    cells += [
        [
            short_cell(c, styles.cell, width) if isinstance(c, str) else c
            for c, width in zip(row, widths, strict=True)
        ]
        for row in rows
    ]
    grid = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    grid.setStyle(grid_style(*plain_cells(styles.cell, (0, 1), (-1, -1)), *extra))
    return grid


def figures_table(rows: Sequence[tuple[str, str]], styles: Styles, *, wide: bool = False) -> Table:
    """Label and figure pairs, ruled between rows; `wide` for facts in sentences."""
    cells = [[para(label, styles.cell), para(value, styles.cell_bold)] for label, value in rows]
    widths = [45 * mm, 160 * mm] if wide else [85 * mm, 40 * mm]
    grid = Table(cells, colWidths=widths, hAlign="LEFT")
    grid.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
    )
    return grid


def counts_block(heading: str, what: str, counts: dict[str, int], styles: Styles) -> list[Flowable]:
    """A small heading and a two-column table of counts ("None." when there are none)."""
    parts: list[Flowable] = [Paragraph(heading, styles.subtitle)]
    if not counts:
        return [*parts, para("None.", styles.body)]
    rows = [[str(key), str(value)] for key, value in counts.items()]
    return [*parts, _narrow([(what, 95), ("Count", 18)], rows, styles)]


def referral_block(referrals: dict[str, Any], styles: Styles) -> list[Flowable]:
    """Referrals made in the quarter by agency and outcome."""
    lines = referrals.get("by_agency_and_outcome") or []
    parts: list[Flowable] = [Paragraph("Referrals made in the quarter", styles.subtitle)]
    if not lines:
        return [*parts, para("None.", styles.body)]
    rows = [
        [str(line.get("agency", "")), str(line.get("outcome", "")), str(line.get("count", 0))]
        for line in lines
    ]
    return [*parts, _narrow([("Agency", 80), ("Outcome", 60), ("Count", 18)], rows, styles)]


def _narrow(columns: Sequence[tuple[str, float]], rows: list[list[str]], styles: Styles) -> Table:
    widths = [w * mm for _n, w in columns]
    cells: list[list[object]] = [[cell_para(name, styles.header_cell) for name, _ in columns]]
    cells += [
        [short_cell(value, styles.cell, width) for value, width in zip(row, widths, strict=True)]
        for row in rows
    ]
    grid = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1)
    grid.setStyle(grid_style(*plain_cells(styles.cell, (0, 1), (-1, -1))))
    return grid


def section(title: str, note: str, styles: Styles) -> list[Flowable]:
    """A section's heading and note, on a new page when little of this one is left."""
    return [CondPageBreak(40 * mm), Paragraph(title, styles.heading), para(note, styles.note)]


class RunningHeader(Flowable):  # type: ignore[misc]
    """Changes the running header from the page it lands on: head office's report names the
    site on every page of its section, so a page found on its own still says whose it is.
    pdf_page's numbering canvas keeps each page's state, its header included, until the end."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if hasattr(self.canv, "_header"):
            self.canv._header = self.text


def side_by_side(blocks: Sequence[list[Flowable]]) -> list[Flowable]:
    """Blocks (a heading and its table) two to a row, so short tables share the width; one
    table per row, so that the rows flow onto the next page one by one."""
    rows: list[Flowable] = []
    for start in range(0, len(blocks), 2):
        pair: list[object] = [list(block) for block in blocks[start : start + 2]]
        row = Table([pair + [""] * (2 - len(pair))], colWidths=[CONTENT_WIDTH / 2] * 2)
        row.hAlign = "LEFT"
        row.setStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
        rows.append(row)
    return rows
