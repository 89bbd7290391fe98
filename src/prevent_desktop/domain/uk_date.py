"""Dates as people in the UK write them: dd/mm/yyyy, everywhere the user reads one."""

from __future__ import annotations

from datetime import date, datetime

DATE_FORMAT = "%d/%m/%Y"
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"


def uk_date(value: date | None, empty: str = "") -> str:
    return empty if value is None else value.strftime(DATE_FORMAT)


def uk_date_time(value: datetime | None, empty: str = "") -> str:
    """In local time: an aware moment is shown as the laptop's clock showed it."""
    if value is None:
        return empty
    return (value.astimezone() if value.tzinfo else value).strftime(DATE_TIME_FORMAT)
