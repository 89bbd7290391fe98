"""Synced records to and from the JSON lines that bundles carry, column by column.

Encoding reads rows with SQLAlchemy Core (no ORM objects: a bundle may hold hundreds of
thousands of rows). Decoding checks every value against its column before anything is
written: an unknown or missing column, a wrong type, an over-long text or a malformed id,
clock stamp or version vector refuses the bundle, whoever signed it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
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
    kind: RecordType, row: Mapping[Any, Any], add_blob: Callable[[bytes], str | None]
) -> dict[str, Any]:
    """A row as a JSON-able dict. `add_blob` stores a large value as a member and returns its
    name's hash, or None when it could not (then the value is inlined)."""
    out: dict[str, Any] = {}
    for name, binary in _encoding_plan(kind):
        value = row[name]
        if value is None:
            out[name] = None
        elif binary:
            data = bytes(value)
            digest = add_blob(data) if len(data) > INLINE_BYTES else None
            out[name] = (
                {"$blob": digest}
                if digest is not None
                else {"$b64": base64.b64encode(data).decode("ascii")}
            )
        elif isinstance(value, datetime | date):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


@functools.cache
def _encoding_plan(kind: RecordType) -> tuple[tuple[str, bool], ...]:
    """Each column's name and whether it holds bytes: worked out once per type, not per row
    (an export encodes every row of the database)."""
    return tuple((column.name, isinstance(column.type, LargeBinary)) for column in kind.columns)


def blob_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- decoding ----------------------------------------------------------------------------

_JSON = json.JSONDecoder()


def json_lines(text: str) -> list[Any]:
    """The values of a member's JSON lines, each read as `json.loads` reads it (ValueError if
    one is not JSON). Lines end at newlines only: the writer leaves U+2028, U+2029 and U+0085
    unescaped inside strings, and `str.splitlines` would cut a record in two at them."""
    values: list[Any] = []
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        if stop > start:
            # Read in place, without copying the line out (half the cost of json.loads on
            # a million lines); a line not read exactly to its end (spaces around the value,
            # or not JSON) goes to json.loads, for the same value or the same error.
            try:
                value, after = _JSON.raw_decode(text, start)
            except ValueError:
                after = -1
            if after != stop:
                value = json.loads(text[start:stop])
            values.append(value)
        start = stop + 1
    return values


def decode_record(kind: RecordType, data: Any, blobs: dict[str, bytes]) -> dict[str, Any]:
    """A JSON record checked against its table and turned into column values."""
    if not isinstance(data, dict):
        raise RecordError(f"a {kind.name} record is not a JSON object")
    expected, plan = _decoding_plan(kind)
    if data.keys() != expected:
        unknown = set(data) - expected
        if unknown:
            raise RecordError(f"a {kind.name} record has unknown field {sorted(unknown)[0]!r:.60}")
        missing = expected - set(data)
        raise RecordError(f"a {kind.name} record lacks field {sorted(missing)[0]!r}")
    values: dict[str, Any] = {}
    for name, where, nullable, limit, decode in plan:
        value = data[name]
        if value is None:
            if not nullable:
                raise RecordError(f"{where} is empty but is required")
            values[name] = None
            continue
        if type(value) is str and len(value) <= limit:
            values[name] = value  # a text column's value as it is (most values are)
            continue
        try:
            values[name] = decode(where, value, blobs)
        except ValueError as error:
            if isinstance(error, RecordError):
                raise
            raise RecordError(f"{where} is not valid ({error})") from None
    _check_bookkeeping(kind, values)
    return values


# A column's decoder: (where, value, blobs) -> the column value, or RecordError/ValueError.
_Decoder = Callable[[str, Any, dict[str, bytes]], Any]


@functools.cache
def _decoding_plan(
    kind: RecordType,
) -> tuple[frozenset[str], tuple[tuple[str, str, bool, int, _Decoder], ...]]:
    """The column names a record must have, and each column's name, place for messages,
    nullability, longest text taken as it is (-1: not a text column) and decoder: chosen once
    per type, not per value (an import decodes every value of the database)."""
    plan = tuple(
        (
            column.name,
            f"{kind.name}.{column.name}",
            bool(column.nullable),
            _text_limit(column),
            _decoder_for(column),
        )
        for column in kind.columns
    )
    return frozenset(name for name, *_rest in plan), plan


def _text_limit(column: Column[Any]) -> int:
    column_type = column.type
    if isinstance(column_type, LargeBinary | Boolean | Integer | UtcDateTime | Date):
        return -1  # as _decoder_for: these are decoded, whatever else they are
    if isinstance(column_type, String | Text):
        return getattr(column_type, "length", None) or MAX_TEXT_CHARS
    return -1


def _decoder_for(column: Column[Any]) -> _Decoder:
    column_type = column.type
    # In this order: a type may be a subclass of a later one.
    if isinstance(column_type, LargeBinary):
        return _decode_bytes
    if isinstance(column_type, Boolean):
        return _decode_boolean
    if isinstance(column_type, Integer):
        return _decode_integer
    if isinstance(column_type, UtcDateTime):
        return _decode_utc
    if isinstance(column_type, Date):
        return _decode_date
    if isinstance(column_type, String | Text):
        limit = _text_limit(column)
        return lambda where, value, _blobs: _text(where, value, limit)
    return _decode_unreadable


def _decode_boolean(where: str, value: Any, _blobs: dict[str, bytes]) -> bool:
    if not isinstance(value, bool):
        raise RecordError(f"{where} is not true or false")
    return value


def _decode_integer(where: str, value: Any, _blobs: dict[str, bytes]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**62:
        raise RecordError(f"{where} is not a whole number")
    return value


def _decode_utc(where: str, value: Any, _blobs: dict[str, bytes]) -> datetime:
    parsed = datetime.fromisoformat(_text(where, value, 40))
    if parsed.tzinfo is None:
        raise RecordError(f"{where} has no time zone")
    return parsed


def _decode_date(where: str, value: Any, _blobs: dict[str, bytes]) -> date:
    return date.fromisoformat(_text(where, value, 10))


def _decode_unreadable(where: str, _value: Any, _blobs: dict[str, bytes]) -> Any:
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


# The form every id this app makes has (str of a UUID): checked by one match, a seventh of
# uuid.UUID's cost over the million records of a large import. Any other form goes to
# uuid.UUID, which decides as before.
_CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _check_bookkeeping(kind: RecordType, values: dict[str, Any]) -> None:
    try:
        if _CANONICAL_ID.fullmatch(values["id"]) is None:
            uuid.UUID(values["id"])
        HlcStamp.decode(values["hlc"])
    except ValueError:
        raise RecordError(f"a {kind.name} record has a malformed id or clock stamp") from None
    parse_versions(values["versions"], f"{kind.name}.versions")


def parse_versions(text: str, where: str = "versions") -> dict[str, int]:
    # A copy: the parsed vector is kept for the next record with the same text (most
    # records of a laptop share a handful of vectors), and callers may change theirs.
    return dict(_parsed_versions(text or "{}", where))


@functools.lru_cache(maxsize=4096)
def _parsed_versions(text: str, where: str) -> dict[str, int]:
    try:
        vector = json.loads(text)
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
