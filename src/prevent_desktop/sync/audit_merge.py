"""Audit entries from a bundle: a union, each laptop's hash chain kept as it was written.

Every entry is checked against its own hash. Only the signer's own entries are taken: entries
it passes on for a third laptop carry no proof they are that laptop's, and a forged one could
later block that laptop's genuine entry; each laptop's own bundles bring its entries. A taken
entry must follow the one before it in the signer's chain, and must not take a place this
laptop already holds (a fork).

A large site's bundle carries hundreds of thousands of entries, so a bundle member's entries
are checked together: the signer's chain around them is read once, in one range of its
(device, seq) index, and followed in memory, and the new entries go in one executemany.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prevent_desktop.store.audit import GENESIS_HASH, row_hash
from prevent_desktop.store.models import AuditEntry
from prevent_desktop.store.sync_models import RemoteAuditEntry
from prevent_desktop.sync.bundle_export import AUDIT_COLUMNS
from prevent_desktop.sync.bundle_messages import BundleError, not_imported
from prevent_desktop.sync.record_writes import insert_many, rows_by_id, table_of

_FIELDS = frozenset(AUDIT_COLUMNS)
MAX_SEQ = 2**62  # as record_codec's whole numbers: well inside SQLite's integers
_TEXTS = tuple(name for name in AUDIT_COLUMNS if name not in ("seq", "user_id"))


def merge_audit_entries(
    session: Session, rows: list[Any], *, signer: str, this_device: str
) -> tuple[int, int]:
    """Check one member's entries (JSON objects) and keep the signer's new ones; returns how
    many were added and how many were left as they were. BundleError if one is wrong."""
    entries = [audit_values(row) for row in rows]
    candidates = [e for e in entries if e["device_id"] != this_device and e["device_id"] == signer]
    held, held_ids = _held_chain(session, signer, candidates)
    # An entry is known if this laptop holds its id anywhere: those in the signer's chain
    # here were found by the read above, the others are looked up by id.
    unsure = [entry["id"] for entry in candidates if entry["id"] not in held_ids]
    known = held_ids | _ids_held(session, unsure)
    taking = [entry for entry in candidates if entry["id"] not in known]
    taken: list[dict[str, Any]] = []
    taken_ids: set[str] = set()
    for entry in taking:
        _check_link(entry, held)
        if entry["seq"] in held:
            raise _bad(
                "its audit log has forked from what this laptop already holds from it "
                "(the other laptop was restored from an old backup or copied); make it a "
                "new laptop by restoring with this version, then pair it again"
            )
        held[entry["seq"]] = entry["hash"]
        taken.append(entry)
        if entry["id"] in taken_ids:
            break  # the same entry twice: the insert below refuses it, as it always did
        taken_ids.add(entry["id"])
    if taken:
        insert_many(session.connection(), table_of(RemoteAuditEntry), AUDIT_COLUMNS, taken)
    return len(taken), len(entries) - len(taken)


def _held_chain(
    session: Session, signer: str, entries: list[dict[str, Any]]
) -> tuple[dict[int, str], set[str]]:
    """The signer's chain as this laptop holds it around `entries`: hash by seq, and ids."""
    if not entries:
        return {}, set()
    seqs = [entry["seq"] for entry in entries]
    low, high = min(seqs) - 1, max(seqs)
    columns = select(RemoteAuditEntry.seq, RemoteAuditEntry.hash, RemoteAuditEntry.id)
    query = columns.where(RemoteAuditEntry.device_id == signer)
    if high - low <= 4 * len(entries):  # a member's entries follow one another
        query = query.where(RemoteAuditEntry.seq.between(low, high))
    else:  # scattered (no writer does that): only the places that matter
        query = query.where(RemoteAuditEntry.seq.in_({*seqs, *(seq - 1 for seq in seqs)}))
    held: dict[int, str] = {}
    ids: set[str] = set()
    for seq, digest, entry_id in session.execute(query):
        held[seq] = digest
        ids.add(entry_id)
    return held, ids


def _ids_held(session: Session, ids: list[str]) -> set[str]:
    """Which of `ids` this laptop holds, as its own entries or another laptop's."""
    if not ids:
        return set()
    return {
        entry_id
        for model in (RemoteAuditEntry, AuditEntry)
        for (entry_id,) in rows_by_id(session.connection(), table_of(model), ("id",), ids)
    }


def _check_link(entry: dict[str, Any], held: dict[int, str]) -> None:
    """Each laptop's entries must still chain: an entry edited on the way is refused.
    `held`: the hashes of the signer's entries this laptop holds, by seq."""
    expected = GENESIS_HASH if entry["seq"] == 1 else held.get(entry["seq"] - 1)
    if expected is not None and entry["prev_hash"] != expected:
        raise _bad("its audit entries do not chain: the log was changed on the way")


def audit_values(row: Any) -> dict[str, Any]:
    """A bundle's audit entry checked field by field and against its hash, as column values."""
    if not isinstance(row, dict) or row.keys() != _FIELDS:
        raise _bad("an audit entry has the wrong fields")
    try:
        at = datetime.fromisoformat(row["at"])
        for name in _TEXTS:
            value = row[name]
            if not isinstance(value, str) or len(value) > 100_000:
                raise ValueError
        # An upper bound too: found by the hostile-bundle corpus, a signed entry numbered 2**63
        # passed every check and crashed the import with OverflowError as SQLite stored it.
        seq = row["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
            raise ValueError
        if row["user_id"] is not None and not isinstance(row["user_id"], str):
            raise ValueError
        if at.tzinfo is None:
            raise ValueError
    except (ValueError, TypeError):
        raise _bad("an audit entry is malformed") from None
    if row_hash(row, at) != row["hash"]:
        raise _bad("an audit entry does not match its hash: the log was changed on the way")
    return {**row, "at": at}


def _bad(reason: str) -> BundleError:
    return BundleError(not_imported(reason))
