"""Concern statistics for the quarterly export: counts only, never who or what.

Managers may write these as well as leads (the service decides). CSV for head office's
spreadsheet, PDF for the governance pack; both print the same numbers from one read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from prevent_desktop.reports.concern_page import (
    build_portrait_pdf,
    facts_table,
    printed_footer,
    uk_day,
)
from prevent_desktop.reports.pdf_page import Styles, grid_style, make_styles, para
from prevent_desktop.reports.spreadsheet import neutralise
from prevent_desktop.services.concern_views import ConcernStatistics
from prevent_desktop.services.site import SiteView
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.branding import Branding
    from prevent_desktop.services.workspace import Workspace

TITLE = "Prevent concerns: statistics"


def current_quarter(today: date | None = None) -> tuple[date, date]:
    """The calendar quarter so far: from its first day to today."""
    today = today or date.today()
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today


@dataclass(frozen=True)
class StatisticsReport:
    statistics: ConcernStatistics
    site: SiteView
    printed_at: datetime
    printed_by: str

    def sections(self) -> list[tuple[str, dict[str, int]]]:
        stats = self.statistics
        return [
            ("By type", stats.by_type),
            ("By status now", stats.by_status),
            ("Referral outcomes", stats.by_outcome),
            ("By month recorded", _every_month(stats)),
        ]


def take_statistics(
    workspace: Workspace, start: date | None = None, end: date | None = None
) -> StatisticsReport:
    default_start, default_end = current_quarter()
    return StatisticsReport(
        statistics=workspace.concerns.statistics(start or default_start, end or default_end),
        site=workspace.site.site(),
        printed_at=datetime.now().astimezone(),
        printed_by=workspace.actor.display_name,
    )


def write_concern_statistics(
    workspace: Workspace, destination: Path, *, start: date | None = None, end: date | None = None
) -> None:
    """Counts of concerns recorded from `start` to `end` (default: this quarter so far) as
    CSV: one row per count, with its section. No names, accounts or references."""
    report = take_statistics(workspace, start, end)
    write_atomic(destination, statistics_csv(report), doing="saving the concern statistics")


def write_concern_statistics_pdf(
    workspace: Workspace, destination: Path, *, start: date | None = None, end: date | None = None
) -> None:
    report = take_statistics(workspace, start, end)
    buffer = io.BytesIO()
    render_statistics(report, buffer, branding=workspace.site.branding())
    write_atomic(destination, buffer.getvalue(), doing="saving the concern statistics")


def statistics_csv(report: StatisticsReport) -> bytes:
    stats = report.statistics
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Section", "Item", "Count"])
    writer.writerow(["Site", neutralise(report.site.name), ""])
    writer.writerow(["Period", f"{uk_day(stats.start)} to {uk_day(stats.end)}", ""])
    writer.writerow(["Total", "Concerns recorded", stats.total])
    for section, counts in report.sections():
        for label, count in counts.items():
            writer.writerow([section, neutralise(label), count])
    # With a byte-order mark, as the other CSV reports: Excel then reads it as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def render_statistics(
    report: StatisticsReport, target: io.BytesIO, *, branding: Branding | None = None
) -> None:
    styles = make_styles()
    stats = report.statistics
    period = f"{uk_day(stats.start)} to {uk_day(stats.end)}"
    site = f"{report.site.name} ({report.site.code})" if report.site.code else report.site.name
    story: list[Flowable] = [
        Paragraph(TITLE, styles.title),
        Spacer(1, 3 * mm),
        facts_table(
            [("Site", site), ("Period", period), ("Concerns recorded", str(stats.total))],
            styles,
        ),
        Spacer(1, 2 * mm),
        para(
            "Counts of concerns recorded in the period, with no names, accounts or references. "
            "Status is each concern's status today. Referral outcomes count the referrals made "
            "for those concerns.",
            styles.note,
        ),
    ]
    for section, counts in report.sections():
        story.append(KeepTogether(_counts_table(section, counts, styles)))
    build_portrait_pdf(
        target,
        story,
        title=f"{TITLE} {period}",
        author=report.printed_by,
        header=f"{TITLE} – {report.site.name} – {period}",
        footer=printed_footer(report.printed_at, report.printed_by),
        branding=branding,
    )


def _counts_table(section: str, counts: dict[str, int], styles: Styles) -> list[Flowable]:
    heading = Paragraph(section, styles.heading)
    if not counts:
        return [heading, para("None in this period.", styles.body)]
    rows: list[list[object]] = [
        [para(section, styles.header_cell), para("Count", styles.header_cell)]
    ]
    rows += [
        [para(label, styles.cell), para(str(count), styles.cell)] for label, count in counts.items()
    ]
    table = Table(rows, colWidths=[120 * mm, 25 * mm], hAlign="LEFT", repeatRows=1)
    table.setStyle(grid_style())
    return [heading, table]


def _every_month(stats: ConcernStatistics) -> dict[str, int]:
    """Each month of the period, a quiet one shown as 0 rather than left out."""
    months: dict[str, int] = {}
    year, month = stats.start.year, stats.start.month
    while (year, month) <= (stats.end.year, stats.end.month):
        key = f"{year:04d}-{month:02d}"
        months[key] = stats.by_month.get(key, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for key, count in stats.by_month.items():  # a concern recorded late on the last UTC day
        months.setdefault(key, count)
    return dict(sorted(months.items()))
