"""Incident plan checklists as portrait A4 PDFs, made to be printed in black and white and
written on with a pen while an incident is happening.

One plan, or a pack of every plan (each starting on a new page): a large title, the contacts
box at the top (a local contact the site has not filled in is flagged in bold), who holds each
role, numbered steps under their phase headings with a tick box and empty Time and Initials
columns, then ruled lines for notes. The footer of each page names the plan, its version and
its review dates, so a loose page still says which plan and how current it is.

The bomb-threat call form and the PDF of an incident or drill log live in
`incident_forms_pdf`; they are re-exported here so the GUI imports all three from one place.
Nothing here is confidential, so any signed-in user may print it. Rendered in memory, written
atomically.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from prevent_desktop.domain.incident import Phase
from prevent_desktop.errors import UsageError
from prevent_desktop.reports.concern_page import (
    CONTENT_WIDTH,
    columns,
    uk_datetime,
    uk_day,
)
from prevent_desktop.reports.incident_forms_pdf import (
    TickBox,
    incident_styles,
    ruled_lines,
    too_long_to_print,
    write_bomb_threat_form,
    write_incident_log,
)
from prevent_desktop.reports.pdf_page import (
    HEADER_FILL,
    INK,
    RULE,
    Styles,
    _NumberedCanvas,
    build_pdf,
    grid_style,
    markup,
    para,
)
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.incident_views import ContactView, PlanView
    from prevent_desktop.services.workspace import Workspace

__all__ = [
    "MISSING_CONTACT",
    "write_bomb_threat_form",
    "write_incident_checklist",
    "write_incident_log",
]

MISSING_CONTACT = "⚠ NOT FILLED IN — add it on the Incident plan tab"
WRITE_IN = "_" * 34
NOTE_LINES = 8


def write_incident_checklist(
    workspace: Workspace, destination: Path, options: ReportOptions | None = None
) -> None:
    """Write the checklist of the plan titled `options.plan`, or with `options.all` a pack of
    every plan, to `destination` (replaced atomically). Raises UsageError when neither is given
    and ValidationError (listing the titles) when no plan has that title."""
    plans = plans_to_print(workspace, options)
    printed = (
        f"Printed {uk_datetime(datetime.now().astimezone())} by {workspace.actor.display_name}"
    )
    buffer = io.BytesIO()
    with too_long_to_print():
        render_checklists(plans, buffer, printed=printed, branding=workspace.site.branding())
    write_atomic(destination, buffer.getvalue(), doing=f"saving {destination.name}")


def plans_to_print(workspace: Workspace, options: ReportOptions | None) -> list[PlanView]:
    incidents = workspace.incidents
    if options is not None and options.all:
        plans = incidents.plans()
        if not plans:
            raise UsageError("There are no incident plans to print; nothing was written.")
        return plans
    if options is None or not (options.plan or "").strip():
        raise UsageError(
            "Say which plan with --plan TITLE, or print every plan with --all; nothing was written."
        )
    return [incidents.plan_by_title(options.plan or "")]


def plan_footer(plan: PlanView) -> str:
    reviewed = (
        f"Reviewed {uk_day(plan.last_reviewed_on)}" if plan.last_reviewed_on else "Not yet reviewed"
    )
    return (
        f"{plan.title} · Version {plan.version} · {reviewed} · "
        f"Next review {uk_day(plan.next_review_on)}"
    )


class _FooterMark(Flowable):  # type: ignore[misc]
    """Takes no room; tells the page canvas which plan's footer to print from the page it is
    drawn on (the plan's first page, which has no running header) and which header from the
    next page on, so each plan in a pack carries its own version and review dates."""

    def __init__(self, footer: str, header: str) -> None:
        super().__init__()
        self.footer = footer
        self.header = header
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._footer = self.footer
        self.canv._header = ""
        self.canv.next_header = self.header


class _PlanCanvas(_NumberedCanvas):
    """The shared page canvas, whose footer and header can change from one plan to the next:
    it holds each page's attributes back until the end, so each page keeps its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_header = ""

    def showPage(self) -> None:
        super().showPage()
        self._header = self.next_header


def render_checklists(
    plans: Sequence[PlanView], target: Any, *, printed: str, branding: Branding | None = None
) -> None:
    styles = incident_styles()
    story: list[Flowable] = []
    for index, plan in enumerate(plans):
        if index:
            story.append(PageBreak())
        story.extend(plan_story(plan, styles, printed=printed))
    title = plans[0].title if len(plans) == 1 else "Incident plans: checklists"
    # On portrait A4, with a canvas whose footer follows the plan.
    build_pdf(
        target,
        story,
        title=title,
        author=printed,
        header="",
        footer=plan_footer(plans[0]),
        page_size=A4,
        branding=branding,
        canvas=_PlanCanvas,
    )


def plan_story(plan: PlanView, styles: Styles, *, printed: str) -> list[Flowable]:
    story: list[Flowable] = [
        _FooterMark(plan_footer(plan), f"{plan.title} (continued)"),
        Paragraph(markup(plan.title), styles.title),
    ]
    if plan.scenario.strip():
        story.append(para(plan.scenario, styles.subtitle))
    story.append(para(f"Version {plan.version} · {printed}", styles.note))
    story.append(Spacer(1, 3 * mm))
    story.append(contacts_box(plan.contacts, styles))
    story.append(Spacer(1, 3 * mm))
    story.append(roles_table(plan, styles))
    step_number = 0
    for phase in Phase:
        steps = [step for step in plan.steps if step.phase == phase]
        if not steps:
            continue
        rows: list[list[object]] = []
        for step in steps:
            step_number += 1
            rows.append(
                [
                    TickBox(),
                    para(f"{step_number}.", styles.cell_bold),
                    para(step.text, styles.body),
                    para(step.role.label, styles.cell),
                    "",
                    "",
                ]
            )
        story.append(CondPageBreak(30 * mm))
        story.append(para(phase.label, styles.heading))
        story.append(steps_table(rows, styles))
    story.append(
        KeepTogether([para("Notes", styles.heading), *ruled_lines(NOTE_LINES, CONTENT_WIDTH)])
    )
    return story


def steps_table(rows: list[list[object]], styles: Styles) -> Table:
    heading = [
        para(label, styles.header_cell)
        for label in ("Done", "No.", "Step", "Who", "Time", "Initials")
    ]
    table = Table(
        [heading, *rows],
        colWidths=columns(11, 9, 88, 31, 18, 18),
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        grid_style(
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
        )
    )
    return table


def contacts_box(contacts: Sequence[ContactView], styles: Styles) -> Table:
    heading = [
        para("Who to call", styles.header_cell),
        para("Organisation", styles.header_cell),
        para("Phone", styles.header_cell),
    ]
    rows: list[list[object]] = [heading]
    missing_rows: list[int] = []
    for contact in contacts:
        if contact.missing:
            missing_rows.append(len(rows))
            rows.append(
                [para(contact.name, styles.cell_bold), para(MISSING_CONTACT, styles.cell_bold), ""]
            )
            continue
        phones = " / ".join(p for p in (contact.phone, contact.phone_other) if p.strip())
        if not phones and contact.email.strip():
            phones = contact.email
        rows.append(
            [
                para(contact.name, styles.cell_bold),
                para(contact.organisation, styles.cell),
                Paragraph(f"<b>{markup(phones)}</b>", styles.body),
            ]
        )
    if len(rows) == 1:
        rows.append([para("No contacts are linked to this plan.", styles.cell), "", ""])
        missing_rows.append(1)
    table = Table(rows, colWidths=columns(40, 36, 24), hAlign="LEFT", repeatRows=1)
    table.setStyle(
        grid_style(
            ("BOX", (0, 0), (-1, -1), 1.4, INK),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            *(("SPAN", (1, row), (2, row)) for row in missing_rows),
        )
    )
    return table


def roles_table(plan: PlanView, styles: Styles) -> Table:
    rows = [
        [para(label, styles.cell_bold), para(name.strip() or WRITE_IN, styles.body)]
        for label, name in (
            ("Incident lead", plan.incident_lead),
            ("Deputy", plan.deputy),
            ("Security lead", plan.security_lead),
        )
    ]
    table = Table(rows, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm], hAlign="LEFT")
    table.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 1, HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    return table
