"""The risk register as a landscape A4 PDF: what an inspector asks a provider for first.

Page 1 is the overview (site, date, threat level, heat maps, legend, totals); then the register,
the action plan and the review summary. The page is rendered in memory and written in one
atomic step, so a failure part-way never leaves half a PDF where the user asked for one.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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

from prevent_desktop.domain.risk import Rag, RiskStatus
from prevent_desktop.reports.pdf_heat_map import WIDTH as MAP_WIDTH
from prevent_desktop.reports.pdf_heat_map import heat_map_table, legend_table
from prevent_desktop.reports.pdf_page import (
    BAND_FILL,
    HEADER_FILL,
    RAG_FILL,
    RULE,
    Styles,
    build_pdf,
    grid_style,
    make_styles,
    markup,
    para,
)
from prevent_desktop.reports.register_snapshot import RegisterSnapshot, take_snapshot, uk_date
from prevent_desktop.services.risk_views import RiskView
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

TITLE = "Prevent risk register"
RECENT_REVIEWS = 30
NOT_ENCRYPTED = "CONFIDENTIAL: not encrypted, store securely"


def write_risk_register_pdf(workspace: Workspace, path: Path, *, today: date | None = None) -> None:
    """Write the register, action plan and review summary to `path` (replaced atomically).
    Raises StorageFull, ReadOnlyLocation or KnownError when the file cannot be written."""
    snapshot = take_snapshot(workspace, today)
    buffer = io.BytesIO()
    render(snapshot, buffer, branding=workspace.site.branding())
    write_atomic(path, buffer.getvalue(), doing="saving the risk register PDF")


def render(
    snapshot: RegisterSnapshot, target: io.BytesIO, *, branding: Branding | None = None
) -> None:
    styles = make_styles()
    site = (
        f"{snapshot.site.name} ({snapshot.site.code})" if snapshot.site.code else snapshot.site.name
    )
    printed = snapshot.printed_at.strftime("%d/%m/%Y %H:%M")
    story = [
        *_overview(snapshot, styles),
        PageBreak(),
        *_register(snapshot, styles),
        *_action_plan(snapshot, styles),
        *_review_summary(snapshot, styles),
    ]
    build_pdf(
        target,
        story,
        title=f"{TITLE} – {site}",
        author=snapshot.printed_by,
        header=f"{TITLE} – {site} – {uk_date(snapshot.today)}",
        footer=f"Printed on {printed} by {snapshot.printed_by} — {NOT_ENCRYPTED}",
        branding=branding,
    )


# ---- page 1 ----------------------------------------------------------------------------------


def _overview(snapshot: RegisterSnapshot, styles: Styles) -> list[Flowable]:
    threat = snapshot.threat
    site = markup(snapshot.site.name)
    if snapshot.site.code:
        site += f" ({markup(snapshot.site.code)})"
    facts = [
        [para("Site", styles.cell_bold), Paragraph(site, styles.body)],
        [para("Date", styles.cell_bold), para(uk_date(snapshot.today), styles.body)],
        [
            para("National threat level", styles.cell_bold),
            Paragraph(
                f"<b>{threat.level.label}</b> – {markup(threat.level.meaning)} "
                f"(since {uk_date(threat.effective_on)})",
                styles.body,
            ),
        ],
    ]
    facts_table = Table(facts, colWidths=[40 * mm, 150 * mm], hAlign="LEFT")
    facts_table.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    maps = Table(
        [
            [
                heat_map_table(
                    "Residual risk (after controls)",
                    snapshot.residual_map,
                    snapshot.thresholds,
                    styles,
                ),
                heat_map_table(
                    "Inherent risk (before controls)",
                    snapshot.inherent_map,
                    snapshot.thresholds,
                    styles,
                ),
                _totals(snapshot, styles),
            ]
        ],
        colWidths=[MAP_WIDTH + 6 * mm, MAP_WIDTH + 6 * mm, None],
        hAlign="LEFT",
    )
    maps.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [
        Paragraph(TITLE, styles.title),
        Spacer(1, 3 * mm),
        facts_table,
        Spacer(1, 5 * mm),
        Paragraph("Heat maps", styles.heading),
        para(
            "Number of risks in each likelihood × impact cell (closed risks are not counted). "
            "Each cell shows its band initial and score, so the map reads without colour.",
            styles.note,
        ),
        Spacer(1, 2 * mm),
        maps,
        Spacer(1, 4 * mm),
        legend_table(snapshot.thresholds, styles),
    ]


def _totals(snapshot: RegisterSnapshot, styles: Styles) -> Table:
    risks = snapshot.risks
    live = [r for r in risks if r.status is not RiskStatus.CLOSED]
    actions = [action for _risk, action in snapshot.actions()]
    counts: list[tuple[str, int]] = [
        ("Risks on the register", len(risks)),
        *((status.label, sum(1 for r in risks if r.status is status)) for status in RiskStatus),
        *(
            (f"{band.label} (residual, not closed)", sum(1 for r in live if r.rag is band))
            for band in Rag
        ),
        ("Reviews overdue", sum(1 for r in risks if r.review_overdue)),
        ("Actions not finished", sum(1 for a in actions if not a.status.finished)),
        ("Actions overdue", sum(1 for a in actions if a.overdue)),
    ]
    cells: list[list[object]] = [[para("Summary", styles.header_cell), ""]]
    cells += [
        [para(label, styles.cell), para(str(value), styles.cell_bold)] for label, value in counts
    ]
    table = Table(cells, colWidths=[46 * mm, 14 * mm], hAlign="LEFT")
    table.setStyle(grid_style(("SPAN", (0, 0), (-1, 0))))
    return table


# ---- the register ----------------------------------------------------------------------------

_REGISTER_COLUMNS = [
    ("Ref", 13),
    ("Risk", 44),
    ("Area", 24),
    ("Category", 26),
    ("Owner", 20),
    ("Inherent L×I", 16),
    ("Existing controls", 58),
    ("Residual L×I", 16),
    ("RAG", 13),
    ("Status", 19),
    ("Next review", 20),
]


def _register(snapshot: RegisterSnapshot, styles: Styles) -> list[Flowable]:
    header = [para(name, styles.header_cell) for name, _width in _REGISTER_COLUMNS]
    rows: list[list[object]] = [header]
    shading: list[tuple[object, ...]] = []
    for index, risk in enumerate(snapshot.risks, start=1):
        title = f"<b>{markup(risk.title)}</b>"
        if risk.description:
            title += f"<br/><font size=6.8 color='#555555'>{markup(risk.description)}</font>"
        next_review = markup(uk_date(risk.next_review_on))
        if risk.review_overdue:
            next_review += "<br/><b>OVERDUE</b>"
        rows.append(
            [
                para(risk.reference, styles.cell_bold),
                Paragraph(title, styles.cell),
                para(risk.area.label, styles.cell),
                para(risk.category or "—", styles.cell),
                para(risk.owner, styles.cell),
                para(_score(risk.inherent_likelihood, risk.inherent_impact), styles.cell),
                para(risk.controls or "None recorded", styles.cell),
                para(_score(risk.residual_likelihood, risk.residual_impact), styles.cell),
                para(risk.rag.label, styles.cell_bold),
                para(risk.status.label, styles.cell),
                Paragraph(next_review, styles.cell),
            ]
        )
        rag_column = 8
        shading.append(("BACKGROUND", (rag_column, index), (rag_column, index), RAG_FILL[risk.rag]))
    table = Table(
        rows,
        colWidths=[width * mm for _name, width in _REGISTER_COLUMNS],
        repeatRows=1,
        splitInRow=1,  # a risk with pages of controls must still fit
    )
    table.setStyle(grid_style(*shading))
    intro = (
        f"{len(snapshot.risks)} risks. L×I is likelihood × impact, each 1 to 5. "
        "RAG is the band of the residual score."
    )
    if not snapshot.risks:
        return [Paragraph("Risk register", styles.heading), para("No risks recorded.", styles.body)]
    return [
        Paragraph("Risk register", styles.heading),
        para(intro, styles.note),
        Spacer(1, 2 * mm),
        table,
    ]


def _score(likelihood: int, impact: int) -> str:
    return f"{likelihood} × {impact} = {likelihood * impact}"


# ---- the action plan -------------------------------------------------------------------------

_ACTION_COLUMNS = [
    ("Action", 80),
    ("Owner", 32),
    ("Due", 24),
    ("Status", 22),
    ("Completed", 22),
    ("Evidence", 89),
]


def _action_plan(snapshot: RegisterSnapshot, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(45 * mm), Paragraph("Action plan", styles.heading)]
    pairs = snapshot.actions()
    if not pairs:
        return [*story, para("No actions recorded.", styles.body)]
    overdue = sum(1 for _risk, action in pairs if action.overdue)
    story.append(
        para(
            f"{len(pairs)} actions under {len({risk.id for risk, _ in pairs})} risks; "
            f"{overdue} overdue (marked OVERDUE).",
            styles.note,
        )
    )
    for risk in snapshot.risks:
        if risk.actions:
            # One table per risk, kept together where it fits, so a risk's heading never
            # ends a page without its actions.
            story += [Spacer(1, 2.5 * mm), KeepTogether([_actions_table(risk, styles)])]
    return story


def _actions_table(risk: RiskView, styles: Styles) -> Table:
    blanks = len(_ACTION_COLUMNS) - 1
    rows: list[list[object]] = [
        [Paragraph(f"<b>{markup(risk.reference)}</b>  {markup(risk.title)}", styles.cell)]
        + [""] * blanks,
        [para(name, styles.header_cell) for name, _ in _ACTION_COLUMNS],
    ]
    for action in risk.actions:
        due = markup(uk_date(action.due_on))
        if action.overdue:
            due += "<br/><b>OVERDUE</b>"
        rows.append(
            [
                para(action.description, styles.cell),
                para(action.owner, styles.cell),
                Paragraph(due, styles.cell),
                para(action.status.label, styles.cell),
                para(uk_date(action.completed_on), styles.cell),
                para(action.evidence, styles.cell),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * mm for _name, width in _ACTION_COLUMNS],
        repeatRows=2,
        splitInRow=1,
    )
    table.setStyle(
        grid_style(
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), BAND_FILL),
            ("BACKGROUND", (0, 1), (-1, 1), HEADER_FILL),
        )
    )
    return table


# ---- reviews ---------------------------------------------------------------------------------


def _review_summary(snapshot: RegisterSnapshot, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(45 * mm), Paragraph("Review summary", styles.heading)]
    rows: list[list[object]] = [
        [
            para(name, styles.header_cell)
            for name in ("Ref", "Risk", "Status", "Last reviewed", "By", "Next review", "Reviews")
        ]
    ]
    for risk in snapshot.risks:
        next_review = markup(uk_date(risk.next_review_on))
        if risk.review_overdue:
            next_review += " <b>OVERDUE</b>"
        rows.append(
            [
                para(risk.reference, styles.cell_bold),
                para(risk.title, styles.cell),
                para(risk.status.label, styles.cell),
                para(uk_date(risk.last_reviewed_at) or "Not yet reviewed", styles.cell),
                para(risk.last_reviewed_by, styles.cell),
                Paragraph(next_review, styles.cell),
                para(str(len(risk.reviews)), styles.cell),
            ]
        )
    summary = Table(rows, colWidths=[w * mm for w in (13, 118, 20, 26, 44, 30, 18)], repeatRows=1)
    summary.setStyle(grid_style())
    story += [Spacer(1, 2 * mm), summary, CondPageBreak(40 * mm)]
    story.append(Paragraph("Recent reviews", styles.heading))
    reviews = snapshot.reviews()
    if not reviews:
        return [*story, para("No reviews recorded yet.", styles.body)]
    shown = reviews[:RECENT_REVIEWS]
    note = (
        "Newest first."
        if len(reviews) <= RECENT_REVIEWS
        else (f"The {RECENT_REVIEWS} newest of {len(reviews)} reviews.")
    )
    story.append(
        para(note + " Scores are likelihood × impact, before and after the review.", styles.note)
    )
    rows = [
        [
            para(name, styles.header_cell)
            for name in (
                "Date",
                "Risk",
                "Reviewer",
                "Inherent before → after",
                "Residual before → after",
                "Comment",
            )
        ]
    ]
    for risk, review in shown:
        rows.append(
            [
                para(uk_date(review.reviewed_at), styles.cell),
                para(f"{risk.reference} {risk.title}", styles.cell),
                para(review.reviewer_name, styles.cell),
                para(f"{review.inherent_before} → {review.inherent_after}", styles.cell),
                para(f"{review.residual_before} → {review.residual_after}", styles.cell),
                para(review.comment, styles.cell),
            ]
        )
    recent = Table(
        rows, colWidths=[w * mm for w in (20, 70, 35, 24, 24, 96)], repeatRows=1, splitInRow=1
    )
    recent.setStyle(grid_style())
    return [*story, Spacer(1, 2 * mm), recent]
