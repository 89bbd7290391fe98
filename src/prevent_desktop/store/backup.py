"""Encrypted backups with sqlcipher_export, their rotation, and restoring one.

A backup is a complete SQLCipher database under the same key, plus a copy of the key file, so
the same passphrases and the same recovery key open it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from prevent_desktop.errors import (
    DatabaseClosed,
    KnownError,
    OperationCancelled,
    describe_os_error,
)
from prevent_desktop.paths import backup_dir_for
from prevent_desktop.store.atomic import fsync_dir
from prevent_desktop.store.engine import raw_key_literal, translate_error
from prevent_desktop.store.keyslots import DATABASE_KEY_BYTES, key_file_path

KEEP_AUTOMATIC_BACKUPS = 10
AUTOMATIC_PREFIX = "auto-"
# A daily backup is made when the newest automatic one is older than this (see backup_if_due).
DAILY_BACKUP_EVERY = timedelta(hours=20)
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def database_files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it: the WAL and shared memory, and the
    rollback journal a copy being written has (an ATTACHed database does not use WAL)."""
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def export_to(
    engine: Engine,
    key: bytes,
    destination: Path,
    should_cancel: Callable[[], bool] | None = None,
) -> None:
    """Write a consistent encrypted copy to `destination` (which must not exist yet).

    The copy is made under a temporary name and renamed into place after fsync, so a crash,
    a full disk or a cancel never leaves a half-written file under the real name.
    `should_cancel` is polled while SQLite works; when it says yes, OperationCancelled.
    """
    if len(key) != DATABASE_KEY_BYTES:
        # A database closed under a backup running beside the session (a lock) has given up
        # its key: b"" would make SQLCipher take "x''" as a passphrase, a copy anyone opens.
        raise DatabaseClosed("The database was closed; no backup was made.")
    destination = Path(destination).expanduser().resolve()
    if destination.exists():
        raise KnownError(f"{destination} already exists; choose another name.")
    temporary = destination.with_name(f".{destination.name}.partial")
    try:
        # Inside the try: on a read-only drive even removing a file that is not there fails
        # (EROFS), and that must be the clear message, not a crash.
        temporary.unlink(missing_ok=True)
        destination.parent.mkdir(parents=True, exist_ok=True)
        # The key file is copied before the data: the audit head it carries is then never
        # ahead of the copy's own log, which opening would take for lost changes (a write
        # committed meanwhile leaves the head behind instead, which is allowed).
        source_keys = key_file_path(_main_path(engine))
        keys_temporary = key_file_path(temporary)
        if source_keys.exists():
            shutil.copyfile(source_keys, keys_temporary)
            os.chmod(keys_temporary, 0o600)
        # A raw driver connection runs in autocommit (see engine.py), which ATTACH and DETACH
        # need: SQLite refuses to detach a database inside an open transaction.
        connection = engine.raw_connection()
        driver = connection.driver_connection
        assert driver is not None
        cancelled = False

        def poll() -> int:
            nonlocal cancelled
            cancelled = bool(should_cancel and should_cancel())
            return 1 if cancelled else 0  # non-zero makes SQLite interrupt the statement

        try:
            if should_cancel is not None:
                if should_cancel():  # cancelled while waiting in the worker's queue
                    raise OperationCancelled("Backup cancelled; nothing was written.")
                driver.set_progress_handler(poll, 1000)
            cursor = connection.cursor()
            cursor.execute(
                "ATTACH DATABASE ? AS backup KEY ?", (str(temporary), raw_key_literal(key))
            )
            try:
                cursor.execute("SELECT sqlcipher_export('backup')")
            finally:
                cursor.execute("DETACH DATABASE backup")
        except sqlcipher3.OperationalError:
            if not cancelled:
                raise
            driver.set_progress_handler(None, 0)
            with contextlib.suppress(sqlcipher3.Error):
                connection.cursor().execute("DETACH DATABASE backup")
            _remove_partial(temporary)
            raise OperationCancelled("Backup cancelled; nothing was written.") from None
        finally:
            if should_cancel is not None:
                driver.set_progress_handler(None, 0)
            # Closed, not returned to the pool: when a lock has disposed of the pool meanwhile,
            # a connection returned to it would keep the key open until a garbage collection.
            connection.invalidate()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        if keys_temporary.exists():
            with keys_temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(keys_temporary, key_file_path(destination))
        os.replace(temporary, destination)
        fsync_dir(destination.parent)
    except OSError as error:
        _remove_partial(temporary)
        raise describe_os_error(error, destination, "writing the backup") from None
    except (SQLAlchemyError, DBAPIError, sqlcipher3.Error) as error:
        _remove_partial(temporary)
        raise translate_error(error, destination, key_trusted=True) from None
    except BaseException:  # cancelled (before or during), or interrupted: nothing left behind
        _remove_partial(temporary)
        raise


