"""Session hooks: stamp every change with the clock and append it to the audit chain.

Services never set ids, stamps or audit entries themselves; a flush does it for them, so no
write path can forget. Each session carries a Tracking object in `session.info`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from prevent_desktop.store.audit import GENESIS_HASH, entry_hash
from prevent_desktop.store.models import AuditEntry, MetaEntry, SyncedRecord, new_id, utc_now
from prevent_desktop.sync.hlc import HybridLogicalClock

HLC_META_KEY = "hlc_last"
_BOOKKEEPING = frozenset({"hlc", "updated_at", "created_at", "origin_site", "id", "versions"})


@dataclass
class Tracking:
    """Who is writing, and the clock and site their changes are stamped with."""

    clock: HybridLogicalClock
    site_id: str
    user_id: str | None
    user_login: str
    # A bundle being applied: its records carry their own stamps, versions and audit entries.
    importing: bool = False


def bump_version(versions: str, device: str) -> str:
    """The version vector after one more change on `device`."""
    vector: dict[str, int] = json.loads(versions or "{}")
    vector[device] = vector.get(device, 0) + 1
    return json.dumps(vector, sort_keys=True, separators=(",", ":"))


def attach(session: Session, tracking: Tracking) -> Session:
    session.info["tracking"] = tracking
    return session


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _values(record: SyncedRecord) -> dict[str, Any]:
    state = inspect(record)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in _BOOKKEEPING:
            continue
        value = getattr(record, name)
        out[name] = "(recorded)" if name in record.audit_redacted else _plain(value)
    return out


def _changes(record: SyncedRecord) -> dict[str, Any]:
    state = inspect(record)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in _BOOKKEEPING:
            continue
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        if name in record.audit_redacted:
            out[name] = "(changed)"
        else:
            out[name] = [_plain(before), _plain(after)]
    return out


def _natural_or_new_id(session: Session, record: SyncedRecord, given: set[str]) -> str:
    natural = record.natural_id()
    if natural is None:
        return new_id()
    if not record.natural_id_strict:
        if natural in given:
            return new_id()  # two of the same name in one write: the service allowed it
        with session.no_autoflush:
            if session.get(type(record), natural) is not None:
                return new_id()  # a renamed or deleted record kept that id
    given.add(natural)
    return natural


@event.listens_for(Session, "before_flush")
def _stamp_and_audit(session: Session, _context: Any, _instances: Any) -> None:
    tracking: Tracking | None = session.info.get("tracking")
    if tracking is None or tracking.importing:
        return
    now = utc_now()
    pending: list[tuple[str, SyncedRecord, dict[str, Any]]] = []
    last_stamp = None
    given_ids: set[str] = set()

    for obj in list(session.new):
        if isinstance(obj, SyncedRecord):
            if obj.id is None:
                obj.id = _natural_or_new_id(session, obj, given_ids)
            obj.origin_site = obj.origin_site or tracking.site_id
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            last_stamp = tracking.clock.now()
            obj.hlc = last_stamp.encode()
            obj.versions = bump_version("{}", tracking.clock.device)
            pending.append(("create", obj, _values(obj)))

    for obj in list(session.dirty):
        if isinstance(obj, SyncedRecord) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            if not changes:
                continue
            action = "update"
            if "deleted" in changes:
                action = "delete" if obj.deleted else "restore"
            obj.updated_at = now
            last_stamp = tracking.clock.now()
            obj.hlc = last_stamp.encode()
            obj.versions = bump_version(obj.versions, tracking.clock.device)
            pending.append((action, obj, changes))

    for obj in list(session.deleted):
        if isinstance(obj, SyncedRecord):
            pending.append(("purge", obj, {}))

    if last_stamp is not None:
        session.merge(MetaEntry(key=HLC_META_KEY, value=last_stamp.encode()))
    if pending:
        append_audit(session, tracking, now, pending)


class Audited(Protocol):
    """What an audit entry names: a record, or an event such as an imported bundle."""

    @property
    def record_type(self) -> str: ...

    @property
    def id(self) -> str: ...


def append_audit(
    session: Session,
    tracking: Tracking,
    now: datetime,
    pending: Sequence[tuple[str, Audited, dict[str, Any]]],
) -> None:
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (row[0], row[1]) if row else (0, GENESIS_HASH)
    # Entries added earlier in this flush cycle are not in the table yet.
    for obj in session.new:
        if isinstance(obj, AuditEntry) and obj.seq > seq:
            seq, prev_hash = obj.seq, obj.hash
    for action, record, changes in pending:
        seq += 1
        entry_id = new_id()
        changes_text = json.dumps(changes, sort_keys=True, ensure_ascii=False, default=str)
        digest = entry_hash(
            seq=seq,
            entry_id=entry_id,
            origin_site=tracking.site_id,
            at=now,
            user_id=tracking.user_id,
            user_login=tracking.user_login,
            action=action,
            record_type=record.record_type,
            record_id=record.id,
            changes=changes_text,
            prev_hash=prev_hash,
        )
        session.add(
            AuditEntry(
                seq=seq,
                id=entry_id,
                origin_site=tracking.site_id,
                at=now,
                user_id=tracking.user_id,
                user_login=tracking.user_login,
                action=action,
                record_type=record.record_type,
                record_id=record.id,
                changes=changes_text,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        prev_hash = digest
