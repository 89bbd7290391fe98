"""A concern's case summary as a portrait A4 PDF, for the safeguarding lead's file or to share.

Everything the record holds, in the order a reader needs it: the facts, the person, the
account, the timeline of decisions and chronology, referrals, attachments (names only) and
who has opened the record. Redacted, it keeps only the subject's name (see concern_redaction).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from prevent_desktop.domain.concern import EntryKind, SubjectKind
from prevent_desktop.reports.concern_page import (
    CONTENT_WIDTH,
    REDACTED,
    account_style,
    boxed,
    build_portrait_pdf,
    columns,
    facts_table,
    file_size,
    or_none,
    printed_footer,
    save_printout,
    uk_datetime,
    uk_day,
)
from prevent_desktop.reports.concern_redaction import LEAD, REDACTION_NOTE, Names, names_for
from prevent_desktop.reports.pdf_page import (
    BAND_FILL,
    Styles,
    grid_style,
    make_styles,
    markup,
    para,
)
from prevent_desktop.services.concern_views import AccessView, ConcernDetailView, ReferralView
from prevent_desktop.services.site import SiteView

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

TITLE = "Prevent concern: case summary"


@dataclass(frozen=True)
class CaseSummary:
    view: ConcernDetailView
    accesses: tuple[AccessView, ...]  # read after the printing was logged, so it shows too
    site: SiteView
    names: Names
    printed_at: datetime
    printed_by: str


def write_case_summary(
    workspace: Workspace, concern_id: str, destination: Path, *, redact_third_parties: bool = False
) -> None:
    """Write the case summary of one concern to `destination` (replaced atomically) and log
    the printing in its access log. Only a lead holding the safeguarding key may: anyone
    else gets PermissionDenied or SafeguardingLocked from the service."""
    concerns = workspace.concerns
    what = "Printed the case summary" + (" (redacted)" if redact_third_parties else "")
    view = concerns.open_concern(concern_id, purpose=what)
    actor = workspace.actor

    def render() -> bytes:
        names = names_for(view, workspace.users.list_users(), redact=redact_third_parties)
        summary = CaseSummary(
            view=view,
            accesses=concerns.access_log(concern_id),
            site=workspace.site.site(),
            names=names,
            printed_at=datetime.now().astimezone(),
            printed_by=names.person(actor.display_name, actor.role_label),
        )
        buffer = io.BytesIO()
        render_case_summary(summary, buffer, branding=workspace.site.branding())
        return buffer.getvalue()

    save_printout(workspace, concern_id, what, render, destination)


def render_case_summary(
    case: CaseSummary, target: io.BytesIO, *, branding: Branding | None = None
) -> None:
    styles = make_styles()
    reference = case.view.summary.reference
    redacted = " (redacted)" if case.names.redact else ""
    story: list[Flowable] = [
        Paragraph(TITLE + redacted, styles.title),
        para(f"{reference} · {site_line(case.site)}", styles.subtitle),
        Spacer(1, 3 * mm),
    ]
    if case.names.redact:
        note = Paragraph(f"<b>REDACTED COPY.</b> {markup(REDACTION_NOTE)}", styles.body)
        story += [boxed([note], border=1.5), Spacer(1, 3 * mm)]
    story += [
        *_facts(case, styles),
        *_person(case, styles),
        *_account(case, styles),
        *_timeline(case, styles),
        *_referrals(case.view.referrals, case.names, styles),
        *_same_person(case, styles),
        *_attachments(case, styles),
        *_access_log(case, styles),
    ]
    build_portrait_pdf(
        target,
        story,
        title=f"{TITLE} {reference}{redacted}",
        author=case.printed_by,
        header=f"{TITLE} {reference}{redacted} – {case.site.name} – CONFIDENTIAL",
        footer=printed_footer(case.printed_at, case.printed_by),
        branding=branding,
    )


def site_line(site: SiteView) -> str:
    return f"{site.name} ({site.code})" if site.code else site.name


def _heading(text: str, styles: Styles) -> list[Flowable]:
    return [CondPageBreak(30 * mm), Paragraph(markup(text), styles.heading)]


# ---- the facts and the person -----------------------------------------------------------------


def _facts(case: CaseSummary, styles: Styles) -> list[Flowable]:
    s = case.view.summary
    names = case.names
    lead = s.assigned_lead_name and (LEAD if names.redact else s.assigned_lead_name)
    risk = s.immediate_risk.label + (" – call 999" if s.immediate_risk.call_999 else "")
    reporter = (
        s.reported_by_role if names.redact else f"{s.reported_by_name} ({s.reported_by_role})"
    )
    follow_up = uk_day(s.next_follow_up_on) + (" (OVERDUE)" if s.follow_up_overdue else "")
    rows: list[tuple[str, Flowable | str]] = [
        ("Site", site_line(case.site)),
        ("Reference", s.reference),
        ("Status", f"{s.status.label} (since {uk_datetime(s.status_changed_at)})"),
        ("Type of concern", s.concern_type),
        ("Immediate risk", risk),
        ("Observed", uk_datetime(s.observed_at)),
        ("Recorded", uk_datetime(s.recorded_at)),
        ("Reported by", reporter),
        ("Assigned lead", lead or "Not assigned"),
        ("Next follow-up", follow_up or "None set"),
        ("Linked risk", s.risk_reference or "None"),
        ("Keep until", uk_day(s.review_by) or "Not yet known (see the retention rule)"),
        ("Legal hold", "Yes: do not delete" if s.legal_hold else "No"),
    ]
    return [Paragraph("The concern", styles.heading), facts_table(rows, styles)]


def _person(case: CaseSummary, styles: Styles) -> list[Flowable]:
    person = case.view.details.person
    rows: list[tuple[str, Flowable | str]] = [("Who", person.kind.label)]
    if person.kind is SubjectKind.UNKNOWN:
        rows.append(("Description", or_none(case.names.text(person.description))))
    else:
        born = uk_day(person.date_of_birth)
        rows += [
            ("Name", or_none(person.name)),
            ("Learner reference", or_none(person.learner_reference)),
            ("Date of birth", born or "Not recorded"),
            ("Employer", or_none(person.employer)),
            ("Programme", or_none(person.programme)),
            ("Stage", or_none(person.stage)),
        ]
        if person.description:
            rows.append(("Description", case.names.text(person.description)))
    return [*_heading("The person", styles), facts_table(rows, styles)]


def _account(case: CaseSummary, styles: Styles) -> list[Flowable]:
    details = case.view.details
    names = case.names
    others = details.others_present.strip()
    if others and names.redact:
        others = REDACTED
    indicators: list[Flowable] = [
        para(f"• {indicator}", styles.body) for indicator in details.indicators
    ] or [para("None recorded", styles.body)]
    return [
        *_heading("Where and when", styles),
        facts_table(
            [
                ("Location", or_none(names.text(details.location))),
                ("Context", or_none(names.text(details.context))),
                ("Observed", uk_datetime(case.view.summary.observed_at)),
            ],
            styles,
        ),
        *_heading("The account", styles),
        para("As recorded, in full.", styles.note),
        Spacer(1, 1.5 * mm),
        para(names.text(details.account), account_style(styles)),
        *_heading("Others present", styles),
        para(others or "None recorded", styles.body),
        *_heading("Indicators", styles),
        *indicators,
    ]


# ---- the timeline -----------------------------------------------------------------------------


def _timeline(case: CaseSummary, styles: Styles) -> list[Flowable]:
    """One block per event (a banded line saying when, what and by whom, then the text) rather
    than a table: a chronology entry may run to pages, and paragraphs split where rows cannot."""
    view, names = case.view, case.names
    numbers = {entry.id: n for n, entry in enumerate(view.entries, start=1)}
    events: list[tuple[datetime, int, str, str, str, str]] = []  # when, order, cells...
    for step in view.steps:
        change = f"{step.from_status.label} → {step.to_status.label}"
        detail = f"<b>{markup(change)}</b><br/>Rationale: {markup(names.text(step.rationale))}"
        by = markup(names.person(step.by_name))
        events.append((step.at, 0, uk_datetime(step.at), "<b>Decision</b>", by, detail))
    for entry in view.entries:
        number = numbers[entry.id]
        what = f"<b>{markup(entry.kind.label)}</b> (entry {number})"
        detail = markup(names.text(entry.body))
        if entry.corrects_entry_id is not None or entry.kind is EntryKind.CORRECTION:
            target = numbers.get(entry.corrects_entry_id or "")
            what = f"<b>CORRECTION</b> (entry {number})"
            if target is not None:
                detail = f"<b>Corrects entry {target}.</b> {detail}"
        if entry.corrected_by:
            later = ", ".join(str(numbers[i]) for i in entry.corrected_by if i in numbers)
            detail += f"<br/><b>CORRECTED later: see entry {markup(later)}.</b>"
        when = uk_datetime(entry.occurred_at)
        if uk_datetime(entry.recorded_at) != when:
            when += f" (recorded {uk_datetime(entry.recorded_at)})"
        by = markup(names.person(entry.author_name))
        events.append((entry.occurred_at, 1, when, what, by, detail))
    story = _heading("Timeline", styles)
    if not events:
        return [*story, para("No decisions or chronology entries yet.", styles.body)]
    story.append(
        para(
            "Decisions (status changes with their rationale) and chronology entries, oldest "
            "first. Entries are never edited: a correction is a later entry, marked CORRECTION.",
            styles.note,
        )
    )
    detail_style = ParagraphStyle("timeline_detail", styles.body, leftIndent=3 * mm)
    for _at, _order, when, what, by, detail in sorted(events, key=lambda e: (e[0], e[1])):
        band = Table(
            [
                [
                    Paragraph(when, styles.cell),
                    Paragraph(what, styles.cell),
                    Paragraph(by, styles.cell),
                ]
            ],
            colWidths=columns(70, 52, 60),
        )
        band.setStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BAND_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
        # The band never ends a page without at least the start of its text.
        story += [
            Spacer(1, 2 * mm),
            KeepTogether([band, Spacer(1, 1 * mm), Paragraph(detail, detail_style)]),
        ]
    return story


def _referrals(referrals: tuple[ReferralView, ...], names: Names, styles: Styles) -> list[Flowable]:
    story = _heading("Referrals", styles)
    if not referrals:
        return [*story, para("No referrals recorded.", styles.body)]
    for referral in referrals:
        reviews = "; ".join(
            f"{review.months}-month review due {uk_day(review.due_on)}"
            + (f", done {uk_day(review.done_on)}" if review.done_on else ", not yet done")
            for review in referral.reviews
        )
        outcome = referral.outcome.label
        if referral.outcome_on:
            outcome += f" ({uk_day(referral.outcome_on)})"
        rows: list[tuple[str, Flowable | str]] = [
            ("Referred on", f"{uk_day(referral.referred_on)} by {referral.method.label}"),
            ("Their reference", or_none(referral.reference_number)),
            ("Outcome", outcome),
            ("Support ended", uk_day(referral.support_ended_on) or "Not recorded"),
            ("Reviews", reviews or "Due 6 and 12 months after support ends"),
            ("Notes", or_none(names.text(referral.notes), "None")),
        ]
        title = Table([[para(referral.agency.label, styles.cell_bold)]], colWidths=[CONTENT_WIDTH])
        title.setStyle([("BACKGROUND", (0, 0), (-1, -1), BAND_FILL)])
        story += [Spacer(1, 2 * mm), KeepTogether([title, facts_table(rows, styles)])]
    return story


# ---- the rest ---------------------------------------------------------------------------------


def _same_person(case: CaseSummary, styles: Styles) -> list[Flowable]:
    others = case.view.same_person
    if not others:
        return []
    rows: list[list[object]] = [
        [para(h, styles.header_cell) for h in ("Reference", "Recorded", "Type", "Status")]
    ]
    rows += [
        [
            para(other.reference, styles.cell_bold),
            para(uk_day(other.recorded_at), styles.cell),
            para(other.concern_type, styles.cell),
            para(other.status.label, styles.cell),
        ]
        for other in others
    ]
    table = Table(rows, colWidths=columns(30, 30, 70, 52), repeatRows=1)
    table.setStyle(grid_style())
    return [*_heading("Other concerns about the same person", styles), table]


def _attachments(case: CaseSummary, styles: Styles) -> list[Flowable]:
    story = _heading("Attachments", styles)
    attachments = case.view.attachments
    if not attachments:
        return [*story, para("None.", styles.body)]
    story.append(para("Listed only: their contents are not printed.", styles.note))
    rows: list[list[object]] = [
        [para(h, styles.header_cell) for h in ("File", "Size", "Added by", "Added")]
    ]
    for number, attachment in enumerate(attachments, start=1):
        name = f"Attachment {number} (name {REDACTED})" if case.names.redact else attachment.name
        rows.append(
            [
                para(name, styles.cell),
                para(file_size(attachment.size_bytes), styles.cell),
                para(case.names.person(attachment.added_by_name), styles.cell),
                para(uk_datetime(attachment.added_at), styles.cell),
            ]
        )
    table = Table(rows, colWidths=columns(86, 22, 44, 30), repeatRows=1)
    table.setStyle(grid_style())
    return [*story, Spacer(1, 1.5 * mm), table]


def _access_log(case: CaseSummary, styles: Styles) -> list[Flowable]:
    story = _heading("Access log", styles)
    story.append(para("Everyone who opened or printed this record, newest first.", styles.note))
    rows: list[list[object]] = [
        [para(h, styles.header_cell) for h in ("When", "Who", "Role", "What")]
    ]
    for access in case.accesses:
        who = REDACTED if case.names.redact else access.user_name
        rows.append(
            [
                para(uk_datetime(access.at), styles.cell),
                para(who, styles.cell),
                para(access.user_role, styles.cell),
                para(case.names.text(access.purpose), styles.cell),
            ]
        )
    table = Table(rows, colWidths=columns(26, 46, 50, 60), repeatRows=1)
    table.setStyle(grid_style())
    return [*story, Spacer(1, 1.5 * mm), table]