def _remove_partial(temporary: Path) -> None:
    for leftover in [*database_files(temporary), key_file_path(temporary)]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _main_path(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def make_automatic_backup(
    engine: Engine,
    database: Path,
    key: bytes,
    *,
    reason: str,
    should_cancel: Callable[[], bool] | None = None,
) -> Path:
    """A timestamped backup in the backups folder beside the database; old ones rotate out."""
    folder = backup_dir_for(database)
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    destination = folder / f"{AUTOMATIC_PREFIX}{database.stem}-{stamp}-{reason}.db"
    export_to(engine, key, destination, should_cancel)
    rotate(folder, database.stem)
    return destination


def backup_if_due(
    engine: Engine,
    database: Path,
    key: bytes,
    *,
    should_cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> Path | None:
    """The daily automatic backup, if the newest one is older than DAILY_BACKUP_EVERY (or
    there is none). Made only of a database whose every page was just found sound
    (ui/background_page_check.py): rotating damaged copies in would push the good ones out."""
    newest = automatic_backups(backup_dir_for(database), database.stem)
    made = made_at(newest[0]) if newest else None
    moment = now or datetime.now(UTC)
    # A backup stamped in the future (the clock once ran ahead) does not count as recent:
    # otherwise no daily backup would be made until that date came.
    if made is not None and timedelta(0) <= moment - made < DAILY_BACKUP_EVERY:
        return None
    return make_automatic_backup(engine, database, key, reason="daily", should_cancel=should_cancel)


def automatic_backup_pattern(stem: str) -> re.Pattern[str]:
    return re.compile(
        rf"{re.escape(AUTOMATIC_PREFIX)}{re.escape(stem)}-(\d{{8}}T\d{{12}}Z)-[a-z-]+\.db"
    )


def automatic_backups(folder: Path, stem: str) -> list[Path]:
    """This database's automatic backups, newest first. The pattern is anchored on the stem
    and the timestamp, so that "prevent" never claims the backups of "prevent-old"."""
    if not folder.is_dir():
        return []
    pattern = automatic_backup_pattern(stem)
    stamped = [
        (match.group(1), path)
        for path in folder.iterdir()
        if (match := pattern.fullmatch(path.name)) and path.is_file()
    ]
    return [path for _stamp, path in sorted(stamped, reverse=True)]


def made_at(backup: Path) -> datetime | None:
    """When an automatic backup was made, from its name (UTC); None if the name does not
    say (not an automatic backup's name, or a stamp that is no real time)."""
    match = re.search(r"-(\d{8}T\d{12}Z)-[a-z-]+\.db$", backup.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def latest_automatic_backup(database: Path) -> Path | None:
    """The newest automatic backup of `database` that has its key file beside it (without
    it the backup cannot be opened by passphrase), or None."""
    try:
        candidates = automatic_backups(backup_dir_for(database), database.stem)
    except OSError:
        return None
    return next((path for path in candidates if key_file_path(path).is_file()), None)


def rotate(folder: Path, stem: str, keep: int = KEEP_AUTOMATIC_BACKUPS) -> None:
    for old in automatic_backups(folder, stem)[keep:]:
        old.unlink(missing_ok=True)
        key_file_path(old).unlink(missing_ok=True)


def stage_backup(backup: Path, database: Path) -> Path:
    """Copy a backup and its key file beside `database` under a temporary name, so that it
    is verified where it will live, and the (possibly read-only) original is never written."""
    staged = database.with_name(f".{database.name}.restoring")
    _remove_partial(staged)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup, staged)
        shutil.copyfile(key_file_path(backup), key_file_path(staged))
        for path in (staged, key_file_path(staged)):
            os.chmod(path, 0o600)
            with path.open("rb+") as handle:
                os.fsync(handle.fileno())
    except FileNotFoundError as error:
        _remove_partial(staged)
        raise KnownError(
            f"Cannot restore: {error.filename} is missing. A backup needs its .keys file beside it."
        ) from None
    except OSError as error:
        _remove_partial(staged)
        raise describe_os_error(error, database, "copying the backup") from None
    return staged


def discard_staged(staged: Path) -> None:
    _remove_partial(staged)


def install_staged(staged: Path, database: Path) -> Path | None:
    """Swap a verified staged backup in for `database`. The file it replaces is kept beside
    it (renamed `.replaced-<time>`, with its WAL and key file), so a restore destroys nothing.
    Returns that renamed file, if there was one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kept: Path | None = None
    try:
        for leftover in database_files(staged)[1:]:
            leftover.unlink(missing_ok=True)  # the verified copy was checkpointed on close
        if database.exists() or key_file_path(database).exists():
            kept = database.with_name(f"{database.name}.replaced-{stamp}")
            # The old WAL belongs with the old file: replayed into the restored one it would
            # corrupt it, and without it the kept copy would lack its last commits.
            for old, new in zip(database_files(database), database_files(kept), strict=True):
                if old.exists():
                    os.replace(old, new)
            if key_file_path(database).exists():
                os.replace(key_file_path(database), key_file_path(kept))
        os.replace(key_file_path(staged), key_file_path(database))
        os.replace(staged, database)
        fsync_dir(database.parent)
    except OSError as error:
        raise describe_os_error(error, database, "restoring the backup") from None
    return kept
