"""What the concern printouts share: a portrait A4 page, UK dates, the footer, and saving.

A case summary or referral pack is read like a letter, so it is portrait, unlike the register.
Printing a concern is logged in its access log before the file exists, so a plaintext copy is
never on disk without a record of who made it; a failed save is logged too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from prevent_desktop.domain.concern import parse_concern_reference
from prevent_desktop.errors import KnownError, UsageError
from prevent_desktop.reports.pdf_page import (
    INK,
    MARGIN,
    RULE,
    Styles,
    build_pdf,
    markup,
    para,
)
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

PAGE_SIZE = A4
# SimpleDocTemplate's frame keeps 6 points of padding each side inside the margins.
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN - 12
REDACTED = "[redacted]"


def build_portrait_pdf(
    target: Any,
    story: list[Flowable],
    *,
    title: str,
    author: str,
    header: str,
    footer: str,
    branding: Branding | None = None,
    compact_logo: bool = False,
) -> None:
    build_pdf(
        target,
        story,
        title=title,
        author=author,
        header=header,
        footer=footer,
        page_size=A4,
        branding=branding,
        compact_logo=compact_logo,
    )


# ---- words and numbers -----------------------------------------------------------------------


def uk_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone() if value.tzinfo else value
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def uk_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:mm in the computer's local time (stored times are UTC)."""
    if value is None:
        return ""
    return (value.astimezone() if value.tzinfo else value).strftime("%d/%m/%Y %H:%M")


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1_048_576:.1f} MB"


def columns(*weights: float) -> list[float]:
    """Column widths in these proportions, filling the text width exactly."""
    total = sum(weights)
    return [CONTENT_WIDTH * weight / total for weight in weights]


def printed_footer(printed_at: datetime, printed_by: str) -> str:
    return f"Printed on {uk_datetime(printed_at)} by {printed_by}, NOT encrypted — keep securely"


def facts_table(
    rows: Sequence[tuple[str, Flowable | str]], styles: Styles, *, label_width: float = 42 * mm
) -> Table:
    """Label and value pairs, ruled between rows: the top of a form."""
    cells: list[list[object]] = [
        [
            para(label, styles.cell_bold),
            para(value, styles.body) if isinstance(value, str) else value,
        ]
        for label, value in rows
    ]
    table = Table(cells, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
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


def boxed(flowables: list[Flowable], *, width: float = CONTENT_WIDTH, border: float = 1) -> Table:
    """Flowables inside a single ruled box: notes that must not be missed."""
    table = Table([[flowables]], colWidths=[width], hAlign="LEFT")
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), border, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )
    return table


def account_style(styles: Styles) -> ParagraphStyle:
    """Long text in a thin box that still splits across pages (a table cell would not)."""
    return ParagraphStyle(
        "account",
        styles.body,
        borderWidth=0.5,
        borderColor=INK,
        borderPadding=(4, 5, 5, 5),
        leftIndent=5,
        rightIndent=5,
        spaceBefore=4,
        spaceAfter=4,
    )


def or_none(text: str, none: str = "Not recorded") -> str:
    return text.strip() or none


def bold_label(label: str, text: str, styles: Styles) -> Paragraph:
    return Paragraph(f"<b>{markup(label)}</b> {markup(text)}", styles.body)


# ---- finding and saving ----------------------------------------------------------------------


def check_reference(reference: str) -> str:
    """The reference in its canonical form, or a UsageError saying what one looks like."""
    cleaned = reference.strip().upper()
    if parse_concern_reference(cleaned) is None:
        raise UsageError(
            f"{reference!r} is not a concern reference. References look like C-2025-0001."
        )
    return cleaned


def find_concern_id(workspace: Workspace, reference: str) -> str:
    """The id of the concern with this reference among those the user may see."""
    wanted = check_reference(reference)
    concern_id = workspace.concerns.id_for_reference(wanted)
    if concern_id is not None:
        return concern_id
    raise UsageError(f"There is no concern {wanted} in this database; nothing was written.")


def save_printout(
    workspace: Workspace,
    concern_id: str,
    what: str,
    render: Callable[[], bytes],
    destination: Path,
) -> None:
    """Render the PDF and write it atomically. The caller opened the concern with
    `open_concern(purpose=what)`, so the printout is in the access log before any plaintext
    copy exists; if anything fails, the log says it was not saved."""
    concerns = workspace.concerns
    try:
        data = render()
        write_atomic(destination, data, doing=f"saving {destination.name}")
    except BaseException:
        # The original failure is what the user needs to see, not one from logging it.
        with contextlib.suppress(KnownError):
            concerns.note_printed(concern_id, f"{what}: not saved, the write failed")
        raise
