"""The concerns part of a site's section in the quarterly return PDF: the statistics (never
who), then the records the return carries, pseudonymised or in full."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.reports.pdf_page import Styles, para
from prevent_desktop.reports.quarterly_pdf_parts import (
    Cell,
    counts_block,
    figures_table,
    referral_block,
    section,
    side_by_side,
    table,
)


def concerns_part(ret: dict[str, Any], styles: Styles) -> list[Flowable]:
    concerns = ret.get("concerns") or {}
    stats = concerns.get("statistics") or {}
    story = section(
        "Concerns",
        "Counts with no names. Status and outcomes as they stood when deadlines were judged.",
        styles,
    )
    story.append(
        figures_table(
            [
                ("Recorded in the quarter", str(stats.get("opened", 0))),
                ("Closed in the quarter", str(stats.get("closed", 0))),
                ("Open at the end of the quarter", str(stats.get("open_at_end", 0))),
                (
                    "Referrals made in the quarter",
                    str((stats.get("referrals") or {}).get("made", 0)),
                ),
            ],
            styles,
        )
    )
    blocks = [
        counts_block(heading, what, stats.get(key) or {}, styles)
        for heading, what, key in (
            ("Recorded in the quarter, by type", "Type", "by_type"),
            ("Recorded in the quarter, by status", "Status", "by_status"),
            ("Recorded in the quarter, by risk level", "Risk level", "by_risk_level"),
            ("Referral outcomes of those concerns", "Outcome", "by_outcome"),
            ("Open at the end, by type", "Type", "open_by_type"),
            ("Open at the end, by status", "Status", "open_by_status"),
        )
    ]
    blocks.append(referral_block(stats.get("referrals") or {}, styles))
    story += [Spacer(1, 2 * mm), *side_by_side(blocks)]
    return story + _records(ret, styles)


def _records(ret: dict[str, Any], styles: Styles) -> list[Flowable]:
    policy = ret.get("concern_policy")
    records = [r for r in (ret.get("concerns") or {}).get("records") or [] if isinstance(r, dict)]
    if policy == "statistics":
        note = "No names, accounts or references leave the site."
        story = section("Concern records", note, styles)
        return [*story, para("This return carries statistics only.", styles.body)]
    story = section(
        "Concern records",
        f"{fmt.policy(policy)}. One row per concern recorded in, or open during, the quarter.",
        styles,
    )
    if not records:
        return [*story, para("No concerns in the quarter.", styles.body)]
    full = policy == "full"
    columns = [
        ("Reference", 24),
        ("Reported", 20),
        ("Type", 34),
        ("Risk level", 18),
        ("Status", 30),
        ("Referrals", 52 if full else 70),
        ("Closed", 20),
        ("Person", 48 if full else 30),
    ]
    if full:
        columns.append(("Account", 70))
    rows: list[list[Cell]] = []
    for record in records:
        row: list[Cell] = [
            str(record.get("reference", "")),
            fmt.day(record.get("reported_on")),
            str(record.get("type", "")),
            fmt.risk_level(record.get("immediate_risk")),
            fmt.concern_status(record.get("status")),
            "\n".join(
                f"{fmt.agency(r.get('agency'))}, {fmt.day(r.get('made_on'))}: "
                f"{fmt.outcome(r.get('outcome'))}"
                for r in record.get("referrals") or []
            )
            or "None",
            fmt.day(record.get("closed_on")) or "Open",
            _person(record.get("person") or {}),
        ]
        if full:
            row.append(str(record.get("account", "")))
        rows.append(row)
    return [*story, Spacer(1, 2 * mm), table(columns, rows, styles)]


def _person(person: dict[str, Any]) -> str:
    if "pseudonym" in person:
        return str(person["pseudonym"])
    lines = [
        str(person.get("name", "")),
        f"Ref {person['learner_reference']}" if person.get("learner_reference") else "",
        f"Born {fmt.day(person.get('date_of_birth'))}" if person.get("date_of_birth") else "",
        str(person.get("employer", "")),
        str(person.get("programme", "")),
    ]
    return "\n".join(line for line in lines if line)
