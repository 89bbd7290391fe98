"""A referral pack: the record laid out in the order of the National Prevent Referral Form.

The form is filled in online; the lead keeps this beside it and copies each section across.
The record has no field for complex needs, so that section is a ruled box with prompts for
the lead to complete by hand before starting the form.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from prevent_desktop.domain.concern import SubjectKind
from prevent_desktop.reports.concern_page import (
    CONTENT_WIDTH,
    account_style,
    build_portrait_pdf,
    columns,
    facts_table,
    or_none,
    printed_footer,
    save_printout,
    uk_datetime,
    uk_day,
)
from prevent_desktop.reports.concern_pdf import site_line
from prevent_desktop.reports.pdf_page import (
    INK,
    RULE,
    Styles,
    grid_style,
    make_styles,
    markup,
    para,
)
from prevent_desktop.services.concern_views import ConcernDetailView
from prevent_desktop.services.site import SiteView

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

TITLE = "Prevent referral pack"
# The four parts of the National Prevent Referral Form this pack follows, in its order.
SECTIONS = (
    "1. The person's details",
    "2. Describe the concerns",
    "3. Complex needs",
    "4. Other information",
)
COMPLEX_NEEDS_PROMPTS = (
    "Prevent Desktop has no field for this: fill the box in by hand before starting the form. "
    "Think about anything that may make the person more vulnerable or affect how support is "
    "offered, for example: mental or physical health; learning difficulties, disabilities or "
    "neurodivergence (and any EHC plan); substance misuse; care experience or caring "
    "responsibilities; exploitation, isolation or recent loss; language or communication "
    "needs. Write only what is known, and where it is recorded."
)


@dataclass(frozen=True)
class ReferralPack:
    view: ConcernDetailView
    site: SiteView
    lead_name: str
    lead_role: str
    printed_at: datetime


def write_referral_pack(workspace: Workspace, concern_id: str, destination: Path) -> None:
    """Write the referral pack of one concern to `destination` (replaced atomically) and log
    the printing. Only a lead holding the safeguarding key may."""
    view = workspace.concerns.open_concern(concern_id, purpose="Printed the referral pack")
    actor = workspace.actor

    def render() -> bytes:
        pack = ReferralPack(
            view=view,
            site=workspace.site.site(),
            lead_name=actor.display_name,
            lead_role=actor.role_label,
            printed_at=datetime.now().astimezone(),
        )
        buffer = io.BytesIO()
        render_referral_pack(pack, buffer, branding=workspace.site.branding())
        return buffer.getvalue()

    save_printout(workspace, concern_id, "Printed the referral pack", render, destination)


def render_referral_pack(
    pack: ReferralPack, target: io.BytesIO, *, branding: Branding | None = None
) -> None:
    styles = make_styles()
    reference = pack.view.summary.reference
    story: list[Flowable] = [
        Paragraph(TITLE, styles.title),
        para(f"{reference} · {site_line(pack.site)}", styles.subtitle),
        Spacer(1, 2 * mm),
        para(
            "Laid out in the order of the National Prevent Referral Form, so that each section "
            "can be copied into the online form. Answer the form's own questions: where it asks "
            "for something this record does not hold (such as an address or contact details), "
            "take it from your learner records. Destroy this copy once the referral is made.",
            styles.body,
        ),
        Spacer(1, 2 * mm),
        *_person(pack, styles),
        *_concerns(pack, styles),
        *_complex_needs(pack, styles),
        *_other_information(pack, styles),
    ]
    build_portrait_pdf(
        target,
        story,
        title=f"{TITLE} {reference}",
        author=pack.lead_name,
        header=f"{TITLE} {reference} – {pack.site.name} – CONFIDENTIAL",
        footer=printed_footer(pack.printed_at, pack.lead_name),
        branding=branding,
    )


def _section(number: int, styles: Styles) -> Paragraph:
    return Paragraph(markup(SECTIONS[number - 1]), styles.heading)


def _person(pack: ReferralPack, styles: Styles) -> list[Flowable]:
    person = pack.view.details.person
    rows: list[tuple[str, Flowable | str]] = [("Who", person.kind.label)]
    if person.kind is SubjectKind.UNKNOWN:
        rows.append(("Description", or_none(person.description)))
    else:
        born = person.date_of_birth
        rows += [
            ("Full name", or_none(person.name)),
            ("Date of birth", f"{uk_day(born)} (age {_age(born)})" if born else "Not recorded"),
            ("Learner reference", or_none(person.learner_reference)),
            ("Employer", or_none(person.employer)),
            ("Apprenticeship", or_none(person.programme)),
            ("Stage", or_none(person.stage)),
        ]
        if person.description:
            rows.append(("Description", person.description))
    return [_section(1, styles), facts_table(rows, styles)]


def _concerns(pack: ReferralPack, styles: Styles) -> list[Flowable]:
    view = pack.view
    s, details = view.summary, view.details
    indicators = "\n".join(f"• {i}" for i in details.indicators) or "None recorded"
    rows: list[tuple[str, Flowable | str]] = [
        ("Type of concern", s.concern_type),
        ("Immediate risk", s.immediate_risk.label),
        ("When observed", uk_datetime(s.observed_at)),
        ("Recorded", uk_datetime(s.recorded_at)),
        ("Who observed", f"{s.reported_by_name} ({s.reported_by_role})"),
        ("Where", or_none(details.location)),
        ("Context", or_none(details.context)),
        ("Others present", or_none(details.others_present, "None recorded")),
        ("Indicators", indicators),
    ]
    story: list[Flowable] = [
        _section(2, styles),
        facts_table(rows, styles),
        Spacer(1, 2 * mm),
        para("What was seen or heard (the account as recorded, in full)", styles.cell_bold),
        Spacer(1, 1 * mm),
        para(details.account, account_style(styles)),
    ]
    if view.steps or view.entries:
        story += [Spacer(1, 2 * mm), para("What has happened since", styles.cell_bold)]
        events: list[tuple[datetime, str]] = [
            (
                step.at,
                f"{uk_datetime(step.at)} – {step.to_status.label} ({step.by_name}): "
                f"{step.rationale}",
            )
            for step in view.steps
        ]
        events += [
            (
                entry.occurred_at,
                f"{uk_datetime(entry.occurred_at)} – {entry.kind.label} ({entry.author_name}): "
                f"{entry.body}",
            )
            for entry in view.entries
        ]
        story += [para(text, styles.body) for _at, text in sorted(events, key=lambda e: e[0])]
    return story


def _complex_needs(pack: ReferralPack, styles: Styles) -> list[Flowable]:
    person = pack.view.details.person
    held = [
        f"Stage of apprenticeship: {person.stage}" if person.stage else "",
        f"Indicators recorded: {', '.join(pack.view.details.indicators)}"
        if pack.view.details.indicators
        else "",
    ]
    held_text = "; ".join(h for h in held if h) or "nothing about complex needs"
    lines = Table([[""] for _ in range(9)], colWidths=[CONTENT_WIDTH - 12], rowHeights=8 * mm)
    lines.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)])
    box = Table([[lines]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle([("BOX", (0, 0), (-1, -1), 0.8, INK), ("LEFTPADDING", (0, 0), (-1, -1), 6)])
    return [
        KeepTogether(
            [
                _section(3, styles),
                para(COMPLEX_NEEDS_PROMPTS, styles.body),
                Spacer(1, 1.5 * mm),
                para(f"What this record holds that may help: {held_text}.", styles.note),
                Spacer(1, 1.5 * mm),
                box,
            ]
        )
    ]


def _other_information(pack: ReferralPack, styles: Styles) -> list[Flowable]:
    view = pack.view
    story: list[Flowable] = [
        _section(4, styles),
        para("Other agencies involved", styles.cell_bold),
        Spacer(1, 1 * mm),
    ]
    if view.referrals:
        rows: list[list[object]] = [
            [
                para(h, styles.header_cell)
                for h in ("Agency", "Referred", "How", "Their reference", "Outcome")
            ]
        ]
        for referral in view.referrals:
            outcome = referral.outcome.label
            if referral.outcome_on:
                outcome += f" ({uk_day(referral.outcome_on)})"
            rows.append(
                [
                    para(referral.agency.label, styles.cell),
                    para(uk_day(referral.referred_on), styles.cell),
                    para(referral.method.label, styles.cell),
                    para(or_none(referral.reference_number, "—"), styles.cell),
                    para(outcome, styles.cell),
                ]
            )
        table = Table(rows, colWidths=columns(46, 22, 40, 34, 40), repeatRows=1)
        table.setStyle(grid_style())
        story.append(table)
    else:
        story.append(para("No earlier referrals recorded for this concern.", styles.body))
    if view.same_person:
        others = ", ".join(
            f"{o.reference} ({uk_day(o.recorded_at)}, {o.status.label.lower()})"
            for o in view.same_person
        )
        story += [
            Spacer(1, 1.5 * mm),
            para(f"Earlier concerns about this person: {others}.", styles.body),
        ]
    s = view.summary
    organisation: list[tuple[str, Flowable | str]] = [
        ("Organisation", site_line(pack.site)),
        ("Referrer", f"{pack.lead_name} ({pack.lead_role})"),
    ]
    if s.assigned_lead_name and s.assigned_lead_name != pack.lead_name:
        organisation.append(("Lead for this concern", s.assigned_lead_name))
    organisation += [
        ("Our reference", s.reference),
        ("Date prepared", uk_day(pack.printed_at)),
    ]
    story += [
        Spacer(1, 3 * mm),
        KeepTogether(
            [
                para("The referring organisation", styles.cell_bold),
                Spacer(1, 1 * mm),
                facts_table(organisation, styles),
            ]
        ),
    ]
    return story


def _age(born: date) -> int:
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
