"""Words and dates for the quarterly return's reports: what the PDF and the workbook print for
each value of a return (services/quarterly_return.py).

A return may come from another laptop, or from an older or newer version of the program, so
every lookup falls back to the value as written rather than failing on something unknown.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from prevent_desktop.domain.concern import (
    ConcernStatus,
    ImmediateRisk,
    ReferralAgency,
    ReferralOutcome,
)
from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.risk import ActionStatus, Rag, RiskStatus
from prevent_desktop.domain.training import CellStatus

Labelled = TypeVar("Labelled", bound=StrEnum)

POLICY_TEXT = {
    "statistics": "Statistics only: no concern records",
    "pseudonymised": "Concern records with each person pseudonymised (no names)",
    "full": "Concern records in full, names included",
}


def label(kind: type[StrEnum], value: Any) -> str:
    """The enum's label for `value`, or the value itself when it is not one of them."""
    try:
        member = kind(str(value))
    except ValueError:
        return str(value or "")
    return str(getattr(member, "label", member.value))


def risk_status(value: Any) -> str:
    return label(RiskStatus, value)


def action_status(value: Any) -> str:
    return label(ActionStatus, value)


def rag(value: Any) -> str:
    return label(Rag, value)


def concern_status(value: Any) -> str:
    return label(ConcernStatus, value)


def risk_level(value: Any) -> str:
    return label(ImmediateRisk, value)


def agency(value: Any) -> str:
    return label(ReferralAgency, value)


def outcome(value: Any) -> str:
    return label(ReferralOutcome, value)


def cell(value: Any) -> str:
    """A training cell: its symbol and word, readable without colour ("✗ Expired")."""
    try:
        status = CellStatus(str(value))
    except ValueError:
        return str(value or "")
    return f"{status.symbol} {status.label}"


def parse_day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo else moment


def day(value: Any) -> str:
    """An ISO date (or the date part of a moment) as dd/mm/yyyy; "" for none."""
    parsed = parse_day(value)
    return parsed.strftime("%d/%m/%Y") if parsed else ""


def moment(value: Any) -> str:
    """An ISO moment as dd/mm/yyyy HH:MM in this computer's time; "" for none."""
    parsed = parse_moment(value)
    return parsed.strftime("%d/%m/%Y %H:%M") if parsed else ""


def yes_no(value: Any) -> str:
    return "Yes" if value else "No"


def site_text(ret: dict[str, Any]) -> str:
    site = ret.get("site") or {}
    name, code = str(site.get("name", "")), str(site.get("code", ""))
    return f"{name} ({code})" if code else name


def quarter_label(ret: dict[str, Any]) -> str:
    text = str(ret.get("quarter", ""))
    try:
        return Quarter.parse(text).label
    except ValueError:
        return text


def period(ret: dict[str, Any]) -> str:
    return f"{day(ret.get('start'))} to {day(ret.get('end'))}"


def percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def compliance(figures: dict[str, Any]) -> str:
    """ "75% (58 of 77)", or "—" when nothing is required."""
    required = int(figures.get("required") or 0)
    if required == 0:
        return "—"
    return f"{percent(figures.get('percent'))} ({figures.get('valid', 0)} of {required})"


def policy(value: Any) -> str:
    return POLICY_TEXT.get(str(value), str(value or ""))
