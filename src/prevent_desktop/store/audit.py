"""The audit log's hash chain: each entry's hash covers its content and the previous hash.

Editing, inserting, deleting or reordering entries breaks the chain. Cutting entries off the end
does not, so the chain head (sequence number and hash) is also kept in the key file, with an
HMAC under a key derived from the database key so that it cannot be rewritten without it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

GENESIS_HASH = "0" * 64
# One encoder for every hash (json.dumps with options builds a new one per call: seconds over a
# head-office import's half a million entries). Same output as json.dumps with these options.
_CHAIN_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    seq: int,
    entry_id: str,
    origin_site: str,
    at: datetime,
    user_id: str | None,
    user_login: str,
    action: str,
    record_type: str,
    record_id: str,
    changes: str,
    prev_hash: str,
) -> str:
    body = _CHAIN_JSON.encode(
        [
            seq,
            entry_id,
            origin_site,
            at.isoformat(),
            user_id,
            user_login,
            action,
            record_type,
            record_id,
            changes,
            prev_hash,
        ]
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def row_hash(row: Mapping[str, Any], at: datetime) -> str:
    """entry_hash of an audit entry held as a mapping of its columns (as a bundle carries
    it), with its moment already read."""
    return entry_hash(
        seq=row["seq"],
        entry_id=row["id"],
        origin_site=row["origin_site"],
        at=at,
        user_id=row["user_id"],
        user_login=row["user_login"],
        action=row["action"],
        record_type=row["record_type"],
        record_id=row["record_id"],
        changes=row["changes"],
        prev_hash=row["prev_hash"],
    )


@dataclass(frozen=True)
class ChainEntry:
    seq: int
    entry_id: str
    origin_site: str
    at: datetime
    user_id: str | None
    user_login: str
    action: str
    record_type: str
    record_id: str
    changes: str
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        return entry_hash(
            seq=self.seq,
            entry_id=self.entry_id,
            origin_site=self.origin_site,
            at=self.at,
            user_id=self.user_id,
            user_login=self.user_login,
            action=self.action,
            record_type=self.record_type,
            record_id=self.record_id,
            changes=self.changes,
            prev_hash=self.prev_hash,
        )


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


# How verify_chain ends the finding of a log that stops short of the key file's head: cut off
# on purpose, or its journal lost (store/lost_changes.py; services/restore.accept_lost_changes).
CUT_OFF_END = "entries were cut off the end"


def verify_chain(entries: Iterable[ChainEntry], head: ChainHead | None) -> list[str]:
    """Problems found walking the chain in order; an empty list means it is intact."""
    problems: list[str] = []
    previous_hash = GENESIS_HASH
    expected_seq = 1
    seen_head = head is None or head.seq == 0
    last_seq = 0
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(
                f"audit entry {expected_seq} is missing or out of order (found {entry.seq})"
            )
        if entry.prev_hash != previous_hash:
            problems.append(f"audit entry {entry.seq} does not follow the entry before it")
        if entry.expected_hash() != entry.hash:
            problems.append(f"audit entry {entry.seq} was altered after it was written")
        if head is not None and entry.seq == head.seq:
            seen_head = True
            if entry.hash != head.hash:
                problems.append(
                    f"audit entry {entry.seq} differs from the chain head kept in the key file"
                )
        previous_hash = entry.hash
        expected_seq = entry.seq + 1
        last_seq = entry.seq
    if not seen_head and head is not None:
        problems.append(
            f"the audit log ends at entry {last_seq} but the key file records entry {head.seq}: "
            f"{CUT_OFF_END}"
        )
    return problems


def _head_mac_key(database_key: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"prevent-desktop audit head"
    ).derive(database_key)


def sign_head(head: ChainHead, database_key: bytes) -> dict[str, Any]:
    message = f"{head.seq}:{head.hash}".encode()
    mac = hmac.new(_head_mac_key(database_key), message, hashlib.sha256).hexdigest()
    return {"seq": head.seq, "hash": head.hash, "mac": mac}


def read_signed_head(
    data: dict[str, Any] | None, database_key: bytes
) -> tuple[ChainHead | None, str]:
    """The head kept in the key file, and a problem description when its MAC does not verify."""
    if not data:
        return None, ""
    try:
        head = ChainHead(int(data["seq"]), str(data["hash"]))
        expected = sign_head(head, database_key)["mac"]
        if not hmac.compare_digest(expected, str(data["mac"])):
            return None, "the audit chain head in the key file has been tampered with"
        return head, ""
    except (KeyError, TypeError, ValueError):
        return None, "the audit chain head in the key file is damaged"
