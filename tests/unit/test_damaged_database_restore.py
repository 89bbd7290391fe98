"""A damaged database: detected on open, with the latest automatic backup offered, and that
backup restored (issue 10, item 3).

Each kind of damage is done to a real SQLCipher file after a daily automatic backup was made
and a change was recorded after it. Opening must refuse with a clear message; the offer must
name the backup; restoring it must give a database that opens, passes every check and holds
exactly what the backup held, with the damaged file kept beside it, untouched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.paths import backup_dir_for
from prevent_desktop.services.restore import accept_lost_changes, restore_backup, restore_offer
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import key_file_path
from prevent_desktop.store.models import AuditEntry
from prevent_desktop.sync.bundle_import import UnknownDevice
from tests.conftest import PASSPHRASE, TEMPORARY_PASSPHRASE
from tests.unit.sync_support import Fleet, risk_input


def _add_user(workspace: Workspace, login: str) -> None:
    workspace.users.add_user(
        login=login,
        display_name=login.title(),
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase=TEMPORARY_PASSPHRASE,
    )


def _logins(path: Path) -> set[str]:
    workspace, _kek = Workspace.sign_in(path, "sam", PASSPHRASE)
    try:
        assert workspace.database.integrity_problems() == []
        return {user.login for user in workspace.users.list_users()}
    finally:
        workspace.close()


@pytest.fixture
def backed_up(created_db: Path) -> Path:
    """A database with its daily backup (holding "before"), and "after" recorded since."""
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    _add_user(workspace, "before")
    database = workspace.database
    made = backup.backup_if_due(database.engine, database.path, database.key)
    assert made is not None and made.name.endswith("-daily.db")
    _add_user(workspace, "after")
    workspace.close()
    return created_db


def _flip(offset: Callable[[int], int]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[offset(len(data))] ^= 0x24
        path.write_bytes(bytes(data))

    return damage


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2 + 1000])


def _remove_key_file(path: Path) -> None:
    key_file_path(path).unlink()


def _garble_key_file(path: Path) -> None:
    keys = key_file_path(path)
    keys.write_bytes(keys.read_bytes()[:150] + b"\x00garbage")


DAMAGE = {
    "a flipped byte in the first page": (_flip(lambda _size: 200), "damaged"),
    "a flipped byte in a later page": (_flip(lambda size: size - 100), "damaged"),
    "a truncated file": (_truncate, "damaged"),
    "a damaged salt": (_flip(lambda _size: 5), "damaged"),
    "a missing key file": (_remove_key_file, "key file"),
    "a damaged key file": (_garble_key_file, "key file"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_detected_and_the_latest_backup_restores(backed_up: Path, kind: str) -> None:
    damage, said = DAMAGE[kind]
    damage(backed_up)
    damaged = [p.read_bytes() if p.exists() else None for p in _files(backed_up)]

    with pytest.raises(DamagedDatabase) as refused:
        Database.unlock(backed_up, "sam", PASSPHRASE)
    assert said in refused.value.message and "Traceback" not in refused.value.message

    offer = restore_offer(backed_up)
    assert offer is not None and offer.backup.name.endswith("-daily.db")
    assert "prevent-desktop restore" in offer.advice(backed_up) and offer.made

    kept = restore_backup(offer.backup, backed_up, "sam", PASSPHRASE)
    assert _logins(backed_up) == {"sam", "before"}  # the backup's content, "after" is lost
    # Nothing was destroyed: the damaged files are kept beside it, byte for byte.
    assert kept is not None
    assert [p.read_bytes() if p.exists() else None for p in _files(kept)] == damaged


def _files(path: Path) -> list[Path]:
    return [path, key_file_path(path)]


def write_then_die(path: Path, login: str = "only-in-wal") -> None:
    """A real process records a change and is killed before it closes the database, so the
    commit is in the journal (-wal) only."""
    script = (
        "import os, signal, sys\n"
        "from prevent_desktop.domain.roles import Role\n"
        "from prevent_desktop.services.workspace import Workspace\n"
        "workspace, _ = Workspace.sign_in(sys.argv[1], 'sam', sys.argv[2])\n"
        "workspace.users.add_user(login=sys.argv[4], display_name='In Wal', "
        "role=Role.STAFF, is_safeguarding_lead=False, passphrase=sys.argv[3])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(path), PASSPHRASE, TEMPORARY_PASSPHRASE, login],
        env={**os.environ, "PREVENT_DESKTOP_KDF": "fast"},
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def test_a_lost_journal_is_detected_and_the_backup_restores(backed_up: Path) -> None:
    write_then_die(backed_up)
    wal = Path(f"{backed_up}-wal")
    assert wal.stat().st_size > 0
    # With its journal the killed process's commit is there ...
    assert "only-in-wal" in _logins(backed_up)
    write_then_die(backed_up, "second")  # (opening checkpointed it: commit again, and die)
    wal.unlink()
    Path(f"{backed_up}-shm").unlink(missing_ok=True)

    # ... without it, the file is an older but sound database: only the key file knows.
    with pytest.raises(DamagedDatabase, match="missing its latest changes") as refused:
        Database.unlock(backed_up, "sam", PASSPHRASE)
    assert "-wal" in refused.value.message and "restore the latest backup" in refused.value.message
    offer = restore_offer(backed_up)
    assert offer is not None
    restore_backup(offer.backup, backed_up, "sam", PASSPHRASE)
    assert _logins(backed_up) == {"sam", "before"}


def test_a_journal_put_back_opens_again(backed_up: Path, tmp_path: Path) -> None:
    """The message's first advice works: the lost journal, put back, restores every change."""
    write_then_die(backed_up)
    wal = Path(f"{backed_up}-wal")
    kept = tmp_path / "kept-wal"
    kept.write_bytes(wal.read_bytes())
    wal.unlink()
    Path(f"{backed_up}-shm").unlink(missing_ok=True)
    with pytest.raises(DamagedDatabase, match="missing its latest changes"):
        Database.unlock(backed_up, "sam", PASSPHRASE)
    wal.write_bytes(kept.read_bytes())
    assert "only-in-wal" in _logins(backed_up)


