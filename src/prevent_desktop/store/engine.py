"""The SQLCipher engine: one encrypted file opened with a raw 256-bit key.

A raw key (`PRAGMA key = "x'…'"`) skips SQLCipher's own key derivation on every connection:
the slow, passphrase-hardening step happens once, in the key slot.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from prevent_desktop.errors import (
    DamagedDatabase,
    DatabaseLocked,
    KnownError,
    ReadOnlyLocation,
    StorageFull,
    WrongKey,
)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 4096
# Decrypted pages kept per connection. The GUI holds a few pooled connections (the UI thread,
# the worker, the writer), and each fills its cache on a head-office read: at 32 MiB that was
# a fifth of the window's resident memory (issue 9, target 7), while 8 MiB still holds the
# hot indexes. The large reads are kept by the services themselves (Database.cached_read).
CACHE_KIB = 8 * 1024


def raw_key_literal(key: bytes) -> str:
    return f"x'{key.hex()}'"


def build_engine(path: Path, key: bytes) -> Engine:
    url = URL.create("sqlite+pysqlcipher", password=raw_key_literal(key), database=str(path))
    # hide_parameters: record values never end up in exception messages, logs or bug reports.
    # A small pool rather than the dialect's one-connection-per-thread default: a read made
    # while another session is open (nested services) then gets a connection of its own
    # instead of trying to BEGIN inside the other session's transaction.
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 5.0},
        hide_parameters=True,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how transactions start (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # SQLCipher reports HMAC failures on stderr itself; we report them in words.
            cursor.execute("PRAGMA cipher_log_level = NONE")
            cursor.execute("PRAGMA foreign_keys = ON")
            # Temporary tables and sort spills stay in memory: SQLCipher does not encrypt them.
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cursor.execute("PRAGMA busy_timeout = 5000")
            # WAL lets the UI read while a write commits; FULL sync because a lost record about
            # a young person at risk costs more than a few milliseconds per commit.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the write lock up front, so the audit chain head they read cannot
        # change under them; readers start deferred and do not block one another.
        mode = "IMMEDIATE" if connection.get_execution_options().get("writer") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def precheck_file(path: Path) -> None:
    """Refuse, before SQLCipher sees it, a file that cannot be one of our databases."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DamagedDatabase(f"{path} is a folder, not a database file.")
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_PLAIN_HEADER))
    except FileNotFoundError:
        raise DamagedDatabase(
            f"There is no database at {path}. Check the path, or create one with the setup "
            "wizard or `prevent-desktop init`."
        ) from None
    except PermissionError:
        raise ReadOnlyLocation(
            f"You do not have permission to read {path}. Ask whoever set up this computer."
        ) from None
    if size == 0:
        raise DamagedDatabase(
            f"{path} is empty (0 bytes): it was cut short. Restore the latest backup."
        )
    if header == SQLITE_PLAIN_HEADER:
        raise DamagedDatabase(
            f"{path} is an unencrypted SQLite file, not a Prevent Desktop database. "
            "Nothing was changed."
        )
    if size % PAGE_SIZE:
        raise DamagedDatabase(
            f"{path} is damaged: its size ({size} bytes) is not a whole number of pages, so it "
            "was probably cut short while copying. Restore the latest backup."
        )


def translate_error(error: BaseException, path: Path, *, key_trusted: bool) -> KnownError:
    """Map a driver error to the typed error the user sees."""
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is locked by another program (perhaps another Prevent Desktop, or a backup "
            "tool). Close it and try again."
        )
    if "readonly" in text or "read-only" in text or "attempt to write a readonly" in text:
        return ReadOnlyLocation(
            f"{path} is on a read-only disk or folder. Copy it somewhere writable first."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return StorageFull(f"The disk holding {path} is full. Free some space and try again.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        if key_trusted:
            return DamagedDatabase(
                f"{path} is damaged and cannot be read (its pages fail their integrity check), "
                "or its key file belongs to a different database. Restore the latest backup."
            )
        return WrongKey(
            f"{path} cannot be opened with that key: the key is wrong, or the file is damaged."
        )
    if isinstance(original, OSError) and original.errno == errno.ENOSPC:
        return StorageFull(f"The disk holding {path} is full. Free some space and try again.")
    if isinstance(original, sqlcipher3.OperationalError) and "unable to open" in text:
        writable = os.access(path.parent, os.W_OK)
        if not writable:
            return ReadOnlyLocation(
                f"Cannot open {path}: its folder is read-only or you lack permission."
            )
        return DamagedDatabase(f"Cannot open {path}: {original}.")
    return KnownError(f"Unexpected database error on {path}: {original}")
