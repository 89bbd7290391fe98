"""The page every Prevent Desktop PDF shares: landscape A4, styles, running header and footer.

The footer says who printed the report and that the file is not encrypted, on every page, so
a single page found on a printer still says what it is and how to treat it. With `branding`,
the first page carries the organisation's name and logo at its top right; a logo takes a band
off the top of that page only, so every later page keeps its full height.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    TableStyle,
)

from prevent_desktop.domain.risk import Rag
from prevent_desktop.reports.fonts import BODY_FONT, BOLD_FONT, register_fonts

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding

logger = logging.getLogger(__name__)

PAGE_SIZE = landscape(A4)
MARGIN = 14 * mm
# With a logo, page 1's text starts this much lower. The logo fits a box from 8 mm below the
# top edge (inside what most printers can print) down to 2 mm above the text.
BRAND_BAND = 14 * mm
LOGO_TOP = 8 * mm
LOGO_MAX_HEIGHT = MARGIN + BRAND_BAND - LOGO_TOP - 2 * mm
LOGO_MAX_WIDTH = 55 * mm
# A one-page form with no room to spare keeps its layout: the logo stays inside the margin.
COMPACT_LOGO_TOP = 5 * mm
COMPACT_LOGO_MAX_HEIGHT = MARGIN - COMPACT_LOGO_TOP - 1 * mm
BRAND_NAME_SIZE = 10.5


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


# The house grid's cell padding, left and right (grid_style).
CELL_PADDING = 3


class CellParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph for a table cell, its lines broken once per width. ReportLab measures a
    table again each time it splits it at a page end, so in a table of a few hundred rows
    every cell's text was broken into lines once per page it ran on; the lines depend on the
    width alone (Paragraph.wrap reads nothing else), so they are kept."""

    _wrapped_at: float | None = None
    _size: tuple[float, float] = (0.0, 0.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Splitting a row across pages drops the lines (blPara): then they are made again.
        if self._wrapped_at != available_width or not hasattr(self, "blPara"):
            self._size = super().wrap(available_width, available_height)
            self._wrapped_at = available_width
        return self._size


def cell_para(text: str, style: ParagraphStyle) -> CellParagraph:
    """`para` for a table cell (see CellParagraph)."""
    return CellParagraph(markup(text), style)


def short_cell(text: str, style: ParagraphStyle, column_width: float) -> str | CellParagraph:
    """A table cell: `text` as a plain string when it fits on one line of the column (inside
    grid_style's padding), else as a wrapping Paragraph. ReportLab draws a plain string many
    times faster than it lays out a Paragraph, which tells in tables of thousands of rows; the
    table must then give plain cells the style's font (`plain_cells`)."""
    room = column_width - 2 * CELL_PADDING
    if "\n" not in text and _text_width(text, style.fontName, style.fontSize) <= room:
        return text
    return cell_para(text, style)


@functools.lru_cache(maxsize=16_384)
def _text_width(text: str, font: str, size: float) -> float:
    # Columns repeat their values (dates, statuses, owners): each is measured once.
    return float(stringWidth(text, font, size))


def plain_cells(
    style: ParagraphStyle, first: tuple[int, int], last: tuple[int, int]
) -> list[tuple[Any, ...]]:
    """Table commands that set plain-string cells in `style`'s font, size, leading and colour,
    so that they print as its Paragraphs would."""
    return [
        ("FONT", first, last, style.fontName, style.fontSize, style.leading),
        ("TEXTCOLOR", first, last, style.textColor),
    ]


def grid_style(*extra: tuple[Any, ...]) -> TableStyle:
    """The house table: a dark heading row, hairline grid, text at the top of each cell."""
    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, so each footer can say "Page N of M"; draws the
    organisation's name and logo on page 1 when given them."""

    def __init__(
        self,
        *args: Any,
        header: str,
        footer: str,
        brand_name: str = "",
        logo: ImageReader | None = None,
        compact_logo: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._header = header
        self._footer = footer
        self._brand_name = brand_name
        self._logo = logo
        self._compact_logo = compact_logo
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
        elif self._brand_name or self._logo is not None:
            self._draw_branding(width, height)
        self.restoreState()

    def _draw_branding(self, width: float, height: float) -> None:
        right = width - MARGIN
        if self._logo is None:
            # Where later pages have their running header, on the other side.
            self.setFont(BOLD_FONT, 8.5)
            self.setFillColor(INK)
            name = _fitted(self._brand_name, BOLD_FONT, 8.5, width / 2, lines=1)[0]
            self.drawRightString(right, height - MARGIN + 4 * mm, name)
            return
        if self._compact_logo:
            top = height - COMPACT_LOGO_TOP
            logo_width, logo_height = _logo_size(self._logo, COMPACT_LOGO_MAX_HEIGHT)
        else:
            top = height - LOGO_TOP
            logo_width, logo_height = _logo_size(self._logo, LOGO_MAX_HEIGHT)
        self.drawImage(
            self._logo,
            right - logo_width,
            top - logo_height,
            logo_width,
            logo_height,
            mask="auto",  # a PNG's transparent background stays the paper's
        )
        if not self._brand_name:
            return
        name_right = right - logo_width - 5 * mm
        size = 8.5 if self._compact_logo else BRAND_NAME_SIZE
        # A long name wraps before it reaches far across the page.
        room = min(name_right - MARGIN, 120 * mm)
        lines = _fitted(self._brand_name, BOLD_FONT, size, room, 1 if self._compact_logo else 2)
        leading = size * 1.2
        # The lines centred on the logo's middle (the cap height is about 0.7 of the size).
        middle = top - logo_height / 2
        baseline = middle + (len(lines) - 1) * leading / 2 - 0.35 * size
        self.setFont(BOLD_FONT, size)
        self.setFillColor(INK)
        for line in lines:
            self.drawRightString(name_right, baseline, line)
            baseline -= leading


def _logo_size(logo: ImageReader, max_height: float) -> tuple[float, float]:
    """The logo's printed size: as large as fits its box, never stretched."""
    pixels_wide, pixels_high = logo.getSize()
    scale = min(LOGO_MAX_WIDTH / pixels_wide, max_height / pixels_high)
    return pixels_wide * scale, pixels_high * scale


def _fitted(text: str, font: str, size: float, width: float, lines: int = 2) -> list[str]:
    """`text` wrapped to `width`, at most `lines` lines, the last cut short with "…"."""
    wrapped = simpleSplit(" ".join(text.split()), font, size, width) or [""]
    kept = [_cut(line, font, size, width) for line in wrapped[:lines]]
    if len(wrapped) > lines and not kept[-1].endswith("…"):
        kept[-1] = _cut(" ".join(wrapped[lines - 1 :]), font, size, width, always=True)
    return kept


def _cut(line: str, font: str, size: float, width: float, *, always: bool = False) -> str:
    """The line as it is if it fits; else cut short with "…". A word longer than the box (a
    name with no spaces) is never split by simpleSplit, so every line is checked."""
    if not always and stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def logo_reader(branding: Branding | None) -> ImageReader | None:
    """The logo ready to draw, or None without one. A logo that will not open (it was checked
    when chosen, so only a damaged one) is left out rather than stopping the report."""
    if branding is None or branding.logo is None:
        return None
    try:
        reader = ImageReader(io.BytesIO(branding.logo))
        reader.getSize()
    except Exception:
        logger.warning("The report logo could not be opened; the report goes without it.")
        return None
    return reader


class _Document(SimpleDocTemplate):  # type: ignore[misc]
    """SimpleDocTemplate with page 1's frame `band` shorter at the top (room for a logo)."""

    def __init__(self, target: Any, *, band: float, **kwargs: Any) -> None:
        super().__init__(target, **kwargs)
        self._band = band

    def build(self, flowables: list[Flowable], canvasmaker: Any) -> None:
        self._calc()
        first = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height - self._band, id="first"
        )
        later = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="normal")
        self.addPageTemplates(
            [
                PageTemplate(id="First", frames=first, pagesize=self.pagesize),
                PageTemplate(id="Later", frames=later, pagesize=self.pagesize),
            ]
        )
        # SimpleDocTemplate.handle_pageBegin moves on to "Later" after the first page.
        BaseDocTemplate.build(self, flowables, canvasmaker=canvasmaker)


def build_pdf(
    target: Any,
    story: list[Flowable],
    *,
    title: str,
    author: str,
    header: str,
    footer: str,
    page_size: tuple[float, float] = PAGE_SIZE,
    branding: Branding | None = None,
    compact_logo: bool = False,
    canvas: type[_NumberedCanvas] = _NumberedCanvas,
) -> None:
    """Lay out `story` into `target` (a path or a binary file object), on landscape A4
    unless another `page_size` is given. With `branding` (`workspace.site.branding()`), the
    first page shows the organisation's name and logo at its top right; a logo moves that
    page's text down a little, unless `compact_logo` keeps it small inside the top margin
    (for a one-page form that must stay one page). `canvas`: a subclass of the page canvas,
    for a report whose header or footer changes as it goes."""
    logo = logo_reader(branding)
    document = _Document(
        target,
        band=BRAND_BAND if logo is not None and not compact_logo else 0,
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
        story,
        canvasmaker=functools.partial(
            canvas,
            header=header,
            footer=footer,
            brand_name=branding.name if branding is not None else "",
            logo=logo,
            compact_logo=compact_logo,
        ),
    )
