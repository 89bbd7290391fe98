"""The bomb-threat call checklist (one A4 page, filled in by hand during and straight after
the call) and the PDF of an incident or drill log, plus the pieces the plan checklists share:
a drawn tick box and ruled writing lines, both of which survive black-and-white printing.

Nothing here is confidential, so any signed-in user may print it. Rendered in memory, written
atomically.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from prevent_desktop.errors import KnownError, UsageError
from prevent_desktop.reports.concern_page import (
    CONTENT_WIDTH,
    boxed,
    build_portrait_pdf,
    columns,
    facts_table,
    or_none,
    printed_footer,
    uk_datetime,
)
from prevent_desktop.reports.fonts import BOLD_FONT
from prevent_desktop.reports.pdf_page import (
    INK,
    RULE,
    Styles,
    grid_style,
    make_styles,
    markup,
    para,
)
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.incident_views import LogView
    from prevent_desktop.services.workspace import Workspace

BOMB_FORM_TITLE = "Bomb threat call checklist"
BOX = "☐"
WRITE_IN_LABEL = 72 * mm
BOMB_QUESTIONS = (
    "Where is the bomb right now?",
    "When will it go off?",
    "What does it look like?",
    "What kind of bomb is it?",
    "What will make it go off?",
    "Did you place the bomb?",
    "Why?",
    "What is your name?",
    "Where are you?",
    "What is your address?",
)
VOICE = (
    "Calm", "Angry", "Excited", "Slow", "Rapid", "Soft", "Loud",
    "Laughing", "Crying", "Disguised", "Slurred", "Familiar",
)  # fmt: skip
BACKGROUND = (
    "Street noise", "House noise", "Office", "Machinery", "Music", "Animals",
    "Voices", "Motor", "PA system", "Static", "Clear", "Other",
)  # fmt: skip
LANGUAGE = ("Well spoken", "Irrational", "Taped / recorded message", "Foul", "Incoherent")


def incident_styles() -> Styles:
    """The house styles with a larger title and body: these are read under stress."""
    styles = make_styles()
    return replace(
        styles,
        title=ParagraphStyle("incident_title", styles.title, fontSize=22, leading=27),
        body=ParagraphStyle("incident_body", styles.body, fontSize=9.5, leading=12),
        cell=ParagraphStyle("incident_cell", styles.cell, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle(
            "incident_cell_bold", styles.cell_bold, fontSize=8.5, leading=10.5
        ),
    )


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick with a pen."""

    def __init__(self, size: float = 4.5 * mm) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        self.canv.restoreState()


class RuledLines(Flowable):  # type: ignore[misc]
    """Lines to write on, optionally inside a box."""

    def __init__(self, count: int, width: float, *, gap: float = 7.5 * mm, box: bool = False):
        super().__init__()
        self.count, self.gap, self.box = count, gap, box
        self.width = width
        self.height = count * gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        inset = 3 * mm if self.box else 0
        for index in range(self.count - (1 if self.box else 0)):
            y = self.height - (index + 1) * self.gap
            canvas.line(inset, y, self.width - inset, y)
        if self.box:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(1.2)
            canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canvas.restoreState()


def ruled_lines(count: int, width: float, *, box: bool = False) -> list[Flowable]:
    return [RuledLines(count, width, box=box)]


# ---- the bomb-threat call form --------------------------------------------------------------


def write_bomb_threat_form(
    workspace: Workspace, destination: Path, options: ReportOptions | None = None
) -> None:
    """Write the one-page bomb-threat call checklist to `destination` (replaced atomically)."""
    del options  # the form takes no options; the parameter keeps every writer alike
    buffer = io.BytesIO()
    render_bomb_threat_form(
        buffer, printed_by=workspace.actor.display_name, branding=workspace.site.branding()
    )
    write_atomic(destination, buffer.getvalue(), doing=f"saving {destination.name}")


