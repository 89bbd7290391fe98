"""One site's section of the quarterly return PDF: its facts and summary, the risk register
with its action plan and reviews, training, incident plans and drills, and concerns."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from prevent_desktop.domain.risk import Rag
from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.reports.pdf_page import RAG_FILL, Styles, markup, para, plain_cells
from prevent_desktop.reports.quarterly_aggregate import site_position
from prevent_desktop.reports.quarterly_pdf_concerns import concerns_part
from prevent_desktop.reports.quarterly_pdf_parts import (
    Cell,
    RunningHeader,
    figures_table,
    section,
    table,
)


def site_section(
    ret: dict[str, Any], styles: Styles, *, single: bool, header: str = ""
) -> list[Flowable]:
    """The site's pages; in head office's report they start with the site's name, and
    `header` (naming the site) runs at the top of each of them."""
    story: list[Flowable] = []
    if not single:
        story += [RunningHeader(header), para(fmt.site_text(ret), styles.title)]
    threat = ret.get("threat_level") or {}
    story += [
        figures_table(
            [
                ("Site", fmt.site_text(ret)),
                ("Quarter", f"{fmt.quarter_label(ret)}, {fmt.period(ret)}"),
                ("Deadlines judged on", fmt.day(ret.get("as_of") or ret.get("end"))),
                (
                    "National threat level",
                    f"{threat.get('label', '')} (since {fmt.day(threat.get('effective_on'))})",
                ),
                ("Return made", f"{fmt.moment(ret.get('made_at'))} by {ret.get('made_by', '')}"),
                ("Concerns sent", fmt.policy(ret.get("concern_policy"))),
            ],
            styles,
            wide=True,
        ),
        Paragraph("Summary", styles.heading),
        _summary(ret, styles),
    ]
    story += _risks(ret, styles)
    story += _training(ret, styles)
    story += _incidents(ret, styles)
    story += concerns_part(ret, styles)
    return story


def _summary(ret: dict[str, Any], styles: Styles) -> Flowable:
    row = site_position(ret)
    training = (ret.get("training") or {}).get("overall") or {}
    return figures_table(
        [
            ("Training compliance (required training in date)", fmt.compliance(training)),
            ("Risks not closed (red on residual score)", f"{row['risks']} ({row['red_risks']})"),
            ("Risk reviews overdue", str(row["risk_reviews_overdue"])),
            ("Actions overdue", str(row["actions_overdue"])),
            ("Incident plans overdue for review", str(row["plans_review_overdue"])),
            ("Drills / real incidents in the quarter", f"{row['drills']} / {row['incidents']}"),
            (
                "Concerns recorded / closed in the quarter",
                f"{row['concerns_opened']} / {row['concerns_closed']}",
            ),
            ("Concerns open at the end of the quarter", str(row["open_concerns"])),
            ("Referrals made in the quarter", str(row["referrals"])),
        ],
        styles,
    )


def _overdue(text: str, overdue: Any, styles: Styles) -> str | Flowable:
    """The date, and OVERDUE in bold under it when it is (a date alone is a plain cell)."""
    if not overdue:
        return text
    return Paragraph(markup(text) + "<br/><b>OVERDUE</b>", styles.cell)


# ---- risks -------------------------------------------------------------------------------

_RISK_COLUMNS = [
    ("Ref", 14),
    ("Risk", 72),
    ("Area", 32),
    ("Owner", 28),
    ("Status", 18),
    ("Inherent", 15),
    ("Residual", 15),
    ("RAG", 14),
    ("Next review", 22),
    ("Changed in quarter", 18),
]


def _risks(ret: dict[str, Any], styles: Styles) -> list[Flowable]:
    risks = [r for r in ret.get("risks") or [] if isinstance(r, dict)]
    story = section(
        "Risk register",
        f"{len(risks)} risks. Scores are likelihood × impact (1 to 25); RAG is the band of the "
        "residual score, written in words.",
        styles,
    )
    if not risks:
        return [*story, para("No risks recorded.", styles.body)]
    rows: list[list[Cell]] = []
    shading: list[tuple[Any, ...]] = []
    for index, risk in enumerate(risks, start=1):
        rows.append(
            [
                str(risk.get("reference", "")),
                str(risk.get("title", "")),
                str(risk.get("area", "")),
                str(risk.get("owner", "")),
                fmt.risk_status(risk.get("status")),
                str(risk.get("inherent_score", "")),
                str(risk.get("residual_score", "")),
                fmt.rag(risk.get("rag")),  # in bold: see the table's style below
                _overdue(fmt.day(risk.get("next_review_on")), risk.get("review_overdue"), styles),
                fmt.yes_no(risk.get("changed_in_quarter")),
            ]
        )
        if risk.get("rag") in {band.value for band in Rag}:
            fill = RAG_FILL[Rag(risk["rag"])]
            shading.append(("BACKGROUND", (7, index), (7, index), fill))
    bold_rag = plain_cells(styles.cell_bold, (7, 1), (7, -1))
    story += [Spacer(1, 2 * mm), table(_RISK_COLUMNS, rows, styles, *bold_rag, *shading)]
    return story + _actions(risks, styles) + _reviews(risks, styles)


def _actions(risks: list[dict[str, Any]], styles: Styles) -> list[Flowable]:
    pairs = [(risk, action) for risk in risks for action in risk.get("actions") or []]
    overdue = sum(1 for _risk, action in pairs if action.get("overdue"))
    story = section(
        "Action plan", f"{len(pairs)} actions, {overdue} overdue (marked OVERDUE).", styles
    )
    if not pairs:
        return [*story, para("No actions recorded.", styles.body)]
    rows: list[list[Cell]] = [
        [
            str(risk.get("reference", "")),
            str(action.get("description", "")),
            str(action.get("owner", "")),
            _overdue(fmt.day(action.get("due_on")), action.get("overdue"), styles),
            fmt.action_status(action.get("status")),
        ]
        for risk, action in pairs
    ]
    columns = [("Risk", 14), ("Action", 120), ("Owner", 40), ("Due", 24), ("Status", 24)]
    return [*story, Spacer(1, 2 * mm), table(columns, rows, styles)]


def _reviews(risks: list[dict[str, Any]], styles: Styles) -> list[Flowable]:
    reviews = [(risk, review) for risk in risks for review in risk.get("reviews_in_quarter") or []]
    story = section("Risk reviews in the quarter", f"{len(reviews)} reviews.", styles)
    if not reviews:
        return [*story, para("No risk was reviewed in the quarter.", styles.body)]
    rows: list[list[Cell]] = [
        [
            fmt.day(review.get("reviewed_on")),
            f"{risk.get('reference', '')} {risk.get('title', '')}",
            str(review.get("residual_score", "")),
            str(review.get("comment", "")),
        ]
        for risk, review in sorted(reviews, key=lambda pair: str(pair[1].get("reviewed_on")))
    ]
    columns = [("Date", 22), ("Risk", 90), ("Residual after", 20), ("Comment", 130)]
    return [*story, Spacer(1, 2 * mm), table(columns, rows, styles)]


# ---- training ----------------------------------------------------------------------------


def _training(ret: dict[str, Any], styles: Styles) -> list[Flowable]:
    training = ret.get("training") or {}
    staff = [s for s in training.get("staff") or [] if isinstance(s, dict)]
    story = section(
        "Training",
        f"Compliance is required training in date (due soon still counts), rounded down. "
        f"Due soon: expiring within {training.get('due_soon_days', '')} days. "
        f"{len(staff)} staff in post.",
        styles,
    )
    story.append(
        figures_table(
            [("Overall compliance", fmt.compliance(training.get("overall") or {}))], styles
        )
    )
    courses: list[list[Cell]] = [
        [
            str(line.get("course", "")),
            *(str(line.get(key, 0)) for key in ("required", "valid", "due_soon", "expired")),
            str(line.get("missing", 0)),
            fmt.percent(line.get("percent")),
        ]
        for line in training.get("by_course") or []
    ]
    columns = [
        ("Course", 90),
        ("Required", 20),
        ("In date", 20),
        ("Due soon", 20),
        ("Expired", 20),
        ("Missing", 20),
        ("Compliance", 24),
    ]
    story += [
        Paragraph("Compliance by course", styles.subtitle),
        table(columns, courses, styles, fill=False),
    ]
    roles: list[list[Cell]] = [
        [
            str(line.get("role", "")),
            str(line.get("required", 0)),
            str(line.get("valid", 0)),
            fmt.percent(line.get("percent")),
        ]
        for line in training.get("by_role") or []
    ]
    role_columns = [("Job role", 90), ("Required", 20), ("In date", 20), ("Compliance", 24)]
    story += [
        Spacer(1, 2 * mm),
        Paragraph("Compliance by job role", styles.subtitle),
        table(role_columns, roles, styles, fill=False),
    ]
    return story + _gaps(staff, styles)


def _gaps(staff: list[dict[str, Any]], styles: Styles) -> list[Flowable]:
    """Who has required training to do: the matrix's gaps, by person (the full grid is in
    the workbook)."""
    rows: list[list[Cell]] = []
    for person in staff:
        cells = person.get("cells") or {}
        gaps = [
            ", ".join(course for course, status in cells.items() if status == wanted)
            for wanted in ("expired", "missing", "due_soon")
        ]
        if any(gaps):
            rows.append([str(person.get("name", "")), str(person.get("job_role", "")), *gaps])
    story: list[Flowable] = [
        Spacer(1, 2 * mm),
        Paragraph("Staff with training to do", styles.subtitle),
        para(
            f"{len(staff) - len(rows)} of {len(staff)} staff have everything in date.", styles.note
        ),
    ]
    if not rows:
        return story
    columns = [
        ("Name", 40),
        ("Job role", 36),
        ("✗ Expired", 62),
        ("! Missing", 62),
        ("◷ Due soon", 62),
    ]
    return [*story, table(columns, rows, styles)]


# ---- incidents ---------------------------------------------------------------------------


def _incidents(ret: dict[str, Any], styles: Styles) -> list[Flowable]:
    incidents = ret.get("incidents") or {}
    plans = [p for p in incidents.get("plans") or [] if isinstance(p, dict)]
    overdue = sum(1 for p in plans if p.get("review_overdue"))
    story = section(
        "Incident plans",
        f"{len(plans)} plans, {overdue} overdue for review (marked OVERDUE). Drilled plans "
        "are practised on a schedule; response plans are used when the event happens.",
        styles,
    )
    rows: list[list[Cell]] = [
        [
            str(plan.get("title", "")),
            "Drilled" if plan.get("kind") == "drilled" else "Response",
            fmt.day(plan.get("last_reviewed_on")) or "Not yet",
            _overdue(fmt.day(plan.get("next_review_on")), plan.get("review_overdue"), styles),
            ", ".join(fmt.day(d) for d in plan.get("reviews_in_quarter") or []) or "—",
            _overdue(fmt.day(plan.get("next_drill_on")) or "—", plan.get("drill_overdue"), styles),
        ]
        for plan in plans
    ]
    columns = [
        ("Plan", 100),
        ("Kind", 20),
        ("Last reviewed", 24),
        ("Next review", 24),
        ("Reviewed in quarter", 30),
        ("Next drill", 24),
    ]
    if rows:
        story += [Spacer(1, 2 * mm), table(columns, rows, styles)]
    logs = [log for log in incidents.get("drills") or [] if isinstance(log, dict)]
    story += section(
        "Drills and incidents in the quarter",
        f"{sum(1 for log in logs if log.get('is_drill'))} drills and "
        f"{sum(1 for log in logs if not log.get('is_drill'))} real incidents.",
        styles,
    )
    if not logs:
        return [*story, para("None in the quarter.", styles.body)]
    log_rows: list[list[Cell]] = [
        [
            fmt.moment(log.get("started_at")),
            str(log.get("plan", "")),
            "Drill" if log.get("is_drill") else "Real incident",
            fmt.moment(log.get("closed_at")) or "Still open",
            str(log.get("outcome", "")),
        ]
        for log in logs
    ]
    log_columns = [("Started", 26), ("Plan", 80), ("Drill or incident", 24), ("Closed", 26)]
    return [*story, table([*log_columns, ("Outcome", 110)], log_rows, styles)]
