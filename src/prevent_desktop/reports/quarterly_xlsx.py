"""The quarterly return as an Excel workbook, from returns (services/quarterly_return.py).

A sheet per area (Summary, Risks, Actions, Training by course, Training by role, Training by
staff, Incident plans, Drills, Concern statistics, Concerns), each one table whose first
column is the site: head office's workbook of every site's return filters and pivots like a
site's own. With several returns an "Organisation" sheet comes first, with the totals across
sites. Dates are real dates shown dd/mm/yyyy; statuses are words (and training symbols), the
fills only help; every piece of text is stored as text (spreadsheet.add_sheet), so nothing
typed at a site runs as a formula. Built in memory, written atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.reports.quarterly_aggregate import organisation_position, site_position
from prevent_desktop.reports.quarterly_xlsx_columns import (
    ACTIONS,
    COUNTS,
    COURSES,
    DRILLS,
    PLANS,
    RISKS,
    ROLES,
    STATISTICS_SECTIONS,
    SUMMARY,
    Row,
    as_dict,
    as_list,
    as_text,
    day,
    site,
    text,
    words,
)
from prevent_desktop.reports.spreadsheet import Column, Value, add_sheet
from prevent_desktop.reports.training_snapshot import FILL_HEX
from prevent_desktop.store.atomic import write_atomic

RAG_FILL_HEX = {"red": "F3A6A6", "amber": "FAD48A", "green": "B7DDB5"}


def write_quarterly_xlsx(
    returns: list[dict[str, Any]], path: Path, *, consolidated: bool | None = None
) -> None:
    """`consolidated`: head office's workbook, with the Organisation sheet even for one site.
    Raises StorageFull, ReadOnlyLocation or KnownError when the file cannot be written."""
    write_atomic(
        path, workbook_bytes(returns, consolidated), doing="saving the quarterly return workbook"
    )


def workbook_bytes(returns: list[dict[str, Any]], consolidated: bool | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # the default empty sheet
    if len(returns) > 1 if consolidated is None else consolidated:
        _organisation(workbook, returns)
    add_sheet(workbook, "Summary", SUMMARY, [(ret, site_position(ret)) for ret in returns])
    risks = _rows(returns, lambda ret: ret.get("risks"))
    add_sheet(workbook, "Risks", RISKS, risks)
    _fill(
        workbook["Risks"],
        _index(RISKS, "RAG"),
        [RAG_FILL_HEX.get(str(r.get("rag"))) for _, r in risks],
    )
    actions = [
        (ret, {**action, "risk": risk})
        for ret, risk in risks
        for action in as_list(risk.get("actions"))
    ]
    add_sheet(workbook, "Actions", ACTIONS, actions)
    add_sheet(
        workbook, "Training by course", COURSES, _rows(returns, _part("training", "by_course"))
    )
    add_sheet(workbook, "Training by role", ROLES, _rows(returns, _part("training", "by_role")))
    _staff_sheet(workbook, _rows(returns, _part("training", "staff")))
    add_sheet(workbook, "Incident plans", PLANS, _rows(returns, _part("incidents", "plans")))
    add_sheet(workbook, "Drills", DRILLS, _rows(returns, _part("incidents", "drills")))
    add_sheet(workbook, "Concern statistics", COUNTS, _statistics_rows(returns))
    _concerns_sheet(workbook, returns)
    workbook.properties.title = "Quarterly Prevent return"
    workbook.properties.creator = "Prevent Desktop"
    workbook.properties.description = "Not encrypted: store securely."
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- sheets ------------------------------------------------------------------------------


def _organisation(workbook: Workbook, returns: list[dict[str, Any]]) -> None:
    position = organisation_position(returns)
    training, concerns, referrals = (
        position["training"],
        position["open_concerns"],
        position["referrals"],
    )
    lines: list[tuple[str, str, Value]] = [
        ("Sites", "Returns", position["sites"]),
        ("Sites", "Quarters", ", ".join(position["quarters"])),
        ("Training", "Required", training["required"]),
        ("Training", "In date", training["valid"]),
        ("Training", "Compliance %", training["percent"]),
        ("Risks", "Not closed", position["risks"]),
        ("Risks", "Red (not closed)", position["red_risks"]),
        ("Risks", "Reviews overdue", position["risk_reviews_overdue"]),
        ("Risks", "Actions overdue", position["actions_overdue"]),
        ("Incident plans", "Overdue for review", position["plans_review_overdue"]),
        ("Incident plans", "Drills in the quarter", position["drills"]),
        ("Incident plans", "Real incidents in the quarter", position["incidents"]),
        ("Concerns", "Recorded in the quarter", position["concerns_opened"]),
        ("Concerns", "Closed in the quarter", position["concerns_closed"]),
        ("Concerns", "Open at the end", concerns["total"]),
        ("Referrals", "Made in the quarter", referrals["made"]),
        *(("Open concerns by type", k, v) for k, v in concerns["by_type"].items()),
        *(("Open concerns by status", k, v) for k, v in concerns["by_status"].items()),
        *(("Referrals by agency", k, v) for k, v in referrals["by_agency"].items()),
        *(("Referrals by outcome", k, v) for k, v in referrals["by_outcome"].items()),
        *(
            (
                "Referrals by agency and outcome",
                f"{line['agency']}: {line['outcome']}",
                line["count"],
            )
            for line in referrals["by_agency_and_outcome"]
        ),
    ]
    columns: list[Column[tuple[str, str, Value]]] = [
        Column("Site", 14, lambda line: "All sites"),
        Column("Area", 30, lambda line: line[0]),
        Column("Item", 44, lambda line: line[1], wrap=True),
        Column("Value", 12, lambda line: line[2]),
    ]
    add_sheet(workbook, "Organisation", columns, lines)


def _staff_sheet(workbook: Workbook, rows: list[Row]) -> None:
    """The matrix, one row per member of staff; every course any site has is a column (a
    course a site does not have is left blank)."""
    courses: list[str] = []
    for _ret, person in rows:
        courses += [name for name in as_dict(person.get("cells")) if name not in courses]

    def course(name: str) -> Column[Row]:
        return Column(name, 14, lambda row: fmt.cell(as_dict(row[1].get("cells")).get(name)))

    columns = [site(), text("Name", 24, "name"), text("Job role", 22, "job_role")]
    add_sheet(workbook, "Training by staff", [*columns, *map(course, courses)], rows)
    sheet = workbook["Training by staff"]
    for number, name in enumerate(courses, start=len(columns) + 1):
        _fill(
            sheet,
            number,
            [_cell_fill(as_dict(person.get("cells")).get(name)) for _ret, person in rows],
        )


def _statistics_rows(returns: list[dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for ret in returns:
        stats = as_dict(as_dict(ret.get("concerns")).get("statistics"))
        referrals = as_dict(stats.get("referrals"))

        def line(section: str, item: str, count: Any, ret: dict[str, Any] = ret) -> Row:
            return (ret, {"section": section, "item": item, "count": count})

        rows += [
            line("Totals", "Recorded in the quarter", stats.get("opened")),
            line("Totals", "Closed in the quarter", stats.get("closed")),
            line("Totals", "Open at the end of the quarter", stats.get("open_at_end")),
            line("Totals", "Referrals made in the quarter", referrals.get("made")),
        ]
        for section, key in STATISTICS_SECTIONS:
            rows += [line(section, str(k), v) for k, v in as_dict(stats.get(key)).items()]
        for section, key in (
            ("Referrals made by agency", "by_agency"),
            ("Referrals made by outcome", "by_outcome"),
        ):
            rows += [line(section, str(k), v) for k, v in as_dict(referrals.get(key)).items()]
        rows += [
            line(
                "Referrals made by agency and outcome",
                f"{as_text(item.get('agency'))}: {as_text(item.get('outcome'))}",
                item.get("count"),
            )
            for item in as_list(referrals.get("by_agency_and_outcome"))
        ]
    return rows


def _concerns_sheet(workbook: Workbook, returns: list[dict[str, Any]]) -> None:
    """One row per concern record; the person's columns follow what the returns carry (a
    pseudonym, or who it is and the account when a site sent records in full)."""
    policies = {ret.get("concern_policy") for ret in returns}
    columns: list[Column[Row]] = [
        site(),
        text("Reference", 13, "reference"),
        day("Reported", "reported_on"),
        text("Type", 28, "type", wrap=True),
        words("Immediate risk", 13, "immediate_risk", fmt.risk_level),
        words("Status", 24, "status", fmt.concern_status),
        Column("Referrals", 44, lambda row: _referrals(row[1]), wrap=True),
        day("Closed", "closed_on"),
    ]
    if "pseudonymised" in policies:
        columns.append(Column("Person (pseudonym)", 18, lambda row: _person(row, "pseudonym")))
    if "full" in policies:
        columns += [
            Column("Name", 22, lambda row: _person(row, "name")),
            Column("Learner reference", 14, lambda row: _person(row, "learner_reference")),
            Column("Date of birth", 12, lambda row: fmt.parse_day(_person(row, "date_of_birth"))),
            Column("Employer", 24, lambda row: _person(row, "employer"), wrap=True),
            Column("Programme", 30, lambda row: _person(row, "programme"), wrap=True),
            text("Account", 60, "account", wrap=True),
        ]
    rows = _rows(returns, _part("concerns", "records"))
    add_sheet(workbook, "Concerns", columns, rows)


def _referrals(record: dict[str, Any]) -> str:
    return "\n".join(
        f"{fmt.agency(r.get('agency'))}, {fmt.day(r.get('made_on'))}: "
        f"{fmt.outcome(r.get('outcome'))}"
        for r in as_list(record.get("referrals"))
    )


def _person(row: Row, key: str) -> str:
    return as_text(as_dict(row[1].get("person")).get(key))


# ---- helpers -----------------------------------------------------------------------------


def _rows(returns: Iterable[dict[str, Any]], items: Callable[[dict[str, Any]], Any]) -> list[Row]:
    return [(ret, item) for ret in returns for item in as_list(items(ret))]


def _part(section: str, key: str) -> Callable[[dict[str, Any]], Any]:
    """Reads ret[section][key], whatever is missing."""
    return lambda ret: as_dict(ret.get(section)).get(key)


def _index(columns: Sequence[Column[Row]], header: str) -> int:
    return next(number for number, c in enumerate(columns, start=1) if c.header == header)


def _cell_fill(value: Any) -> str | None:
    try:
        return FILL_HEX[CellStatus(str(value))]
    except ValueError:
        return None


def _fill(sheet: Any, column: int, colours: list[str | None]) -> None:
    for row_number, colour in enumerate(colours, start=2):
        if colour:
            fill = PatternFill("solid", start_color=colour, end_color=colour)
            sheet.cell(row=row_number, column=column).fill = fill