def test_a_head_behind_the_log_is_not_taken_for_lost_changes(backed_up: Path) -> None:
    """A commit whose key-file update failed leaves the head one step behind: allowed."""
    keys = key_file_path(backed_up)
    stale = keys.read_bytes()
    workspace, _kek = Workspace.sign_in(backed_up, "sam", PASSPHRASE)
    _add_user(workspace, "later")
    workspace.close()
    keys.write_bytes(stale)
    assert "later" in _logins(backed_up)


def test_a_backup_is_due_daily_and_rotates(created_db: Path) -> None:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    database = workspace.database
    try:
        first = backup.backup_if_due(database.engine, database.path, database.key)
        assert first is not None
        made = backup.made_at(first)
        assert made is not None
        soon = made + timedelta(hours=19)
        assert backup.backup_if_due(database.engine, database.path, database.key, now=soon) is None
        later = datetime.now(UTC) + timedelta(hours=21)
        second = backup.backup_if_due(database.engine, database.path, database.key, now=later)
        assert second is not None and second != first
        assert backup.latest_automatic_backup(created_db) == second
        for _ in range(backup.KEEP_AUTOMATIC_BACKUPS + 2):
            backup.make_automatic_backup(
                database.engine, database.path, database.key, reason="daily"
            )
    finally:
        workspace.close()
    kept = backup.automatic_backups(backup_dir_for(created_db), created_db.stem)
    assert len(kept) == backup.KEEP_AUTOMATIC_BACKUPS
    assert all(key_file_path(path).is_file() for path in kept)


def test_no_offer_without_a_backup_and_the_offer_skips_one_without_its_key_file(
    backed_up: Path,
) -> None:
    offer = restore_offer(backed_up)
    assert offer is not None
    key_file_path(offer.backup).unlink()
    assert restore_offer(backed_up) is None


def test_check_lists_lost_changes_among_its_findings(backed_up: Path) -> None:
    """`check` opens without migrating so as to list every finding: lost changes are one."""
    write_then_die(backed_up)
    Path(f"{backed_up}-wal").unlink()
    Path(f"{backed_up}-shm").unlink(missing_ok=True)
    database, _user, _kek = Database.unlock(
        backed_up, "sam", PASSPHRASE, migrate=False, verify_pages=False
    )
    try:
        problems = database.integrity_problems()
    finally:
        database.close()
    assert problems, "the lost commit went unnoticed"
    print(problems)


def test_accepting_lost_changes_is_audited_and_the_laptop_syncs_on_as_a_new_one(
    tmp_path: Path,
) -> None:
    """The lost commits may have been sent already: going on as the same laptop would repeat
    their bundle number and audit entries, and the others would refuse it for good."""
    fleet = Fleet(tmp_path / "site")
    try:
        fleet.first()
        fleet.join()
        fleet.pair_all()
        fleet.send(0, 1)
        path = fleet.laptops[1].database.path
        fleet.laptops[1].close()
        before = path.read_bytes()  # the file as it was, closed, before the lost commits
        fleet.laptops[1] = Workspace.sign_in(path, "sam", PASSPHRASE)[0]
        fleet.laptops[1].risks.create_risk(risk_input("Sent, then lost"))
        fleet.send(1, 0)
        fleet.laptops[1].close()
        path.write_bytes(before)  # the journal that held those commits is gone

        with pytest.raises(DamagedDatabase, match="missing its latest changes"):
            Database.unlock(path, "sam", PASSPHRASE)
        last, head = accept_lost_changes(path, login="sam", passphrase=PASSPHRASE)
        assert head > last

        laptop = Workspace.sign_in(path, "sam", PASSPHRASE)[0]
        fleet.laptops[1] = laptop
        assert laptop.database.integrity_problems() == []
        with laptop.database.reader() as session:
            entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and entry.action == "accept"
        assert entry.record_type == "lost_changes" and entry.record_id == f"{last + 1}-{head}"
        laptop.risks.create_risk(risk_input("Made after the loss"))
        with pytest.raises(UnknownDevice):  # a new laptop to the first: confirmed once
            fleet.send(1, 0)
        fleet.send(1, 0, trust=True)
        titles = {risk.title for risk in fleet.laptops[0].risks.list_risks()}
        assert {"Sent, then lost", "Made after the loss"} <= titles
    finally:
        fleet.close()


def test_the_recovery_key_can_accept_lost_changes(backed_up: Path) -> None:
    """A manager who has forgotten their passphrase too is not locked out by a lost journal."""
    workspace, _kek = Workspace.sign_in(backed_up, "sam", PASSPHRASE)
    recovery = bytes.fromhex(workspace.database.recovery_key().replace("-", ""))
    workspace.close()
    write_then_die(backed_up)
    Path(f"{backed_up}-wal").unlink()
    Path(f"{backed_up}-shm").unlink(missing_ok=True)
    accept_lost_changes(backed_up, recovery_key=recovery)
    assert "only-in-wal" not in _logins(backed_up)
