"""Failure paths found in review: half-finished writes, hostile key files, rotation, cancel."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from prevent_desktop.domain.roles import Role
from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import DamagedDatabase, DatabaseLocked, OperationCancelled
from prevent_desktop.services import restore as restore_module
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup
from prevent_desktop.store import database as database_module
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import KeyFile, KeySlot, key_file_path, parse_recovery_key
from tests.conftest import PASSPHRASE


@pytest.mark.parametrize(
    "content",
    [
        "null",
        "[]",
        '{"format": "prevent-desktop-keyslots", "version": 1, "database_id": "x", "slots": 5}',
        '{"format": "prevent-desktop-keyslots", "version": 1, "database_id": "x", '
        '"slots": [{"user_id": "u", "login": "sam", "kdf": "argon2id", "salt": "", '
        '"nonce": "", "wrapped_key": ""}]}',
    ],
)
def test_malformed_key_files_are_damage_not_a_crash(created_db: Path, content: str) -> None:
    key_file_path(created_db).write_text(content)
    with pytest.raises(DamagedDatabase):
        Database.unlock(created_db, "sam", PASSPHRASE)


def test_absurd_kdf_parameters_are_refused(created_db: Path) -> None:
    path = key_file_path(created_db)
    data = json.loads(path.read_text())
    data["slots"][0]["kdf"]["memory_kib"] = 2**40  # would try to allocate a petabyte
    path.write_text(json.dumps(data))
    with pytest.raises(DamagedDatabase):
        Database.unlock(created_db, "sam", PASSPHRASE)


def test_recovery_key_opens_despite_a_damaged_key_file(workspace: Workspace) -> None:
    key = parse_recovery_key(workspace.database.recovery_key())
    path = workspace.database.path
    workspace.close()
    key_file_path(path).write_text("garbage{")
    database = Database.open_with_key(path, key)
    try:
        assert database.key_file is None and database.counts()["user"] == 3
    finally:
        database.close()


def test_a_retried_add_leaves_one_slot_per_login(workspace: Workspace) -> None:
    # An orphan slot, as a commit that failed after writing it would have left.
    orphan, _ = KeySlot.create(
        user_id="orphan-id",
        login="newbie",
        passphrase="x",
        database_key=workspace.database.key,
        database_id=workspace.database.database_id,
        kdf=KeyFile.for_database(workspace.database.path).slots[0].kdf,
    )
    key_file = KeyFile.for_database(workspace.database.path)
    key_file.put_slot(orphan)
    key_file.save()
    workspace.users.add_user(
        login="NewBie",
        display_name="New Person",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase="fresh starter passphrase 9",
    )
    logins = [s.login.casefold() for s in KeyFile.for_database(workspace.database.path).slots]
    assert logins.count("newbie") == 1
    other, _ = Workspace.sign_in(workspace.database.path, "newbie", "fresh starter passphrase 9")
    other.close()


def test_user_names_with_wildcards_are_not_confused(workspace: Workspace) -> None:
    workspace.users.add_user(
        login="a_b",
        display_name="A B",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase="fresh starter passphrase 9",
    )
    workspace.users.add_user(  # "_" is a LIKE wildcard: "axb" must not count as taken
        login="axb",
        display_name="A X B",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase="fresh starter passphrase 9",
    )


def test_write_is_kept_when_the_audit_head_cannot_be_updated(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*_args: object) -> None:
        raise DatabaseLocked("key file busy")

    monkeypatch.setattr(database_module, "modify_key_file", busy)
    workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today())  # no error: committed
    monkeypatch.undo()
    assert workspace.site.current_threat_level().level is ThreatLevel.SEVERE
    assert workspace.database.audit_problems() == []  # a lagging head is not tampering


def test_missing_audit_head_is_reported(workspace: Workspace) -> None:
    key_file = KeyFile.for_database(workspace.database.path)
    key_file.audit_head = None
    key_file.save()
    workspace.database.key_file = key_file
    assert any("no audit chain head" in p for p in workspace.database.audit_problems())


def test_rotation_leaves_other_databases_backups_alone(workspace: Workspace) -> None:
    database = workspace.database
    folder = database.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    for n in range(backup.KEEP_AUTOMATIC_BACKUPS + 1):
        (folder / f"auto-{database.path.stem}-old-209901{n:02d}T000000000000Z-x.db").write_bytes(
            b"other database's backup"
        )
    made = backup.make_automatic_backup(database.engine, database.path, database.key, reason="t")
    assert made.exists()
    assert len(list(folder.glob(f"auto-{database.path.stem}-old-*.db"))) == (
        backup.KEEP_AUTOMATIC_BACKUPS + 1
    )


def test_cancelled_backup_leaves_nothing(workspace: Workspace, data_dir: Path) -> None:
    target = data_dir / "cancelled.db"
    with pytest.raises(OperationCancelled):
        workspace.backup_to(target, should_cancel=lambda: True)
    assert not target.exists() and not key_file_path(target).exists()
    assert [p for p in data_dir.iterdir() if ".partial" in p.name] == []
    workspace.backup_to(target, should_cancel=lambda: False)
    assert target.exists()


def test_restore_never_writes_to_the_backup(workspace: Workspace, data_dir: Path) -> None:
    source = data_dir / "usb" / "backup.db"
    workspace.backup_to(source)
    path = workspace.database.path
    workspace.close()
    before = (source.read_bytes(), key_file_path(source).read_bytes(), source.stat().st_mtime_ns)
    kept = restore_module.restore_backup(source, path, "sam", PASSPHRASE)
    after = (source.read_bytes(), key_file_path(source).read_bytes(), source.stat().st_mtime_ns)
    assert before == after
    assert kept is not None and kept.exists() and key_file_path(kept).exists()
    assert sorted(p.name for p in source.parent.iterdir()) == ["backup.db", "backup.db.keys"]
    reopened, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
    try:
        assert reopened.database.integrity_problems() == []
    finally:
        reopened.close()
