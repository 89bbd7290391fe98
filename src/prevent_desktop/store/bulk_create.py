"""Creating many new records at once, stamped and audited exactly as the session hook would.

For generated data only (the medium and large demos). An ORM object per row, with its audit
entry as another object, costs several times what writing the row does, and a head-office
sized demo holds some 650,000 rows. `add_created` stamps each row as
`tracking._stamp_and_audit` stamps a new object (id, origin site, created and updated times,
clock stamp, version vector), inserts the rows with one executemany, and appends their
"create" entries to the audit chain as `tracking.append_audit` would, inserted as rows too.
A test writes the same records both ways and compares the rows and audit entries.

Only plain creates: no updates, and no record types with natural ids (a setting, course, role
or user: those are few and go through their services).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, inspect, select
from sqlalchemy.orm import Session

from prevent_desktop.store.audit import GENESIS_HASH, entry_hash
from prevent_desktop.store.models import AuditEntry, MetaEntry, SyncedRecord, new_id, utc_now

# The hook's own rules for what is stamped rather than audited, and how values are written
# into an audit entry: shared, not copied, so that the two cannot drift apart.
from prevent_desktop.store.tracking import (
    _BOOKKEEPING,
    HLC_META_KEY,
    Tracking,
    _plain,
    bump_version,
)


@dataclass(frozen=True)
class _Created:
    record_type: str
    id: str


def add_created(
    session: Session,
    model: type[SyncedRecord],
    rows: Sequence[dict[str, Any]],
    *,
    user: tuple[str | None, str] | None = None,
) -> None:
    """Insert `rows` (column values by name, the same keys in every row) as new `model`
    records in the session's write transaction (Database.writer). The rows are stamped in
    place. `user` (id, login): whom the audit entries name, when not the session's user (a
    demo concern is logged by its reporter, in the lead's transaction)."""
    tracking: Tracking | None = session.info.get("tracking")
    if tracking is None or tracking.importing:
        raise ValueError("add_created needs a writer session (Database.writer)")
    if model.natural_id is not SyncedRecord.natural_id:
        raise ValueError(f"{model.__name__} has natural ids: create it through its service")
    if not rows:
        return
    if user is not None:
        tracking = replace(tracking, user_id=user[0], user_login=user[1])
    columns = {attr.key for attr in inspect(model).column_attrs}
    unknown = set(rows[0]) - columns
    if unknown:
        raise ValueError(f"{model.__name__} has no column(s) {', '.join(sorted(unknown))}")
    audited = sorted(columns - _BOOKKEEPING)
    session.flush()  # objects added before come first, in the table as in the chain
    now = utc_now()
    pending: list[tuple[str, _Created, dict[str, Any]]] = []
    versions = bump_version("{}", tracking.clock.device)  # a new record's, the same for all
    for row in rows:
        # As the hook stamps a new object. Values not given are None in the audit entry (an
        # object's unset attribute) and take their column default in the row.
        row["id"] = row.get("id") or new_id()
        row["origin_site"] = row.get("origin_site") or tracking.site_id
        row["created_at"] = row.get("created_at") or now
        row["updated_at"] = now
        row["hlc"] = tracking.clock.now().encode()
        row["versions"] = versions
        changes = {
            name: "(recorded)" if name in model.audit_redacted else _plain(row.get(name))
            for name in audited
        }
        pending.append(("create", _Created(model.record_type, row["id"]), changes))
    table: Table = model.__table__  # type: ignore[attr-defined]
    session.execute(insert(table), list(rows))
    session.merge(MetaEntry(key=HLC_META_KEY, value=rows[-1]["hlc"]))
    _append_audit_rows(session, tracking, now, pending)


def _append_audit_rows(
    session: Session,
    tracking: Tracking,
    now: datetime,
    pending: list[tuple[str, _Created, dict[str, Any]]],
) -> None:
    """The entries `tracking.append_audit` adds as objects, inserted as rows: the same
    fields, the same hash chain."""
    session.flush()
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS_HASH)
    entries = []
    for action, record, changes in pending:
        seq += 1
        entry: dict[str, Any] = {
            "seq": seq,
            "id": new_id(),
            "origin_site": tracking.site_id,
            "at": now,
            "user_id": tracking.user_id,
            "user_login": tracking.user_login,
            "action": action,
            "record_type": record.record_type,
            "record_id": record.id,
            "changes": json.dumps(changes, sort_keys=True, ensure_ascii=False, default=str),
            "prev_hash": prev_hash,
        }
        prev_hash = entry["hash"] = entry_hash(
            seq=seq,
            entry_id=entry["id"],
            origin_site=entry["origin_site"],
            at=now,
            user_id=entry["user_id"],
            user_login=entry["user_login"],
            action=action,
            record_type=record.record_type,
            record_id=record.id,
            changes=entry["changes"],
            prev_hash=entry["prev_hash"],
        )
        entries.append(entry)
    audit_table: Table = AuditEntry.__table__  # type: ignore[assignment]
    session.execute(insert(audit_table), entries)
