"""The encrypted store on real SQLCipher files: nothing readable at rest, and every failure
clear and harmless."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import (
    DamagedDatabase,
    DatabaseClosed,
    DatabaseLocked,
    UnknownUser,
    WrongKey,
    WrongPassphrase,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import raw_key_literal
from prevent_desktop.store.keyslots import KeyFile, key_file_path, parse_recovery_key
from tests.conftest import PASSPHRASE


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_file_has_no_sqlite_header_and_no_plaintext(workspace: Workspace, data_dir: Path) -> None:
    path = workspace.database.path
    assert not path.read_bytes().startswith(b"SQLite format 3")
    # Names and the site are in the database, the WAL and the key file: none in clear.
    everything = _all_bytes(data_dir)
    for secret in (b"Sam Patel", b"Dana Okafor", b"Tom Reed", b"Leeds Training Centre"):
        assert secret not in everything
    assert b"Leeds" not in path.read_bytes()


def test_database_settings_after_open(workspace: Workspace) -> None:
    with workspace.database.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA temp_store").scalar() == 2  # memory: no plaintext temp files
        assert pragma("PRAGMA cache_size").scalar() < -1000  # KiB, sized for speed
        assert str(pragma("PRAGMA cipher_version").scalar()).startswith("4.")


def test_wrong_passphrase_fails_cleanly(created_db: Path) -> None:
    before = created_db.read_bytes()
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        Database.unlock(created_db, "sam", "not the passphrase")
    assert created_db.read_bytes() == before


def test_unknown_user_fails_cleanly(created_db: Path) -> None:
    with pytest.raises(UnknownUser):
        Database.unlock(created_db, "nobody", PASSPHRASE)


def test_wrong_raw_key_fails_cleanly(created_db: Path) -> None:
    before = created_db.read_bytes()
    with pytest.raises(WrongKey):
        Database.open_with_key(created_db, b"\x01" * 32)
    assert created_db.read_bytes() == before


def test_recovery_key_opens_with_plain_sqlcipher(workspace: Workspace) -> None:
    recovery = workspace.recovery_key(PASSPHRASE)
    assert len(recovery) == 79 and recovery.count("-") == 15
    path = workspace.database.path
    workspace.close()
    connection = sqlcipher3.connect(str(path))
    try:
        hexkey = recovery.replace("-", "")
        connection.execute(f"PRAGMA key = \"x'{hexkey}'\"")
        names = [row[0] for row in connection.execute("SELECT display_name FROM app_user")]
    finally:
        connection.close()
    assert sorted(names) == ["Dana Okafor", "Sam Patel", "Tom Reed"]


def test_recovery_key_opens_without_key_file(workspace: Workspace) -> None:
    key = parse_recovery_key(workspace.database.recovery_key())
    path = workspace.database.path
    workspace.close()
    key_file_path(path).rename(path.with_name("moved.keys"))
    database = Database.open_with_key(path, key)
    try:
        assert database.counts()["user"] == 3
    finally:
        database.close()


def test_missing_key_file_is_explained(created_db: Path) -> None:
    key_file_path(created_db).unlink()
    with pytest.raises(DamagedDatabase, match=r"key file .* is missing"):
        Database.unlock(created_db, "sam", PASSPHRASE)
    assert created_db.exists()


def test_damaged_key_file_is_explained(created_db: Path) -> None:
    key_file_path(created_db).write_text("{ not json")
    with pytest.raises(DamagedDatabase, match="damaged"):
        Database.unlock(created_db, "sam", PASSPHRASE)


def test_not_a_database(data_dir: Path) -> None:
    path = data_dir / "notes.db"
    path.write_bytes(b"Minutes of the safeguarding meeting\n" * 200)
    with pytest.raises((DamagedDatabase, WrongKey)):
        Database.open_with_key(path, b"\x02" * 32)
    empty = data_dir / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(DamagedDatabase, match="empty"):
        Database.open_with_key(empty, b"\x02" * 32)
    with pytest.raises(DamagedDatabase, match="no database"):
        Database.open_with_key(data_dir / "absent.db", b"\x02" * 32)
    assert not (data_dir / "absent.db").exists()


def test_plain_sqlite_file_is_refused(data_dir: Path) -> None:
    import sqlite3

    path = data_dir / "plain.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(DamagedDatabase, match="unencrypted"):
        Database.open_with_key(path, b"\x02" * 32)


def _closed_path(workspace: Workspace) -> Path:
    path = workspace.database.path
    workspace.close()
    return path


@pytest.mark.parametrize("cut", [1, 4096, 3000])
def test_truncated_file_is_reported(workspace: Workspace, cut: int) -> None:
    path = _closed_path(workspace)
    data = path.read_bytes()
    path.write_bytes(data[:-cut])
    with pytest.raises(DamagedDatabase):
        Database.unlock(path, "sam", PASSPHRASE)


@pytest.mark.parametrize("where", ["first page", "last page", "salt"])
def test_bit_flip_is_reported(workspace: Workspace, where: str) -> None:
    path = _closed_path(workspace)
    data = bytearray(path.read_bytes())
    offset = {"first page": 200, "last page": len(data) - 100, "salt": 3}[where]
    data[offset] ^= 0x10
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        Database.unlock(path, "sam", PASSPHRASE)


def test_key_file_of_another_database_is_refused(created_db: Path, data_dir: Path) -> None:
    other, _ = Database.create(
        data_dir / "other.db",
        site_name="Other",
        site_code="OTH",
        login="sam",
        display_name="Sam",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    other.close()
    shutil.copyfile(key_file_path(data_dir / "other.db"), key_file_path(created_db))
    with pytest.raises(DamagedDatabase):
        Database.unlock(created_db, "sam", PASSPHRASE)


def test_create_never_overwrites(created_db: Path) -> None:
    before = created_db.read_bytes()
    with pytest.raises(Exception, match="already exists"):
        Database.create(
            created_db,
            site_name="X",
            site_code="X",
            login="x",
            display_name="X",
            passphrase=PASSPHRASE,
            safeguarding_lead=False,
        )
    assert created_db.read_bytes() == before


def test_database_locked_by_another_writer(workspace: Workspace) -> None:
    path = workspace.database.path
    blocker = sqlcipher3.connect(str(path), timeout=0.1, isolation_level=None)
    blocker.execute(f'PRAGMA key = "{raw_key_literal(workspace.database.key)}"')
    blocker.execute("BEGIN IMMEDIATE")
    try:
        # The pool keeps one connection per thread: shorten its wait so the test is quick.
        with workspace.database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout = 200")
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert workspace.site.current_threat_level().level is ThreatLevel.SUBSTANTIAL


def test_key_file_holds_one_slot_per_user(workspace: Workspace) -> None:
    key_file = KeyFile.for_database(workspace.database.path)
    assert sorted(key_file.logins()) == ["dana", "sam", "tom"]
    assert key_file.slots[0].login == "sam"
    assert len({slot.salt for slot in key_file.slots}) == 3


def test_closed_database_refuses_instead_of_reconnecting(workspace: Workspace) -> None:
    database = workspace.database
    workspace.close()
    assert database.key == b""
    assert "x'" not in str(database.engine.url)
    with pytest.raises(DatabaseClosed, match="locked"):
        workspace.site.current_threat_level()
    with pytest.raises(DatabaseClosed):
        workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today())
