"""The quarterly return as a landscape A4 PDF, from returns (services/quarterly_return.py).

One return is a site's own copy of what it sent. Several are head office's consolidated
report: first "Organisation" (the position across every site, then one line per site), then
a section per site, each the same as that site's own copy. Tables repeat their heading row
when they run onto another page; every status is written in words (RAG, OVERDUE, the training
symbols), the tints only help. Rendered in memory, written atomically.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.reports.pdf_page import Styles, build_pdf, make_styles, para
from prevent_desktop.reports.quarterly_aggregate import organisation_position
from prevent_desktop.reports.quarterly_pdf_parts import (
    counts_block,
    figures_table,
    referral_block,
    side_by_side,
    table,
)
from prevent_desktop.reports.quarterly_pdf_site import site_section
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding


def write_quarterly_pdf(
    returns: list[dict[str, Any]],
    path: Path,
    *,
    title: str,
    consolidated: bool | None = None,
    branding: Branding | None = None,
) -> None:
    """One site's return, or several with the organisation's position first (`consolidated`:
    head office's report, organisation first even with one site). `branding`: the name and
    logo of whoever prints it (`workspace.site.branding()`). Raises StorageFull,
    ReadOnlyLocation or KnownError when the file cannot be written."""
    buffer = io.BytesIO()
    render(returns, buffer, title=title, consolidated=consolidated, branding=branding)
    write_atomic(path, buffer.getvalue(), doing="saving the quarterly return PDF")


def render(
    returns: list[dict[str, Any]],
    target: io.BytesIO,
    *,
    title: str,
    consolidated: bool | None = None,
    branding: Branding | None = None,
) -> None:
    styles = make_styles()
    story: list[Flowable] = [para(title, styles.title), Spacer(1, 2 * mm)]
    quarters = _quarters(returns)
    header = title if quarters in title else f"{title} – {quarters}"
    single = len(returns) == 1 if consolidated is None else not consolidated
    if not single:
        story += organisation_section(returns, styles)
    for ret in returns:
        if not single:
            story.append(PageBreak())
        site_header = f"{header} – {fmt.site_text(ret)}"
        story += site_section(ret, styles, single=single, header=site_header)
    if not returns:
        story.append(para("No returns to show.", styles.body))
    printed = datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    names = any(ret.get("concern_policy") == "full" for ret in returns)
    build_pdf(
        target,
        story,
        title=title,
        author="Prevent Desktop",
        header=header,
        footer=(
            f"Printed on {printed}, NOT encrypted — keep securely"
            + (" (holds the names of people concerns are about)" if names else "")
        ),
        branding=branding,
    )


# ---- the organisation --------------------------------------------------------------------


def organisation_section(returns: list[dict[str, Any]], styles: Styles) -> list[Flowable]:
    position = organisation_position(returns)
    training = position["training"]
    open_concerns = position["open_concerns"]
    referrals = position["referrals"]
    figures = figures_table(
        [
            ("Training compliance (required training in date)", fmt.compliance(training)),
            ("Risks not closed (red on residual score)", _of(position, "risks", "red_risks")),
            ("Risk reviews overdue", str(position["risk_reviews_overdue"])),
            ("Actions overdue", str(position["actions_overdue"])),
            ("Incident plans overdue for review", str(position["plans_review_overdue"])),
            ("Drills in the quarter", str(position["drills"])),
            ("Real incidents in the quarter", str(position["incidents"])),
            ("Concerns recorded in the quarter", str(position["concerns_opened"])),
            ("Concerns closed in the quarter", str(position["concerns_closed"])),
            ("Concerns open at the end of the quarter", str(open_concerns["total"])),
            ("Referrals made in the quarter", str(referrals["made"])),
        ],
        styles,
    )
    story: list[Flowable] = [
        Paragraph("Organisation", styles.heading),
        para(
            f"{position['sites']} site returns for {_quarters(returns)}. "
            "Totals are added up from the sites' sections that follow.",
            styles.note,
        ),
        Spacer(1, 2 * mm),
        *side_by_side([[figures], referral_block(referrals, styles)]),
        Paragraph("Position by site", styles.heading),
        _site_rows(position["site_rows"], styles),
    ]
    blocks = [
        counts_block("Open concerns by type", "Type", open_concerns["by_type"], styles),
        counts_block("Open concerns by status", "Status", open_concerns["by_status"], styles),
    ]
    return [*story, Spacer(1, 2 * mm), *side_by_side(blocks)]


def _quarters(returns: list[dict[str, Any]]) -> str:
    return ", ".join(sorted({fmt.quarter_label(ret) for ret in returns})) or "—"


def _of(position: dict[str, Any], total: str, part: str) -> str:
    return f"{position[total]} ({position[part]} red)"


_POLICY_SHORT = {
    "statistics": "Statistics only",
    "pseudonymised": "Pseudonymised",
    "full": "Full (names)",
}
_SITE_COLUMNS = [
    ("Site", 46),
    ("Threat level", 20),
    ("Training", 26),
    ("Risks (red)", 16),
    ("Reviews overdue", 18),
    ("Actions overdue", 18),
    ("Plans overdue", 16),
    ("Drills / incidents", 18),
    ("Concerns new / closed", 20),
    ("Open concerns", 16),
    ("Referrals", 16),
    ("Concern records", 34),
]


def _site_rows(rows: list[dict[str, Any]], styles: Styles) -> Table:
    body = [
        [
            row["site"],
            row["threat_level"],
            fmt.compliance(
                {
                    "required": row["training_required"],
                    "valid": row["training_valid"],
                    "percent": row["training_percent"],
                }
            ),
            f"{row['risks']} ({row['red_risks']})",
            str(row["risk_reviews_overdue"]),
            str(row["actions_overdue"]),
            str(row["plans_review_overdue"]),
            f"{row['drills']} / {row['incidents']}",
            f"{row['concerns_opened']} / {row['concerns_closed']}",
            str(row["open_concerns"]),
            str(row["referrals"]),
            _POLICY_SHORT.get(row["concern_policy"], row["concern_policy"]),
        ]
        for row in rows
    ]
    return table(_SITE_COLUMNS, body, styles)
