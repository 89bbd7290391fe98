"""The page every Prevent Desktop PDF shares: landscape A4, styles, running header and footer.

The footer says who printed the report and that the file is not encrypted, on every page, so
a single page found on a printer still says what it is and how to treat it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

from prevent_desktop.domain.risk import Rag
from prevent_desktop.reports.fonts import BODY_FONT, BOLD_FONT, register_fonts

PAGE_SIZE = landscape(A4)
MARGIN = 14 * mm


INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#2F3B4C")  # dark enough that white headings survive a photocopy
BAND_FILL = colors.HexColor("#E6E9EE")
# Light tints: black text stays readable on them in colour and in greyscale; the band is
# always also written in words, so nothing depends on telling the tints apart.
RAG_FILL = {
    Rag.RED: colors.HexColor("#F3A6A6"),
    Rag.AMBER: colors.HexColor("#FAD48A"),
    Rag.GREEN: colors.HexColor("#B7DDB5"),
}


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_centre: ParagraphStyle
    header_cell: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("base", fontName=BODY_FONT, fontSize=8.5, leading=11, textColor=INK)
    # DejaVu runs wider than Helvetica: a touch smaller keeps words like "Monitoring" whole.
    cell = ParagraphStyle("cell", base, fontSize=7.2, leading=8.9)
    return Styles(
        title=ParagraphStyle("title", base, fontName=BOLD_FONT, fontSize=18, leading=22),
        subtitle=ParagraphStyle("subtitle", base, fontSize=10.5, leading=14),
        heading=ParagraphStyle(
            "heading",
            base,
            fontName=BOLD_FONT,
            fontSize=12.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        ),
        body=base,
        note=ParagraphStyle("note", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", cell, fontName=BOLD_FONT),
        cell_small=ParagraphStyle("cell_small", cell, fontSize=6.8, leading=8.2, textColor=MUTED),
        cell_centre=ParagraphStyle("cell_centre", cell, alignment=TA_CENTER),
        header_cell=ParagraphStyle("header_cell", cell, fontName=BOLD_FONT, textColor=colors.white),
    )


def markup(text: str) -> str:
    """User text made safe for ReportLab's mini-markup, keeping its line breaks."""
    return escape(text).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def grid_style(*extra: tuple[Any, ...]) -> TableStyle:
    """The house table: a dark heading row, hairline grid, text at the top of each cell."""
    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so each footer can say "Page N of M"."""

    def __init__(self, *args: Any, header: str, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header = header
        self._footer = footer
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._pagesize  # the page this canvas was given, either way round
        number = self.getPageNumber()
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN - 3 * mm, width - MARGIN, MARGIN - 3 * mm)
        self.setFillColor(INK)
        self.setFont(BODY_FONT, 7.5)
        self.drawString(MARGIN, MARGIN - 7 * mm, self._footer)
        self.setFont(BOLD_FONT, 7.5)
        self.drawRightString(width - MARGIN, MARGIN - 7 * mm, f"Page {number} of {total}")
        if number > 1:
            self.setFont(BODY_FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, height - MARGIN + 4 * mm, self._header)
        self.restoreState()


def build_pdf(
    target: Any,
    story: list[Flowable],
    *,
    title: str,
    author: str,
    header: str,
    footer: str,
    page_size: tuple[float, float] = PAGE_SIZE,
) -> None:
    """Lay out `story` into `target` (a path or a binary file object), on landscape A4
    unless another `page_size` is given."""
    document = SimpleDocTemplate(
        target,
        pagesize=page_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 2 * mm,
        title=title,
        author=author,
        creator="Prevent Desktop",
    )
    document.build(
        story, canvasmaker=functools.partial(_NumberedCanvas, header=header, footer=footer)
    )
