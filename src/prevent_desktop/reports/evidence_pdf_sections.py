"""The evidence pack's closing sections: the objectives, the concern figures and the sign-off
with lines for a wet signature."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from prevent_desktop.domain.risk import Rag
from prevent_desktop.domain.strategy_commitments import EvidenceKind
from prevent_desktop.reports.pdf_page import (
    BAND_FILL,
    RAG_FILL,
    RULE,
    Styles,
    grid_style,
    markup,
    para,
)
from prevent_desktop.services.strategy_evidence_views import (
    NO_EVIDENCE,
    SignOff,
    StrategyEvidenceView,
    duration_text,
)

FLAG = NO_EVIDENCE.upper()  # "NO EVIDENCE YET": the flag is words, the tint only helps


def objectives_section(view: StrategyEvidenceView, styles: Styles) -> list[Flowable]:
    header = ("Objective", "Commitments serving it", "Risks citing it", "Courses in date", "Status")
    rows: list[list[object]] = [[para(name, styles.header_cell) for name in header]]
    tints: list[tuple[object, ...]] = []
    for index, objective in enumerate(view.objectives, start=1):
        risks = [i.title.split(" ", 1)[0] for i in objective.items if i.kind is EvidenceKind.RISKS]
        courses = [i.title for i in objective.items if i.kind is EvidenceKind.COURSES]
        serving = ", ".join(objective.commitments) or "—"
        status = "<b>Evidence held</b>" if objective.has_evidence else f"<b>{FLAG}</b>"
        if not objective.has_evidence:
            status += f"<br/>What would count: {markup(objective.hint)}"
            tints.append(("BACKGROUND", (4, index), (4, index), RAG_FILL[Rag.RED]))
        rows.append(
            [
                Paragraph(
                    f"<b>{markup(objective.heading)}</b><br/>"
                    f"<font color='#555555'>{markup(objective.text)}</font>",
                    styles.cell,
                ),
                para(
                    f"{serving} ({objective.commitments_evidenced} of "
                    f"{len(objective.commitments)} with evidence)",
                    styles.cell,
                ),
                para(", ".join(risks) or "None", styles.cell),
                para(", ".join(courses) or "None", styles.cell),
                Paragraph(status, styles.cell),
            ]
        )
    table = Table(
        rows, colWidths=[w * mm for w in (92, 45, 40, 52, 40)], repeatRows=1, splitInRow=1
    )
    table.setStyle(grid_style(*tints))
    return [
        CondPageBreak(60 * mm),
        Paragraph("Objectives", styles.heading),
        para(view.objectives_summary + ".", styles.note),
        Spacer(1, 2 * mm),
        table,
    ]


def concerns_section(view: StrategyEvidenceView, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(35 * mm), Paragraph("Concern handling", styles.heading)]
    figures = view.concerns
    if figures is None:
        return [*story, para("Not shown: concern figures are for managers and leads.", styles.body)]
    story.append(
        para(
            f"Counts from the concern log for {figures.start:%d/%m/%Y} to {figures.end:%d/%m/%Y}, "
            "with no names, references or details.",
            styles.note,
        )
    )
    rows = [
        ("Concerns recorded", figures.recorded),
        ("Closed in the period", figures.closed),
        ("Open today", figures.open_now),
        ("Referrals made", figures.referrals),
        ("Referrals awaiting an outcome", figures.referrals_awaiting),
        ("Taken up by a lead", figures.reviewed),
        ("Awaiting a first lead review", figures.awaiting_review),
    ]
    cells: list[list[object]] = [
        [para("Figure", styles.header_cell), para("Count", styles.header_cell)]
    ]
    cells += [
        [para(label, styles.cell), para(str(value), styles.cell_bold)] for label, value in rows
    ]
    if figures.median_hours_to_review is not None:
        median = duration_text(figures.median_hours_to_review)
        cells.append(
            [
                para("Median time from report to first lead review", styles.cell),
                para(median, styles.cell_bold),
            ]
        )
    table = Table(cells, colWidths=[70 * mm, 60 * mm], hAlign="LEFT")
    table.setStyle(grid_style())
    return [*story, Spacer(1, 2 * mm), KeepTogether([table])]


def sign_off_section(sign_off: SignOff, styles: Styles) -> list[Flowable]:
    line = "_" * 48
    lines = Table(
        [
            [
                para("Signature", styles.cell_bold),
                para(line, styles.body),
                para("Date", styles.cell_bold),
                para("____ / ____ / ________", styles.body),
            ],
            [
                para("Name", styles.cell_bold),
                para(line, styles.body),
                para("Role", styles.cell_bold),
                para(line, styles.body),
            ],
        ],
        colWidths=[24 * mm, 100 * mm, 16 * mm, 100 * mm],
        hAlign="LEFT",
    )
    lines.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 9 * mm),
        ]
    )
    block: list[Flowable] = [
        Paragraph("Sign-off", styles.heading),
        Paragraph(f"<b>{markup(sign_off.statement)}</b>", styles.subtitle),
        Spacer(1, 1.5 * mm),
        para(
            f"This pack shows the evidence Prevent Desktop held on {sign_off.on}: "
            f"{sign_off.evidenced} of {sign_off.total} commitments have evidence. The sign-off "
            "is recorded in the application's audit log. Sign below to confirm it on paper.",
            styles.body,
        ),
        lines,
    ]
    table = Table([[block]], colWidths=[269 * mm])
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("BACKGROUND", (0, 0), (-1, -1), BAND_FILL),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
        ]
    )
    return [Spacer(1, 4 * mm), table]  # one cell: moves to the next page whole if need be
