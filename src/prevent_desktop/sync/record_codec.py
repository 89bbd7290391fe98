"""Synced records to and from the JSON lines that bundles carry, column by column.

Encoding reads rows with SQLAlchemy Core (no ORM objects: a bundle may hold hundreds of
thousands of rows). Decoding checks every value against its column before anything is
written: an unknown or missing column, a wrong type, an over-long text or a malformed id,
clock stamp or version vector refuses the bundle, whoever signed it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, LargeBinary, String, Table, Text

from prevent_desktop.store.models import SyncedRecord, UtcDateTime, synced_models
from prevent_desktop.sync.hlc import HlcStamp

# Bytes up to this size travel inside the JSON line; larger ones as their own bundle member.
INLINE_BYTES = 4096
MAX_TEXT_CHARS = 1_000_000


class RecordError(ValueError):
    """A record in a bundle that does not fit its table."""


@dataclass(frozen=True)
class RecordType:
    name: str  # the record_type, also the bundle member folder
    model: type[SyncedRecord]

    @property
    def table(self) -> Table:
        table = self.model.__table__  # type: ignore[attr-defined]
        assert isinstance(table, Table)
        return table

    @property
    def columns(self) -> list[Column[Any]]:
        return list(self.table.columns)


def record_types() -> list[RecordType]:
    """Every synced record type, parents before children (the order rows are applied in)."""
    by_table = {model.__tablename__: model for model in synced_models()}  # type: ignore[attr-defined]
    from prevent_desktop.store.models import Base

    ordered = [t.name for t in Base.metadata.sorted_tables if t.name in by_table]
    return [RecordType(by_table[name].record_type, by_table[name]) for name in ordered]


def record_type_named(name: str) -> RecordType | None:
    return next((kind for kind in record_types() if kind.name == name), None)


# ---- encoding ----------------------------------------------------------------------------


def encode_row(
    kind: RecordType, row: dict[str, Any], add_blob: Callable[[bytes], str | None]
) -> dict[str, Any]:
    """A row as a JSON-able dict. `add_blob` stores a large value as a member and returns its
    name's hash, or None when it could not (then the value is inlined)."""
    out: dict[str, Any] = {}
    for column in kind.columns:
        value = row[column.name]
        if value is None:
            out[column.name] = None
        elif isinstance(column.type, LargeBinary):
            data = bytes(value)
            digest = add_blob(data) if len(data) > INLINE_BYTES else None
            out[column.name] = (
                {"$blob": digest}
                if digest is not None
                else {"$b64": base64.b64encode(data).decode("ascii")}
            )
        elif isinstance(value, datetime | date):
            out[column.name] = value.isoformat()
        else:
            out[column.name] = value
    return out


def blob_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- decoding ----------------------------------------------------------------------------


def decode_record(kind: RecordType, data: Any, blobs: dict[str, bytes]) -> dict[str, Any]:
    """A JSON record checked against its table and turned into column values."""
    if not isinstance(data, dict):
        raise RecordError(f"a {kind.name} record is not a JSON object")
    expected = {column.name for column in kind.columns}
    unknown = set(data) - expected
    if unknown:
        raise RecordError(f"a {kind.name} record has unknown field {sorted(unknown)[0]!r:.60}")
    missing = expected - set(data)
    if missing:
        raise RecordError(f"a {kind.name} record lacks field {sorted(missing)[0]!r}")
    values = {
        column.name: _decode_value(kind, column, data[column.name], blobs)
        for column in kind.columns
    }
    _check_bookkeeping(kind, values)
    return values


def _decode_value(
    kind: RecordType, column: Column[Any], value: Any, blobs: dict[str, bytes]
) -> Any:
    where = f"{kind.name}.{column.name}"
    if value is None:
        if not column.nullable:
            raise RecordError(f"{where} is empty but is required")
        return None
    column_type = column.type
    try:
        if isinstance(column_type, LargeBinary):
            return _decode_bytes(where, value, blobs)
        if isinstance(column_type, Boolean):
            if not isinstance(value, bool):
                raise RecordError(f"{where} is not true or false")
            return value
        if isinstance(column_type, Integer):
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**62:
                raise RecordError(f"{where} is not a whole number")
            return value
        if isinstance(column_type, UtcDateTime):
            parsed = datetime.fromisoformat(_text(where, value, 40))
            if parsed.tzinfo is None:
                raise RecordError(f"{where} has no time zone")
            return parsed
        if isinstance(column_type, Date):
            return date.fromisoformat(_text(where, value, 10))
        if isinstance(column_type, String | Text):
            limit = getattr(column_type, "length", None) or MAX_TEXT_CHARS
            return _text(where, value, limit)
    except ValueError as error:
        if isinstance(error, RecordError):
            raise
        raise RecordError(f"{where} is not valid ({error})") from None
    raise RecordError(f"{where} has a type this version cannot read")


def _text(where: str, value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise RecordError(f"{where} is not text")
    if len(value) > limit:
        raise RecordError(f"{where} is longer than {limit} characters")
    return value


def _decode_bytes(where: str, value: Any, blobs: dict[str, bytes]) -> bytes:
    if isinstance(value, dict) and set(value) == {"$b64"} and isinstance(value["$b64"], str):
        try:
            return base64.b64decode(value["$b64"], validate=True)
        except ValueError:
            raise RecordError(f"{where} is not valid base64") from None
    if isinstance(value, dict) and set(value) == {"$blob"} and isinstance(value["$blob"], str):
        data = blobs.get(value["$blob"])
        if data is None:
            raise RecordError(f"{where} refers to a file missing from the bundle")
        return data
    raise RecordError(f"{where} is not binary data")


def _check_bookkeeping(kind: RecordType, values: dict[str, Any]) -> None:
    try:
        uuid.UUID(values["id"])
        HlcStamp.decode(values["hlc"])
    except ValueError:
        raise RecordError(f"a {kind.name} record has a malformed id or clock stamp") from None
    parse_versions(values["versions"], f"{kind.name}.versions")


def parse_versions(text: str, where: str = "versions") -> dict[str, int]:
    try:
        vector = json.loads(text or "{}")
    except ValueError:
        raise RecordError(f"{where} is not a version vector") from None
    if not isinstance(vector, dict) or not all(
        isinstance(device, str)
        and len(device) <= 64
        and isinstance(count, int)
        and not isinstance(count, bool)
        and 0 <= count < 2**62
        for device, count in vector.items()
    ):
        raise RecordError(f"{where} is not a version vector")
    if len(vector) > 1000:
        raise RecordError(f"{where} names too many devices")
    return vector
