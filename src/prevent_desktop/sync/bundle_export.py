"""Writing a sync bundle: every synced record and every audit entry this laptop holds.

Rows are read in one read transaction (a consistent snapshot) and streamed into the bundle in
chunks, so memory does not grow with the database. A chunk's large binary values (sealed
attachments, certificates) go just before it as members of their own.

Rows are read with SQLAlchemy Core (no ORM object per row) in the order this laptop stored
them (rowid): a table scan rather than a walk of the random-id index, and an order in which a
record that refers to another of its table (a correction of a chronology entry) comes after
it, on every laptop, since each stores a bundle's rows in the order they came. That matters
to the importer: SQLite checks deferred foreign keys by scanning the child table for each
parent row inserted while any reference is still pending, so rows in random-id order made a
first import into an empty laptop quadratic in the size of the chronology.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from prevent_desktop.errors import OperationCancelled
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import AuditEntry, Site, utc_now
from prevent_desktop.store.sync_models import BundleRecord, RemoteAuditEntry
from prevent_desktop.sync import device as device_meta
from prevent_desktop.sync.bundle_file import write_bundle
from prevent_desktop.sync.device import DeviceKeys
from prevent_desktop.sync.record_codec import (
    RecordType,
    blob_name,
    encode_row,
    record_types,
)

BUNDLE_KIND = "sync"
AUDIT_TYPE = "audit_entry"
CHUNK_ROWS = 2000
CHUNK_BLOB_BYTES = 32 * 1024 * 1024
AUDIT_COLUMNS = (
    "id",
    "device_id",
    "seq",
    "origin_site",
    "at",
    "user_id",
    "user_login",
    "action",
    "record_type",
    "record_id",
    "changes",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sequence: int
    bundle_sha256: str
    counts: dict[str, int]


@dataclass
class _Chunker:
    """Groups JSON lines into members, each preceded by the blobs its rows refer to."""

    kind: str
    number: int = 0
    lines: list[bytes] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    blob_bytes: int = 0
    sent_blobs: set[str] = field(default_factory=set)

    def add_blob(self, data: bytes) -> str | None:
        digest = blob_name(data)
        if digest in self.sent_blobs:
            return None  # an earlier chunk sent it and readers drop blobs after each chunk
        if digest not in self.blobs:
            self.blobs[digest] = data
            self.blob_bytes += len(data)
        return digest

    def full(self) -> bool:
        return len(self.lines) >= CHUNK_ROWS or self.blob_bytes >= CHUNK_BLOB_BYTES

    def flush(self) -> Iterator[tuple[str, bytes]]:
        if not self.lines:
            return
        for digest, data in self.blobs.items():
            yield f"blobs/{digest}", data
        self.sent_blobs.update(self.blobs)
        self.number += 1
        yield f"records/{self.kind}/{self.number:06d}.jsonl.gz", b"".join(self.lines)
        self.lines, self.blobs, self.blob_bytes = [], {}, 0


# One encoder for every line: json.dumps with options builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# In the order this laptop stored them (see the module's docstring).
_STORED_ORDER: ColumnClause[Any] = literal_column("rowid")


def _line(record: dict[str, Any]) -> bytes:
    return (_JSON.encode(record) + "\n").encode()


def _record_members(session: Session, kind: RecordType) -> Iterator[tuple[str, bytes]]:
    chunker = _Chunker(kind.name)
    result = session.execute(
        select(kind.table).order_by(_STORED_ORDER), execution_options={"yield_per": 500}
    )
    for row in result.mappings():
        chunker.lines.append(_line(encode_row(kind, row, chunker.add_blob)))
        if chunker.full():
            yield from chunker.flush()
    yield from chunker.flush()


def _audit_members(session: Session, device_id: str) -> Iterator[tuple[str, bytes]]:
    chunker = _Chunker(AUDIT_TYPE)
    local = AuditEntry.__table__.c
    remote = RemoteAuditEntry.__table__.c
    own_names = [name for name in AUDIT_COLUMNS if name != "device_id"]
    own = select(*(local[name] for name in own_names)).order_by(local.seq)
    for row in session.execute(own, execution_options={"yield_per": 1000}):
        chunker.lines.append(_line(audit_json(dict(zip(own_names, row, strict=True)), device_id)))
        if chunker.full():
            yield from chunker.flush()
    others = select(*(remote[name] for name in AUDIT_COLUMNS))
    others = others.order_by(remote.device_id, remote.seq)
    for row in session.execute(others, execution_options={"yield_per": 1000}):
        values = dict(zip(AUDIT_COLUMNS, row, strict=True))
        chunker.lines.append(_line(audit_json(values, values["device_id"])))
        if chunker.full():
            yield from chunker.flush()
    yield from chunker.flush()


def audit_json(entry: Mapping[str, Any], device_id: str) -> dict[str, Any]:
    """An audit entry (a row of audit_entry or remote_audit_entry) as its bundle line."""
    values = {name: entry.get(name) for name in AUDIT_COLUMNS}
    values["device_id"] = device_id
    at = values["at"]
    values["at"] = at.isoformat() if isinstance(at, datetime) else at
    return values


def record_counts(session: Session) -> dict[str, int]:
    counts = {
        kind.name: session.scalar(select(func.count()).select_from(kind.table)) or 0
        for kind in record_types()
    }
    counts[AUDIT_TYPE] = (session.scalar(select(func.count()).select_from(AuditEntry)) or 0) + (
        session.scalar(select(func.count()).select_from(RemoteAuditEntry)) or 0
    )
    return counts


def _check_cancel(should_cancel: Callable[[], bool] | None) -> None:
    if should_cancel is not None and should_cancel():
        raise OperationCancelled("Cancelled: no bundle was written.")


def envelope(session: Session, database: Database, keys: DeviceKeys, kind: str) -> dict[str, Any]:
    """The manifest fields every bundle from this laptop carries: what it is, where from, and
    its place in this laptop's numbered series (the next number; kept once written)."""
    site = session.get(Site, database.site_id)
    return {
        "kind": kind,
        "origin": {
            **keys.card.as_json(),
            "site_name": site.name if site else "",
            "site_code": site.code if site else "",
        },
        "created_at": utc_now().isoformat(timespec="seconds"),
        "sequence": int(device_meta.meta_value(session, device_meta.SEQUENCE_META_KEY) or 0) + 1,
        "previous_bundle_sha256": device_meta.meta_value(session, device_meta.LAST_BUNDLE_META_KEY)
        or "",
    }


