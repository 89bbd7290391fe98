"""How the concern dialogs write dates, times, sizes and people: UK style, local time.

The service stores aware UTC timestamps; a lead reads them as the clock on the wall showed
them, so every moment is converted to local time before it is written out.
"""

from __future__ import annotations

from datetime import date, datetime

from prevent_desktop.domain.concern import ImmediateRisk
from prevent_desktop.services.concern_views import PersonDetails

DATE_FORMAT = "%d/%m/%Y"
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"
NOT_SET = "—"


def when(moment: datetime | None) -> str:
    """An aware timestamp as local dd/mm/yyyy HH:mm."""
    return moment.astimezone().strftime(DATE_TIME_FORMAT) if moment is not None else NOT_SET


def day(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value is not None else NOT_SET


def size(byte_count: int) -> str:
    if byte_count < 1024:
        return f"{byte_count} bytes"
    if byte_count < 1024 * 1024:
        return f"{byte_count / 1024:.0f} KB"
    return f"{byte_count / 1_048_576:.1f} MB"


def risk_text(risk: ImmediateRisk) -> str:
    # The sign makes the two levels that need action now stand out without relying on colour.
    if risk in (ImmediateRisk.HIGH, ImmediateRisk.IMMEDIATE_DANGER):
        return f"⚠ {risk.label}"
    return risk.label


def person_rows(person: PersonDetails) -> list[tuple[str, str]]:
    """The person's fields as (label, value), the empty ones left out except the kind."""
    rows = [("Who", person.kind.label)]
    for label, value in (
        ("Name", person.name),
        ("Learner reference", person.learner_reference),
        ("Date of birth", day(person.date_of_birth) if person.date_of_birth else ""),
        ("Employer or workplace", person.employer),
        ("Programme", person.programme),
        ("Stage", person.stage),
        ("Description", person.description),
    ):
        if value.strip():
            rows.append((label, value))
    return rows
