"""What happened when, for the quarterly return, read from the audit log.

The register and the plans keep only their current state (plus the risks' reviews); the audit
log (this laptop's chain and the chains of the site's other laptops, which arrive with sync
bundles) is the one place that says when each record changed. Nothing here is shown to anyone:
it only decides flags and dates in the return.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prevent_desktop.store.models import AuditEntry
from prevent_desktop.store.sync_models import RemoteAuditEntry

_AUDIT_TABLES: tuple[type[AuditEntry] | type[RemoteAuditEntry], ...] = (
    AuditEntry,
    RemoteAuditEntry,
)


def day_start(day: date) -> datetime:
    """The first moment of `day` in UTC: days of the quarter are UTC days, as the concern
    statistics count them."""
    return datetime.combine(day, time.min, UTC)


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def changed_between(
    session: Session, record_types: Iterable[str], low: datetime, high: datetime
) -> set[tuple[str, str]]:
    """(record type, record id) of every record of these types created, changed or deleted
    at a moment in [low, high), on any laptop of the site."""
    types = list(record_types)
    found: set[tuple[str, str]] = set()
    for table in _AUDIT_TABLES:
        rows = session.execute(
            select(table.record_type, table.record_id).where(
                table.record_type.in_(types), table.at >= low, table.at < high
            )
        )
        found.update((record_type, record_id) for record_type, record_id in rows)
    return found


def review_dates(session: Session, record_type: str, column: str) -> dict[str, set[date]]:
    """Every date a record's `column` (a date, such as a plan's last_reviewed_on) was ever
    set to, by record id: the record's review history, which its row no longer holds."""
    found: dict[str, set[date]] = {}
    for table in _AUDIT_TABLES:
        rows = session.execute(
            select(table.record_id, table.changes).where(
                table.record_type == record_type, table.changes.contains(f'"{column}"')
            )
        )
        for record_id, changes in rows:
            value = _new_value(changes, column)
            if value is not None:
                found.setdefault(record_id, set()).add(value)
    return found


def _new_value(changes: str, column: str) -> date | None:
    """The value an audit entry set `column` to: a create lists values, an update lists
    [before, after] pairs."""
    try:
        data: Any = json.loads(changes)
    except ValueError:
        return None
    value = data.get(column) if isinstance(data, dict) else None
    if isinstance(value, list) and len(value) == 2:
        value = value[1]
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