def record_export(
    database: Database, *, login: str, sequence: int, digest: str, counts: dict[str, int]
) -> None:
    """After the file is safely written: the series moves on and the export is logged."""
    with database.writer(user_id=None, login=login) as session:
        session.info["tracking"].importing = True  # bookkeeping only: nothing to stamp
        device_meta.set_meta(session, device_meta.SEQUENCE_META_KEY, str(sequence))
        device_meta.set_meta(session, device_meta.LAST_BUNDLE_META_KEY, digest)
        session.add(
            BundleRecord(
                direction="export",
                bundle_sha256=digest,
                device_id=database.device_id,
                sequence=sequence,
                at=utc_now(),
                by_login=login,
                summary=json.dumps(counts, sort_keys=True),
            )
        )


def export_bundle(
    database: Database,
    destination: Path,
    *,
    recipients: list[str] | None = None,
    passphrase: str | None = None,
    login: str,
    addressed_to: list[str] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write a full sync bundle to `destination`, for `recipients` (age public keys) or a
    passphrase. The sequence number moves on only once the file is safely written.
    `should_cancel` is asked between members: yes stops with OperationCancelled, no file."""
    keys = device_meta.keys_for(database, login=login)
    with database.reader() as session:
        head = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        counts = record_counts(session)
        manifest: dict[str, Any] = {
            **envelope(session, database, keys, BUNDLE_KIND),
            "addressed_to": addressed_to or [],
            "scope": "full",
            "counts": counts,
            "audit_head": {"seq": head[0], "hash": head[1]} if head else {"seq": 0, "hash": ""},
        }

        def members() -> Iterator[tuple[str, bytes]]:
            for kind in record_types():
                for member in _record_members(session, kind):
                    _check_cancel(should_cancel)
                    yield member
            yield from _audit_members(session, database.device_id)

        digest = write_bundle(
            destination,
            manifest,
            members(),
            signer=keys.signing,
            recipients=recipients or (),
            passphrase=passphrase,
        )
    sequence = int(manifest["sequence"])
    record_export(database, login=login, sequence=sequence, digest=digest, counts=counts)
    return ExportResult(destination, sequence, digest, counts)
