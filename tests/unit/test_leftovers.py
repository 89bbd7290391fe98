"""Temporary files a crash leaves behind are swept when the database is next opened for use
(store/leftovers.py); the crash harness (tests/crash) makes real ones by killing processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from prevent_desktop.paths import backup_dir_for
from prevent_desktop.store.database import Database
from prevent_desktop.store.leftovers import STALE_AFTER_S, leftovers
from tests.conftest import PASSPHRASE


def _make(path: Path, *, age_s: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"encrypted, half written")
    moment = time.time() - age_s
    os.utime(path, (moment, moment))
    return path


def test_stale_temporary_files_are_swept_on_open_and_nothing_else(created_db: Path) -> None:
    folder, backups = created_db.parent, backup_dir_for(created_db)
    stale = STALE_AFTER_S + 60
    old = [
        _make(folder / ".prevent.db.keys.k2j3h4.tmp", age_s=stale),
        _make(folder / ".prevent.db.attempts.x8y7.tmp", age_s=stale),
        _make(folder / ".prevent.db.restoring", age_s=stale),
        _make(folder / ".prevent.db.restoring.keys", age_s=stale),
        _make(backups / ".auto-prevent-20261126T120000123456Z-daily.db.partial", age_s=stale),
        _make(backups / ".auto-prevent-20261126T120000123456Z-daily.db.partial.keys", age_s=stale),
        _make(backups / "auto-prevent-20261126T130000123456Z-daily.db.keys", age_s=stale),
    ]
    kept = [
        _make(backups / "auto-prevent-20261126T140000123456Z-daily.db", age_s=stale),
        _make(backups / "auto-prevent-20261126T140000123456Z-daily.db.keys", age_s=stale),
    ]
    fresh = _make(folder / ".prevent.db.keys.a1b2.tmp", age_s=5)  # maybe being written now
    others = [
        _make(folder / ".other.db.keys.k2j3h4.tmp", age_s=stale),  # another database's
        _make(folder / "notes.tmp", age_s=stale),
        _make(backups / ".auto-prevent-old-20261126T120000123456Z-daily.db.partial", age_s=stale),
    ]
    assert set(old) | {fresh} == set(leftovers(created_db))

    database, _user, _kek = Database.unlock(created_db, "sam", PASSPHRASE)
    database.close()
    assert not any(path.exists() for path in old)
    assert fresh.exists() and all(path.exists() for path in others + kept)


def test_checking_a_database_sweeps_nothing(created_db: Path) -> None:
    """`check` and the verifying of a backup open without `migrate`: they change nothing."""
    left = _make(created_db.parent / ".prevent.db.keys.k2j3h4.tmp", age_s=STALE_AFTER_S + 60)
    database, _user, _kek = Database.unlock(created_db, "sam", PASSPHRASE, migrate=False)
    database.close()
    assert left.exists()
