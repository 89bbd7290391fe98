"""Key slots: each user's passphrase unwraps the same database key; changing one never
re-encrypts the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prevent_desktop.errors import UnknownUser, ValidationError, WrongKey, WrongPassphrase
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import (
    DEFAULT_KDF,
    KdfParams,
    KeyFile,
    KeySlot,
    format_recovery_key,
    key_file_path,
    new_database_key,
    parse_recovery_key,
)
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE

CHEAP = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)


def test_default_parameters_meet_the_floor() -> None:
    assert DEFAULT_KDF.memory_kib >= 64 * 1024
    assert DEFAULT_KDF.time_cost >= 3


def test_slot_round_trip_and_wrong_passphrase() -> None:
    key = new_database_key()
    slot, kek = KeySlot.create(
        user_id="u1",
        login="sam",
        passphrase="pw one",
        database_key=key,
        database_id="db1",
        kdf=CHEAP,
    )
    assert slot.unwrap(kek, "db1") == key
    assert slot.unwrap(slot.derive_kek("pw one"), "db1") == key
    with pytest.raises(WrongPassphrase):
        slot.unwrap(slot.derive_kek("pw two"), "db1")


def test_slot_is_bound_to_its_database_and_parameters() -> None:
    key = new_database_key()
    slot, kek = KeySlot.create(
        user_id="u1", login="sam", passphrase="pw", database_key=key, database_id="db1", kdf=CHEAP
    )
    with pytest.raises(WrongPassphrase):
        slot.unwrap(kek, "another-database")
    weakened = KeySlot(
        slot.user_id, slot.login, KdfParams(1, 8, 1), slot.salt, slot.nonce, slot.wrapped_key
    )
    with pytest.raises(WrongPassphrase):
        weakened.unwrap(kek, "db1")


def test_parameters_are_stored_with_each_slot(created_db: Path) -> None:
    data = json.loads(key_file_path(created_db).read_text())
    kdf = data["slots"][0]["kdf"]
    assert kdf["name"] == "argon2id"
    assert {"time_cost", "memory_kib", "parallelism"} <= kdf.keys()
    assert "Sam Patel" not in key_file_path(created_db).read_text()


def test_two_users_have_their_own_slots(workspace: Workspace) -> None:
    path = workspace.database.path
    key = workspace.database.key
    workspace.close()
    for login, passphrase in (("dana", LEAD_PASSPHRASE), ("tom", STAFF_PASSPHRASE)):
        database, _user_id, _kek = Database.unlock(path, login, passphrase)
        assert database.key == key
        database.close()
    with pytest.raises(WrongPassphrase):
        Database.unlock(path, "tom", LEAD_PASSPHRASE)


def test_changing_a_passphrase_does_not_reencrypt(workspace: Workspace) -> None:
    path = workspace.database.path
    workspace.database.engine.dispose()  # checkpoint so the file is comparable
    before = path.read_bytes()
    new = "granite swallow thimble 88"
    workspace.users.change_own_passphrase(PASSPHRASE, new)
    workspace.close()
    with pytest.raises(WrongPassphrase):
        Database.unlock(path, "sam", PASSPHRASE)
    database, _, _ = Database.unlock(path, "sam", new)
    database.engine.dispose()
    # Only the audit entry for the change was added: the first page (and its salt) is intact.
    assert path.read_bytes()[:16] == before[:16]
    database.close()


def test_change_own_passphrase_needs_the_current_one(workspace: Workspace) -> None:
    with pytest.raises(WrongPassphrase):
        workspace.users.change_own_passphrase("wrong current", "granite swallow thimble 88")
    with pytest.raises(ValidationError, match="too weak"):
        workspace.users.change_own_passphrase(PASSPHRASE, "short")


def test_key_file_written_atomically_and_private(created_db: Path) -> None:
    path = key_file_path(created_db)
    assert path.stat().st_mode & 0o077 == 0
    leftovers = [p for p in created_db.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_unknown_login(created_db: Path) -> None:
    with pytest.raises(UnknownUser):
        KeyFile.for_database(created_db).slot_for_login("ghost")


def test_recovery_key_format_round_trip() -> None:
    key = new_database_key()
    text = format_recovery_key(key)
    assert parse_recovery_key(text) == key
    assert parse_recovery_key(text.lower().replace("-", " ")) == key
    with pytest.raises(WrongKey):
        parse_recovery_key("1234-5678")
    with pytest.raises(WrongKey):
        parse_recovery_key("zz" * 32)


def test_recovery_key_needs_manager_and_passphrase(workspace: Workspace) -> None:
    with pytest.raises(WrongPassphrase):
        workspace.recovery_key("not it")
    assert workspace.recovery_key(PASSPHRASE) == workspace.database.recovery_key()
