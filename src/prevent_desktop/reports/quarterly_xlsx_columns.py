"""The columns of the quarterly return workbook's sheets: each row is (the return, one item
of it), so every sheet can start with the return's site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.reports.spreadsheet import Column

Row: TypeAlias = tuple[dict[str, Any], dict[str, Any]]  # (the return, one item of it)


def site(width: float = 30) -> Column[Row]:
    return Column("Site", width, lambda row: fmt.site_text(row[0]))


def text(header: str, width: float, key: str, *, wrap: bool = False) -> Column[Row]:
    return Column(header, width, lambda row: as_text(row[1].get(key)), wrap=wrap)


def number(header: str, key: str, width: float = 11) -> Column[Row]:
    return Column(header, width, lambda row: as_int(row[1].get(key)))


def day(header: str, key: str, width: float = 12) -> Column[Row]:
    return Column(header, width, lambda row: fmt.parse_day(row[1].get(key)))


def flag(header: str, key: str, width: float = 10) -> Column[Row]:
    return Column(header, width, lambda row: fmt.yes_no(row[1].get(key)))


def words(header: str, width: float, key: str, label: Callable[[Any], str]) -> Column[Row]:
    return Column(header, width, lambda row: label(row[1].get(key)))


SUMMARY: list[Column[Row]] = [
    site(),
    Column("Quarter", 26, lambda row: fmt.quarter_label(row[0])),
    Column("Start", 12, lambda row: fmt.parse_day(row[0].get("start"))),
    Column("End", 12, lambda row: fmt.parse_day(row[0].get("end"))),
    Column("Deadlines judged on", 12, lambda row: fmt.parse_day(row[0].get("as_of"))),
    Column("Made at", 17, lambda row: fmt.moment(row[0].get("made_at"))),
    Column("Made by", 20, lambda row: as_text(row[0].get("made_by"))),
    text("Threat level", 13, "threat_level"),
    Column("Concerns sent", 30, lambda row: fmt.policy(row[0].get("concern_policy")), wrap=True),
    number("Training required", "training_required"),
    number("Training in date", "training_valid"),
    number("Training compliance %", "training_percent"),
    number("Risks not closed", "risks"),
    number("Red risks", "red_risks"),
    number("Risk reviews overdue", "risk_reviews_overdue"),
    number("Actions overdue", "actions_overdue"),
    number("Plans overdue for review", "plans_review_overdue"),
    number("Drills", "drills"),
    number("Real incidents", "incidents"),
    number("Concerns recorded", "concerns_opened"),
    number("Concerns closed", "concerns_closed"),
    number("Concerns open at end", "open_concerns"),
    number("Referrals made", "referrals"),
]

RISKS: list[Column[Row]] = [
    site(),
    text("Reference", 11, "reference"),
    text("Risk", 50, "title", wrap=True),
    text("Area", 24, "area", wrap=True),
    text("Category", 24, "category", wrap=True),
    text("Owner", 20, "owner"),
    words("Status", 12, "status", fmt.risk_status),
    number("Inherent score", "inherent_score"),
    number("Residual score", "residual_score"),
    words("RAG", 9, "rag", fmt.rag),
    day("Next review", "next_review_on"),
    flag("Review overdue", "review_overdue"),
    Column("Objectives", 12, lambda row: ", ".join(map(str, row[1].get("objectives") or []))),
    Column("Actions", 9, lambda row: len(as_list(row[1].get("actions")))),
    Column(
        "Actions overdue",
        10,
        lambda row: sum(1 for a in as_list(row[1].get("actions")) if a.get("overdue")),
    ),
    Column("Reviews in quarter", 10, lambda row: len(as_list(row[1].get("reviews_in_quarter")))),
    flag("Changed in quarter", "changed_in_quarter"),
]

ACTIONS: list[Column[Row]] = [
    site(),
    Column("Risk reference", 11, lambda row: as_text(row[1]["risk"].get("reference"))),
    Column("Risk", 40, lambda row: as_text(row[1]["risk"].get("title")), wrap=True),
    text("Action", 50, "description", wrap=True),
    text("Owner", 20, "owner"),
    day("Due", "due_on"),
    words("Status", 13, "status", fmt.action_status),
    flag("Overdue", "overdue"),
]

COURSES: list[Column[Row]] = [
    site(),
    text("Course", 36, "course", wrap=True),
    number("Required", "required"),
    number("In date", "valid"),
    number("Due soon", "due_soon"),
    number("Expired", "expired"),
    number("Missing", "missing"),
    number("Compliance %", "percent", 13),
]

ROLES: list[Column[Row]] = [
    site(),
    text("Job role", 30, "role"),
    number("Required", "required"),
    number("In date", "valid"),
    number("Compliance %", "percent", 13),
]

PLANS: list[Column[Row]] = [
    site(),
    text("Plan", 44, "title", wrap=True),
    Column("Kind", 10, lambda row: "Drilled" if row[1].get("kind") == "drilled" else "Response"),
    day("Last reviewed", "last_reviewed_on"),
    day("Next review", "next_review_on"),
    flag("Review overdue", "review_overdue"),
    Column(
        "Reviewed in quarter",
        14,
        lambda row: ", ".join(fmt.day(d) for d in row[1].get("reviews_in_quarter") or []),
    ),
    number("Drill every (months)", "drill_every_months"),
    day("Last drill", "last_drill_on"),
    day("Next drill", "next_drill_on"),
    flag("Drill overdue", "drill_overdue"),
]

DRILLS: list[Column[Row]] = [
    site(),
    text("Plan", 44, "plan", wrap=True),
    Column("Drill or incident", 14, lambda row: "Drill" if row[1].get("is_drill") else "Incident"),
    day("Started", "started_at"),
    Column("Time", 8, lambda row: fmt.moment(row[1].get("started_at"))[-5:]),
    day("Closed", "closed_at"),
    text("Outcome", 60, "outcome", wrap=True),
]

COUNTS: list[Column[Row]] = [
    site(),
    text("Section", 34, "section"),
    text("Item", 40, "item", wrap=True),
    number("Count", "count"),
]

STATISTICS_SECTIONS = (
    ("Recorded in the quarter by type", "by_type"),
    ("Recorded in the quarter by status", "by_status"),
    ("Recorded in the quarter by risk level", "by_risk_level"),
    ("Referral outcomes of those concerns", "by_outcome"),
    ("Recorded by month", "by_month"),
    ("Open at the end by type", "open_by_type"),
    ("Open at the end by status", "open_by_status"),
)


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