def _tick_options(labels: tuple[str, ...], per_row: int, styles: Styles) -> Table:
    cells = [Paragraph(f"{BOX} {markup(label)}", styles.cell) for label in labels]
    rows: list[list[object]] = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = Table(rows, colWidths=[CONTENT_WIDTH / per_row] * per_row, hAlign="LEFT")
    table.setStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )
    return table


def _write_in_rows(
    rows: list[tuple[str, str]], styles: Styles, *, label_width: float, height: float = 8 * mm
) -> Table:
    """Labels with a ruled space to write after each; pairs when a row holds two."""
    cells = [[para(label, styles.cell_bold), para(hint, styles.cell_small)] for label, hint in rows]
    table = Table(
        cells,
        colWidths=[label_width, CONTENT_WIDTH - label_width],
        rowHeights=[height] * len(cells),
        hAlign="LEFT",
    )
    table.setStyle(
        [
            ("LINEBELOW", (1, 0), (1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


def render_bomb_threat_form(
    target: Any, *, printed_by: str, branding: Branding | None = None
) -> None:
    styles = incident_styles()
    section = ParagraphStyle(
        "section", styles.heading, fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=1.5
    )
    warning = ParagraphStyle("warning", styles.body, fontName=BOLD_FONT, fontSize=10, leading=13)
    story: list[Flowable] = [
        Paragraph(BOMB_FORM_TITLE, styles.title),
        boxed(
            [
                Paragraph(
                    "Keep calm and keep the caller talking. Write down the exact words. "
                    "Do not hang up the line, even when the caller has gone: call 999 at once "
                    "after the call, from another phone.",
                    warning,
                )
            ],
            border=1.6,
        ),
        Spacer(1, 2 * mm),
        _write_in_rows(
            [
                ("Date and time of call", ""),
                ("Number shown on the phone display", "(if none, write “withheld”)"),
            ],
            styles,
            label_width=WRITE_IN_LABEL,
        ),
        Paragraph("The exact words of the threat", section),
        RuledLines(6, CONTENT_WIDTH, gap=7.5 * mm, box=True),
        Paragraph("Questions to ask", section),
    ]
    questions = Table(
        [[para(question, styles.cell_bold), ""] for question in BOMB_QUESTIONS],
        colWidths=columns(34, 66),
        rowHeights=[7.2 * mm] * len(BOMB_QUESTIONS),
        hAlign="LEFT",
    )
    questions.setStyle(
        [
            ("LINEBELOW", (1, 0), (1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )
    story += [
        questions,
        Paragraph("The caller’s voice", section),
        _tick_options(
            ("Male", "Female", "Age estimate: ________", "Accent: ____________"), 4, styles
        ),
        _tick_options(VOICE, 6, styles),
        _write_in_rows(
            [("If familiar, who did it sound like?", "")], styles, label_width=WRITE_IN_LABEL
        ),
        Paragraph("Background noise", section),
        _tick_options(BACKGROUND, 6, styles),
        Paragraph("Language", section),
        _tick_options(LANGUAGE, 3, styles),
        Spacer(1, 1 * mm),
        _write_in_rows(
            [
                ("Call taken by (name)", ""),
                ("Time the call ended", ""),
                ("Line or extension the call came in on", ""),
            ],
            styles,
            label_width=WRITE_IN_LABEL,
        ),
    ]
    build_portrait_pdf(
        target,
        story,
        title=BOMB_FORM_TITLE,
        author=printed_by,
        header=BOMB_FORM_TITLE,
        footer=f"{BOMB_FORM_TITLE} · hand this form to the police",
        branding=branding,
        compact_logo=True,  # one sheet to keep by every phone, logo or not
    )


# ---- an incident or drill log ---------------------------------------------------------------


@contextmanager
def too_long_to_print() -> Iterator[None]:
    """ReportLab cannot split a table row across pages. The services cap step and note
    lengths so this cannot happen; should older data still hold such a text, say so plainly
    (never with the text itself: the bug dialog would show it)."""
    try:
        yield
    except LayoutError:
        raise KnownError(
            "One step, note or outcome is too long to fit on a printed page. Shorten it (or "
            "split it into several), then print again. Nothing was written."
        ) from None


def write_incident_log(
    workspace: Workspace, destination: Path, options: ReportOptions | None = None
) -> None:
    """Write the log `options.log_id` (open or closed) to `destination` (replaced atomically)."""
    log_id = (options.log_id or "").strip() if options is not None else ""
    if not log_id:
        raise UsageError("Say which incident or drill log with --log ID; nothing was written.")
    log = workspace.incidents.log(log_id)
    buffer = io.BytesIO()
    with too_long_to_print():
        render_incident_log(
            log,
            buffer,
            printed_at=datetime.now().astimezone(),
            printed_by=workspace.actor.display_name,
            branding=workspace.site.branding(),
        )
    write_atomic(destination, buffer.getvalue(), doing=f"saving {destination.name}")


def render_incident_log(
    log: LogView,
    target: Any,
    *,
    printed_at: datetime,
    printed_by: str,
    branding: Branding | None = None,
) -> None:
    styles = incident_styles()
    done = sum(1 for step in log.steps if step.done_at is not None)
    closed = (
        f"{uk_datetime(log.closed_at)} by {log.closed_by_name}"
        if log.closed_at is not None
        else "Still open"
    )
    story: list[Flowable] = [
        Paragraph(markup(f"{log.kind.label} log: {log.plan_title}"), styles.title),
        facts_table(
            [
                ("Kind", log.kind.label),
                ("Plan", f"{log.plan_title}, version {log.plan_version}"),
                ("Started", f"{uk_datetime(log.started_at)} by {log.started_by_name}"),
                ("Closed", closed),
                ("Steps done", f"{done} of {len(log.steps)}"),
            ],
            styles,
            label_width=30 * mm,
        ),
        Paragraph("Steps", styles.heading),
    ]
    rows: list[list[object]] = [
        [
            para(label, styles.header_cell)
            for label in ("No.", "Phase", "Step", "Who", "Done at", "Done by")
        ]
    ]
    for number, step in enumerate(log.steps, start=1):
        when = (
            Paragraph(f"✓ {markup(uk_datetime(step.done_at))}", styles.cell_bold)
            if step.done_at is not None
            else para("not done", styles.cell_small)
        )
        rows.append(
            [
                para(f"{number}.", styles.cell),
                para(step.phase.label, styles.cell),
                para(step.text, styles.cell),
                para(step.role.label, styles.cell),
                when,
                para(step.done_by_name, styles.cell),
            ]
        )
    table = Table(rows, colWidths=columns(5, 13, 47, 17, 17, 15), repeatRows=1, hAlign="LEFT")
    table.setStyle(grid_style())
    story.append(table)
    story.append(Paragraph("Notes", styles.heading))
    if log.notes:
        note_rows: list[list[object]] = [
            [para(label, styles.header_cell) for label in ("Time", "By", "Note")]
        ]
        for note in sorted(log.notes, key=lambda n: n.at):
            note_rows.append(
                [
                    para(uk_datetime(note.at), styles.cell),
                    para(note.author_name, styles.cell),
                    para(note.text, styles.cell),
                ]
            )
        notes = Table(note_rows, colWidths=columns(16, 18, 66), repeatRows=1, hAlign="LEFT")
        notes.setStyle(grid_style())
        story.append(notes)
    else:
        story.append(para("No notes were added.", styles.body))
    outcome = or_none(log.outcome, "Not closed yet: no outcome recorded.")
    story.append(
        KeepTogether([Paragraph("Outcome", styles.heading), boxed([para(outcome, styles.body)])])
    )
    build_portrait_pdf(
        target,
        story,
        title=f"{log.kind.label} log: {log.plan_title}",
        author=printed_by,
        header=f"{log.kind.label} log: {log.plan_title} (continued)",
        footer=printed_footer(printed_at, printed_by),
        branding=branding,
    )
