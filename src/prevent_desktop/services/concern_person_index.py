"""The concern person index (store.concern_models.ConcernPersonIndex) for a lead's lists.

A lead's list names who each concern is about. Opening a concern sealed by staff to the
site's public key takes an X25519 agreement each; the index keeps the person re-encrypted
under the leads' content key, so a later session opens it with one AES-GCM decryption, and
does not read the concern's sealed details at all. Each entry is bound to its concern and to
the concern's clock stamp when it was made: a concern changed since (the stamp moves with
every change, here or by sync) no longer matches and is opened afresh. Only someone holding
the safeguarding key reads or writes it, and it never leaves this laptop.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from prevent_desktop.errors import KnownError
from prevent_desktop.services.concern_records import context
from prevent_desktop.services.concern_views import ListedPerson
from prevent_desktop.store.concern_models import Concern
from prevent_desktop.store.database import Database
from prevent_desktop.store.sealing import ContentCipher
from prevent_desktop.sync.record_writes import rows_by_id, table_of

logger = logging.getLogger(__name__)

# (concern id, its clock stamp when the list read it, who it is about as the list shows it)
Entry = tuple[str, str, ListedPerson]

# The rule an entry was made under: what ListedPerson keeps (PersonDetails.display and
# group_key). Bound into each entry's context, so a release that changes the rule finds
# every older entry no longer opens, and makes it again, instead of mixing two rules' keys.
RULE = "v1"

# Entries are padded to a multiple of this many bytes before they are encrypted: every
# user can open the database, and entries of different lengths would let anyone group the
# concerns about one person by the length alone.
PADDED_TO = 256


def _context(concern_id: str, stamp: str) -> str:
    return context("concern_person_index", concern_id, f"{RULE}:{stamp}")


def _padded(person: ListedPerson) -> bytes:
    text = json.dumps([person.shown, person.key], ensure_ascii=False).encode("utf-8")
    # Spaces after a JSON value are read as nothing.
    return text + b" " * (-len(text) % PADDED_TO)


def indexed_person(cipher: ContentCipher, row: Any) -> ListedPerson | None:
    """The person the index holds for `row` (a concern row of concern_records.concern_rows,
    which leaves out the sealed details where the entry was made at the row's stamp), or
    None: no entry, one made before the concern last changed, or one that does not open
    (damaged, made under an earlier rule, or under a key since replaced)."""
    sealed = getattr(row, "indexed_person", None)
    if sealed is None or row.details_sealed is not None:
        return None
    try:
        shown, key = json.loads(cipher.decrypt(sealed, _context(row.id, row.hlc)))
        if not isinstance(shown, str) or not isinstance(key, str):
            return None
        return ListedPerson(shown, key)
    except (KnownError, ValueError, TypeError):
        return None  # opened from the concern itself, and the entry made again


def save_entries(database: Database, cipher: ContentCipher, entries: Sequence[Entry]) -> None:
    """Keep `entries` in the index. A failure (a read-only or full disk) is logged and
    costs only speed: the list already has its people."""
    if not entries or not cipher.can_read:
        return
    # Encrypted before the write transaction, which then holds the write lock only to check
    # and insert (45,000 entries on the first list of a head-office laptop).
    sealed = [
        (concern_id, stamp, cipher.encrypt(_padded(person), _context(concern_id, stamp)))
        for concern_id, stamp, person in entries
    ]
    try:
        database.write_local_index(lambda connection: _write(connection, sealed))
    except KnownError as error:
        # The type, never the message: a message can name a user or a file (ui/logging_setup).
        logger.warning("The concern person index was not updated: %s", type(error).__name__)


def _write(connection: Connection, sealed: list[tuple[str, str, bytes]]) -> None:
    # Checked again inside the write transaction (which holds the write lock): a concern
    # changed in any way (its clock stamp moves with every change, here or by sync), erased
    # or deleted since the list read it gets no entry, so the index never names someone its
    # concern no longer does. Through the driver, as plain rows.
    ids = [concern_id for concern_id, *_rest in sealed]
    current = {
        concern_id: stamp
        for concern_id, stamp, deleted in rows_by_id(
            connection, table_of(Concern), ("id", "hlc", "deleted"), ids
        )
        if not deleted
    }
    still = [entry for entry in sealed if current.get(entry[0]) == entry[1]]
    if still:
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO concern_person_index "
            "(concern_id, concern_stamp, person_sealed) VALUES (?, ?, ?)",
            still,
        )
