"""Encrypted backups with sqlcipher_export, their rotation, and restoring one.

A backup is a complete SQLCipher database under the same key, plus a copy of the key file, so
the same passphrases and the same recovery key open it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from prevent_desktop.errors import KnownError, describe_os_error
from prevent_desktop.paths import backup_dir_for
from prevent_desktop.store.atomic import fsync_dir
from prevent_desktop.store.engine import raw_key_literal, translate_error
from prevent_desktop.store.keyslots import key_file_path

KEEP_AUTOMATIC_BACKUPS = 10
AUTOMATIC_PREFIX = "auto-"


def database_files(path: Path) -> list[Path]:
    """The database and the WAL and shared-memory files SQLite keeps beside it."""
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def export_to(engine: Engine, key: bytes, destination: Path) -> None:
    """Write a consistent encrypted copy to `destination` (which must not exist yet).

    The copy is made under a temporary name and renamed into place after fsync, so a crash or
    a full disk never leaves a half-written file under the real name.
    """
    destination = Path(destination).expanduser().resolve()
    if destination.exists():
        raise KnownError(f"{destination} already exists; choose another name.")
    temporary = destination.with_name(f".{destination.name}.partial")
    temporary.unlink(missing_ok=True)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        # A raw driver connection runs in autocommit (see engine.py), which ATTACH and DETACH
        # need: SQLite refuses to detach a database inside an open transaction.
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(
                "ATTACH DATABASE ? AS backup KEY ?", (str(temporary), raw_key_literal(key))
            )
            try:
                cursor.execute("SELECT sqlcipher_export('backup')")
            finally:
                cursor.execute("DETACH DATABASE backup")
        finally:
            connection.close()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        source_keys = key_file_path(_main_path(engine))
        if source_keys.exists():
            keys_temporary = key_file_path(temporary)
            shutil.copyfile(source_keys, keys_temporary)
            os.chmod(keys_temporary, 0o600)
            os.replace(keys_temporary, key_file_path(destination))
        os.replace(temporary, destination)
        fsync_dir(destination.parent)
    except OSError as error:
        _remove_partial(temporary)
        raise describe_os_error(error, destination, "writing the backup") from None
    except (SQLAlchemyError, DBAPIError, sqlcipher3.Error) as error:
        _remove_partial(temporary)
        raise translate_error(error, destination, key_trusted=True) from None


def _remove_partial(temporary: Path) -> None:
    for leftover in [*database_files(temporary), key_file_path(temporary)]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _main_path(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def make_automatic_backup(engine: Engine, database: Path, key: bytes, *, reason: str) -> Path:
    """A timestamped backup in the backups folder beside the database; old ones rotate out."""
    folder = backup_dir_for(database)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    destination = folder / f"{AUTOMATIC_PREFIX}{database.stem}-{stamp}-{reason}.db"
    export_to(engine, key, destination)
    rotate(folder, database.stem)
    return destination


def automatic_backups(folder: Path, stem: str) -> list[Path]:
    """Newest first."""
    if not folder.is_dir():
        return []
    found = sorted(folder.glob(f"{AUTOMATIC_PREFIX}{stem}-*.db"), reverse=True)
    return [path for path in found if path.is_file()]


def rotate(folder: Path, stem: str, keep: int = KEEP_AUTOMATIC_BACKUPS) -> None:
    for old in automatic_backups(folder, stem)[keep:]:
        old.unlink(missing_ok=True)
        key_file_path(old).unlink(missing_ok=True)


def install_backup(backup: Path, database: Path) -> Path | None:
    """Put a verified backup in place of `database`. The file it replaces is kept beside it
    (renamed with `.replaced-<time>`), so a restore never destroys anything. Returns that
    renamed file, if there was one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f".{database.name}.restoring")
    incoming_keys = key_file_path(incoming)
    kept: Path | None = None
    try:
        shutil.copyfile(backup, incoming)
        with incoming.open("rb+") as handle:
            os.fsync(handle.fileno())
        shutil.copyfile(key_file_path(backup), incoming_keys)
        os.chmod(incoming, 0o600)
        os.chmod(incoming_keys, 0o600)
        if database.exists():
            kept = database.with_name(f"{database.name}.replaced-{stamp}")
            os.replace(database, kept)
            if key_file_path(database).exists():
                os.replace(key_file_path(database), key_file_path(kept))
        # A WAL left from the old file would be replayed into the restored one: move it aside.
        for stale in database_files(database)[1:]:
            if stale.exists():
                os.replace(stale, stale.with_name(f"{stale.name}.replaced-{stamp}"))
        os.replace(incoming_keys, key_file_path(database))
        os.replace(incoming, database)
        fsync_dir(database.parent)
    except OSError as error:
        _remove_partial(incoming)
        raise describe_os_error(error, database, "restoring the backup") from None
    return kept
