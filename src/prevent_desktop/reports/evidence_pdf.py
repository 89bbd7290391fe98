"""The strategy evidence pack: what an inspector is handed to show the Prevent strategy is kept.

It walks the strategy area by area and commitment by commitment, with the evidence the site
holds for each; commitments without evidence are written out as such (in words, and listed
together on the first page), then the objectives, the concern figures and a sign-off by the
manager, with lines for a wet signature. Only a manager may make it: the sign-off is recorded
in the audit log before the file is written.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from prevent_desktop.domain.risk import Rag
from prevent_desktop.reports.evidence_pdf_sections import (
    FLAG,
    concerns_section,
    objectives_section,
    sign_off_section,
)
from prevent_desktop.reports.pdf_page import (
    RAG_FILL,
    RULE,
    Styles,
    build_pdf,
    grid_style,
    make_styles,
    markup,
    para,
)
from prevent_desktop.services.strategy_evidence import StrategyEvidenceService
from prevent_desktop.services.strategy_evidence_views import (
    EVIDENCE_LISTED,
    AreaEvidence,
    CommitmentEvidence,
    EvidenceItem,
    SignOff,
    StrategyEvidenceView,
    more_evidence,
)
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

TITLE = "Prevent strategy: inspection evidence pack"
NOT_ENCRYPTED = "CONFIDENTIAL: not encrypted, store securely"
_COLUMNS = [
    ("No.", 11),
    ("Commitment", 66),
    ("Objectives", 20),
    ("Evidence held", 136),
    ("Status", 36),
]


def write_evidence_pack(
    workspace: Workspace, path: Path, _options: object = None, *, today: date | None = None
) -> SignOff:
    """Sign the pack off as the signed-in manager (recorded in the audit log) and write it to
    `path`, replaced atomically. PermissionDenied for anyone else, before anything is read or
    written. Returns the sign-off printed on it."""
    service = StrategyEvidenceService(workspace.database, workspace.actor)
    service.require_sign_off()
    view = service.evidence(today)
    sign_off = service.sign_off_evidence_pack(view)
    buffer = io.BytesIO()
    render(view, sign_off, buffer, branding=workspace.site.branding())
    write_atomic(path, buffer.getvalue(), doing="saving the evidence pack")
    return sign_off


def render(
    view: StrategyEvidenceView,
    sign_off: SignOff,
    target: io.BytesIO,
    *,
    branding: Branding | None = None,
) -> None:
    styles = make_styles()
    site = f"{view.site_name} ({view.site_code})" if view.site_code else view.site_name
    story: list[Flowable] = [*_overview(view, site, styles)]
    for area in view.areas:
        story += _area(area, styles)
    story += objectives_section(view, styles)
    story += concerns_section(view, styles)
    story += sign_off_section(sign_off, styles)
    printed = datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    build_pdf(
        target,
        story,
        title=f"{TITLE} – {site}",
        author=sign_off.name,
        header=f"{TITLE} – {site} – {view.today:%d/%m/%Y}",
        footer=f"Printed on {printed} by {sign_off.name} — {NOT_ENCRYPTED}",
        branding=branding,
    )


# ---- page 1 ----------------------------------------------------------------------------------


def _overview(view: StrategyEvidenceView, site: str, styles: Styles) -> list[Flowable]:
    evidence = view.summary + (f" ({view.review_note})" if view.review_note else "")
    facts = [
        ("Site", site),
        ("Date", f"{view.today:%d/%m/%Y}"),
        (
            "National threat level",
            f"{view.threat_level.label} – {view.threat_level.meaning} "
            f"(since {view.threat_since:%d/%m/%Y})",
        ),
        ("Commitments", evidence),
        ("Objectives", view.objectives_summary),
    ]
    table = Table(
        [[para(label, styles.cell_bold), para(value, styles.body)] for label, value in facts],
        colWidths=[42 * mm, 200 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    story: list[Flowable] = [
        Paragraph(TITLE, styles.title),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
        para(
            "Evidence is what Prevent Desktop holds today: risks whose controls quote a "
            "commitment or that sit in its area and cite its objectives; courses that serve "
            "its objectives, with staff who hold them in date; incident plans with their "
            "reviews and drills; local contacts filled in; and counts from the concern log, "
            "with no names or details. Dates are dd/mm/yyyy.",
            styles.note,
        ),
        Paragraph("Commitments without evidence", styles.heading),
    ]
    missing = view.without_evidence
    if not missing:
        return [*story, para("Every commitment has at least one piece of evidence.", styles.body)]
    rows: list[list[object]] = [
        [para(name, styles.header_cell) for name in ("No.", "Commitment", "What would count")]
    ]
    rows += [
        [para(c.number, styles.cell_bold), _flagged_text(c, styles), para(c.hint, styles.cell)]
        for c in missing
    ]
    gaps = Table(rows, colWidths=[11 * mm, 110 * mm, 148 * mm], repeatRows=1, splitInRow=1)
    gaps.setStyle(grid_style())
    return [*story, gaps]


def _flagged_text(commitment: CommitmentEvidence, styles: Styles) -> Paragraph:
    return Paragraph(f"<b>{FLAG}:</b> {markup(commitment.text)}", styles.cell)


# ---- the areas -------------------------------------------------------------------------------


def _area(area: AreaEvidence, styles: Styles) -> list[Flowable]:
    rows: list[list[object]] = [[para(name, styles.header_cell) for name, _w in _COLUMNS]]
    tints: list[tuple[object, ...]] = []
    for index, commitment in enumerate(area.commitments, start=1):
        rows.append(
            [
                para(commitment.number, styles.cell_bold),
                para(commitment.text, styles.cell),
                para(commitment.objective_codes or "—", styles.cell),
                _evidence_cell(commitment, styles),
                _status_cell(commitment, styles),
            ]
        )
        tint = _tint(commitment)
        if tint is not None:
            tints.append(("BACKGROUND", (4, index), (4, index), tint))
    table = Table(rows, colWidths=[w * mm for _n, w in _COLUMNS], repeatRows=1, splitInRow=1)
    table.setStyle(grid_style(*tints))
    return [
        CondPageBreak(50 * mm),
        Paragraph(markup(area.heading), styles.heading),
        para(
            f"{area.aim} {area.evidenced} of {len(area.commitments)} commitments have evidence.",
            styles.note,
        ),
        Spacer(1, 2 * mm),
        table,
    ]


def _evidence_cell(commitment: CommitmentEvidence, styles: Styles) -> Paragraph:
    if not commitment.items:
        return Paragraph(f"<b>{FLAG}.</b> What would count: {markup(commitment.hint)}", styles.cell)
    lines = [_item(item) for item in commitment.items[:EVIDENCE_LISTED]]
    if len(commitment.items) > EVIDENCE_LISTED:
        lines.append(f"• {markup(more_evidence(len(commitment.items)))}")
    return Paragraph("<br/>".join(lines), styles.cell)


def _item(item: EvidenceItem) -> str:
    return (
        f"• <b>{markup(item.kind.label)}:</b> {markup(item.title)} "
        f"<font color='#555555'>— {markup(item.detail)}</font>"
    )


def _status_cell(commitment: CommitmentEvidence, styles: Styles) -> Paragraph:
    if not commitment.items:
        return Paragraph(f"<b>{FLAG}</b>", styles.cell)
    count = len(commitment.items)
    text = f"<b>Evidence held</b> ({count})"
    if commitment.awaiting_review:
        text += "<br/>None of it reviewed yet"
    return Paragraph(text, styles.cell)


def _tint(commitment: CommitmentEvidence) -> Any:
    if not commitment.items:
        return RAG_FILL[Rag.RED]
    return RAG_FILL[Rag.AMBER] if commitment.awaiting_review else None
