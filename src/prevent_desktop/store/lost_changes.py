"""Noticing, on open, a database that has lost its latest commits.

SQLite in WAL mode keeps the newest commits in `<database>-wal` until a checkpoint copies them
into the file itself. Copy or restore the file without its WAL after a crash, or let a cleaning
tool delete the WAL, and those commits are gone without SQLite noticing: the file is still a
sound database, only an older one.

The key file remembers the audit chain's head after every commit (Database.writer), signed
with the database key. So a database whose own audit log ends *before* that head has lost
commits. (One that ends after it is fine: the head is refreshed after the commit, and a
failure in between leaves it behind.)
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, func, select

from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.store.audit import ChainHead, read_signed_head
from prevent_desktop.store.keyslots import KeyFile
from prevent_desktop.store.models import AuditEntry


def lost_changes(
    connection: Connection, key: bytes, key_file: KeyFile | None
) -> tuple[int, ChainHead] | None:
    """The database's last audit entry and the key file's head, if the head is ahead."""
    if key_file is None or not key_file.audit_head:
        return None
    head, problem = read_signed_head(key_file.audit_head, key)
    if head is None or problem:
        return None  # a tampered head is for `check` to report; it proves nothing about the WAL
    last = connection.execute(select(func.max(AuditEntry.seq))).scalar() or 0
    return (last, head) if last < head.seq else None


def check_for_lost_changes(
    connection: Connection, path: Path, key: bytes, key_file: KeyFile | None
) -> None:
    """Raise DamagedDatabase if the key file has seen commits the database no longer holds."""
    found = lost_changes(connection, key, key_file)
    if found is None:
        return
    last, head = found
    raise DamagedDatabase(
        f"{path.name} is missing its latest changes: its audit log ends at entry {last}, but "
        f"its key file records that entry {head.seq} was saved. The database was probably "
        f"copied or restored without its journal, {path.name}-wal, where the newest changes "
        "are kept until they are written into the file. If you have that file, put it back "
        "beside the database. Otherwise restore the latest backup, or, to go on with the "
        "database as it is (those changes are lost for good), a manager runs "
        f"`prevent-desktop accept-lost-changes --db {path}` (with their passphrase, or "
        "--recovery-key-file)."
    )
