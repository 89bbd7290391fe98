"""The register and its action plan as XLSX (two sheets) and CSV, for people who work in Excel.

Scores are numbers and dates are real dates, so the sheets sort and filter; RAG is written as
a word. Files are built in memory and written in one atomic step.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from prevent_desktop.domain.risk import REVIEW_FREQUENCIES
from prevent_desktop.reports.register_snapshot import local_date, take_snapshot
from prevent_desktop.reports.spreadsheet import Column, add_sheet, csv_bytes
from prevent_desktop.services.risk_views import ActionView, RiskView
from prevent_desktop.store.atomic import write_atomic

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

RiskAction = tuple[RiskView, ActionView]


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


REGISTER_COLUMNS: list[Column[RiskView]] = [
    Column("Reference", 10, lambda r: r.reference),
    Column("Title", 40, lambda r: r.title, wrap=True),
    Column("Description", 50, lambda r: r.description, wrap=True),
    Column("Strategy area", 24, lambda r: r.area.label, wrap=True),
    Column(
        "Objectives",
        30,
        lambda r: "; ".join(f"{o.value} {o.label}" for o in r.objectives),
        wrap=True,
    ),
    Column("Category", 24, lambda r: r.category, wrap=True),
    Column("Owner", 18, lambda r: r.owner),
    Column("Inherent likelihood", 11, lambda r: r.inherent_likelihood),
    Column("Inherent impact", 11, lambda r: r.inherent_impact),
    Column("Inherent score", 11, lambda r: r.inherent_score),
    Column("Existing controls", 60, lambda r: r.controls, wrap=True),
    Column("Residual likelihood", 11, lambda r: r.residual_likelihood),
    Column("Residual impact", 11, lambda r: r.residual_impact),
    Column("Residual score", 11, lambda r: r.residual_score),
    Column("RAG", 8, lambda r: r.rag.label),
    Column("Status", 12, lambda r: r.status.label),
    Column("Review frequency", 16, lambda r: REVIEW_FREQUENCIES.get(r.review_frequency_months)),
    Column("Next review", 12, lambda r: r.next_review_on),
    Column("Review overdue", 10, lambda r: _yes(r.review_overdue)),
    Column(
        "Last reviewed",
        12,
        lambda r: local_date(r.last_reviewed_at) if r.last_reviewed_at else None,
    ),
    Column("Last reviewed by", 18, lambda r: r.last_reviewed_by),
    Column("Open actions", 10, lambda r: r.open_actions),
    Column("Overdue actions", 10, lambda r: r.overdue_actions),
    Column("Notes", 40, lambda r: r.notes, wrap=True),
]

ACTION_COLUMNS: list[Column[RiskAction]] = [
    Column("Risk reference", 10, lambda pair: pair[0].reference),
    Column("Risk title", 36, lambda pair: pair[0].title, wrap=True),
    Column("Action", 50, lambda pair: pair[1].description, wrap=True),
    Column("Owner", 18, lambda pair: pair[1].owner),
    Column("Due", 12, lambda pair: pair[1].due_on),
    Column("Status", 13, lambda pair: pair[1].status.label),
    Column("Completed", 12, lambda pair: pair[1].completed_on),
    Column("Overdue", 9, lambda pair: _yes(pair[1].overdue)),
    Column("Evidence", 45, lambda pair: pair[1].evidence, wrap=True),
]


def write_xlsx(workspace: Workspace, path: Path, *, today: date | None = None) -> None:
    """A "Register" sheet (one row per risk) and an "Action plan" sheet (one row per action)."""
    snapshot = take_snapshot(workspace, today)
    workbook = Workbook()
    workbook.remove(workbook.active)  # the default empty sheet
    add_sheet(workbook, "Register", REGISTER_COLUMNS, snapshot.risks)
    add_sheet(workbook, "Action plan", ACTION_COLUMNS, snapshot.actions())
    workbook.properties.title = f"Prevent risk register – {snapshot.site.name}"
    workbook.properties.creator = snapshot.printed_by
    workbook.properties.description = "Not encrypted: store securely."
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue(), doing="saving the risk register workbook")


def write_csv(workspace: Workspace, path: Path, *, today: date | None = None) -> None:
    """The register, one row per risk."""
    snapshot = take_snapshot(workspace, today)
    data = csv_bytes(REGISTER_COLUMNS, snapshot.risks)
    write_atomic(path, data, doing="saving the risk register CSV")


def write_actions_csv(workspace: Workspace, path: Path, *, today: date | None = None) -> None:
    """The action plan, one row per action, each naming its risk."""
    snapshot = take_snapshot(workspace, today)
    data = csv_bytes(ACTION_COLUMNS, snapshot.actions())
    write_atomic(path, data, doing="saving the action plan CSV")
