"""The command-line interface end to end: real processes, real encrypted files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlcipher3

from prevent_desktop import __version__
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup
from tests.conftest import PASSPHRASE
from tests.unit.test_damaged_database_restore import write_then_die

RECOVERY = re.compile(r"([0-9A-F]{4}(?:-[0-9A-F]{4}){15})")


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err


def test_version(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--version")
    assert result.code == 0 and __version__ in result.out


def test_init_info_check(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "site.db"
    result = run(
        "init", "--db", str(db), "--site", "Hull Skills Hub", "--user", "kim", "--safeguarding-lead"
    )
    assert result.code == 0, result.err
    recovery = RECOVERY.search(result.out)
    assert recovery is not None
    assert db.exists() and db.with_name("site.db.keys").exists()

    info = run("info", "--db", str(db), "--json")
    assert info.code == 0, info.err
    details = json.loads(info.out)
    assert details["site"] == "Hull Skills Hub"
    assert details["schema_version"]
    assert details["sqlcipher_version"].startswith("4.")
    assert details["counts"]["user"] == 1 and details["counts"]["threat_level"] == 1

    check = run("check", "--db", str(db))
    assert check.code == 0 and "sound" in check.out

    # The printed recovery key opens the file in plain SQLCipher.
    connection = sqlcipher3.connect(str(db))
    connection.execute(f"PRAGMA key = \"x'{recovery.group(1).replace('-', '')}'\"")
    assert connection.execute("SELECT name FROM site").fetchone()[0] == "Hull Skills Hub"
    connection.close()


def test_init_refuses_weak_passphrase_and_existing_file(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "weak.db"
    weak = run("init", "--db", str(db), "--site", "S", "--user", "kim", passphrase="password")
    assert weak.code == 2 and "too weak" in weak.err
    _no_traceback(weak)
    assert not db.exists()
    assert run("init", "--db", str(db), "--site", "S", "--user", "kim").code == 0
    again = run("init", "--db", str(db), "--site", "S", "--user", "kim")
    assert again.code != 0 and "already exists" in again.err


def test_demo_and_users(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    result = run("demo", "--db", str(db), "--size", "small")
    assert result.code == 0, result.err
    info = json.loads(run("info", "--db", str(db), "--json", "--user", "jbrown").out)
    assert info["counts"]["user"] == 5
    assert info["counts"]["threat_level"] >= 3


def test_wrong_passphrase_exit_3(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    run("init", "--db", str(db), "--site", "S", "--user", "kim")
    result = run("info", "--db", str(db), passphrase="not the right one")
    assert result.code == 3 and "Wrong passphrase" in result.err
    _no_traceback(result)


def test_passphrase_file_and_no_passphrase(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    secret = data_dir / "secret.txt"
    secret.write_text(PASSPHRASE + "\n")
    assert (
        run(
            "init",
            "--db",
            str(db),
            "--site",
            "S",
            "--user",
            "kim",
            "--passphrase-file",
            str(secret),
            passphrase=None,
        ).code
        == 0
    )
    assert (
        run("check", "--db", str(db), "--passphrase-file", str(secret), passphrase=None).code == 0
    )
    none = run("check", "--db", str(db), passphrase=None)
    assert none.code == 2 and "--passphrase-file" in none.err
    _no_traceback(none)


def test_damaged_files_exit_4(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    run("init", "--db", str(db), "--site", "S", "--user", "kim")
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))
    # `check` lists what it finds (exit 1); commands that use the data refuse it (exit 4).
    checked = run("check", "--db", str(db))
    assert checked.code == 1 and "page check" in checked.out, checked.err
    flipped = run("info", "--db", str(db))
    assert flipped.code == 4 and "damaged" in flipped.err
    _no_traceback(flipped)
    db.write_bytes(bytes(data[:5000]))
    truncated = run("check", "--db", str(db))
    assert truncated.code == 4 and "cut short" in truncated.err
    junk = data_dir / "junk.db"
    junk.write_text("hello")
    assert run("info", "--db", str(junk)).code == 4
    missing = run("info", "--db", str(data_dir / "nope.db"))
    assert missing.code == 4 and "no database" in missing.err.lower()


def test_check_finds_audit_tampering_exit_1(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    created = run("init", "--db", str(db), "--site", "S", "--user", "kim")
    key = RECOVERY.search(created.out).group(1).replace("-", "")  # type: ignore[union-attr]
    connection = sqlcipher3.connect(str(db))
    connection.execute(f"PRAGMA key = \"x'{key}'\"")
    connection.execute("UPDATE audit_entry SET changes = '{}' WHERE seq = 1")
    connection.commit()
    connection.close()
    result = run("check", "--db", str(db))
    assert result.code == 1
    assert "audit entry 1 was altered" in result.out


def test_usage_error_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    assert run("frobnicate").code == 2
    assert run("init", "--db", "x.db").code == 2  # --site and --user missing


def test_recovery_key_managers_only(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    run("demo", "--db", str(db))
    manager = run("recovery-key", "--db", str(db))
    assert manager.code == 0 and RECOVERY.search(manager.out)
    staff = run("recovery-key", "--db", str(db), "--user", "jbrown")
    assert staff.code == 2 and "may not" in staff.err
    assert not RECOVERY.search(staff.out)


def test_backup_and_restore(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    out = data_dir / "usb" / "backup.db"
    run("init", "--db", str(db), "--site", "Before", "--user", "kim")
    assert run("backup", "--db", str(db), "--out", str(out)).code == 0
    assert out.exists() and out.with_name("backup.db.keys").exists()
    assert not out.read_bytes().startswith(b"SQLite format 3")
    again = run("backup", "--db", str(db), "--out", str(out))
    assert again.code != 0 and "already exists" in again.err

    db.write_bytes(b"\0" * 8192)  # disaster
    restored = run("restore", "--backup", str(out), "--db", str(db))
    assert restored.code == 0, restored.err
    assert "kept as" in restored.out
    assert json.loads(run("info", "--db", str(db), "--json").out)["site"] == "Before"
    assert run("check", "--db", str(db)).code == 0


def test_restore_refuses_damaged_backup(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "d.db"
    out = data_dir / "b.db"
    run("init", "--db", str(db), "--site", "S", "--user", "kim")
    run("backup", "--db", str(db), "--out", str(out))
    data = bytearray(out.read_bytes())
    data[-500] ^= 1
    out.write_bytes(bytes(data))
    before = db.read_bytes()
    result = run("restore", "--backup", str(out), "--db", str(db))
    assert result.code == 4
    assert db.read_bytes() == before


def test_passwd(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    run("demo", "--db", str(db))
    new = data_dir / "new.txt"
    new.write_text("brand new passphrase 31\n")
    changed = run("passwd", "--db", str(db), "--user", "jbrown", "--new-passphrase-file", str(new))
    assert changed.code == 0, changed.err
    assert run("info", "--db", str(db), "--user", "jbrown").code == 3
    ok = run("info", "--db", str(db), "--user", "jbrown", passphrase="brand new passphrase 31")
    assert ok.code == 0
    # A manager resets someone else's passphrase.
    reset = run(
        "passwd",
        "--db",
        str(db),
        "--user",
        "lwhite",
        "--as",
        "amorgan",
        "--new-passphrase-file",
        str(new),
    )
    assert reset.code == 0, reset.err
    assert (
        run("info", "--db", str(db), "--user", "lwhite", passphrase="brand new passphrase 31").code
        == 0
    )


def test_reset_access_with_the_recovery_key(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    run("demo", "--db", str(db))
    recovery = data_dir / "recovery.txt"
    recovery.write_text(RECOVERY.search(run("recovery-key", "--db", str(db)).out).group(1))  # type: ignore[union-attr]
    new = data_dir / "new.txt"
    new.write_text("back in again passphrase 4\n")
    keys = db.with_name("demo.db.keys")
    keys.write_text("garbage{")  # the key file is damaged: nobody can sign in
    assert run("info", "--db", str(db)).code == 4
    staff = run(
        "reset-access",
        "--db",
        str(db),
        "--recovery-key-file",
        str(recovery),
        "--user",
        "jbrown",
        "--new-passphrase-file",
        str(new),
    )
    assert staff.code == 2 and "not a manager" in staff.err
    result = run(
        "reset-access",
        "--db",
        str(db),
        "--recovery-key-file",
        str(recovery),
        "--user",
        "amorgan",
        "--new-passphrase-file",
        str(new),
    )
    assert result.code == 0, result.err
    assert "kept as" in result.out
    assert list(data_dir.glob("demo.db.keys.unreadable-*"))
    ok = run("check", "--db", str(db), "--user", "amorgan", passphrase="back in again passphrase 4")
    assert ok.code == 0, ok.out + ok.err
    wrong = data_dir / "wrong.txt"
    wrong.write_text("0" * 64)
    refused = run(
        "reset-access",
        "--db",
        str(db),
        "--recovery-key-file",
        str(wrong),
        "--user",
        "amorgan",
        "--new-passphrase-file",
        str(new),
    )
    assert refused.code == 3


def test_wrong_passphrases_hold_up_a_cli_started_afresh_each_time(run, created_db: Path) -> None:  # type: ignore[no-untyped-def]
    """The count of wrong passphrases is kept on disk (store/guess_throttle.py)."""
    for _ in range(3):
        wrong = run("check", "--db", str(created_db), "--user", "sam", passphrase="not it at all")
        assert wrong.code == 3
    refused = run("check", "--db", str(created_db), "--user", "sam", passphrase=PASSPHRASE)
    assert refused.code == 3
    assert "3 wrong passphrases in a row for 'sam': wait" in refused.err
    assert "Traceback" not in refused.err


def test_a_damaged_database_names_its_latest_backup_and_restore_latest_brings_it_back(
    run, created_db: Path
) -> None:  # type: ignore[no-untyped-def]
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    database = workspace.database
    made = backup.backup_if_due(database.engine, database.path, database.key)
    workspace.close()
    data = created_db.read_bytes()
    created_db.write_bytes(data[: len(data) // 2])

    refused = run("info", "--db", str(created_db))
    assert refused.code == 4
    _no_traceback(refused)
    assert "damaged" in refused.err and str(made) in refused.err
    assert f"prevent-desktop restore --db {created_db} --latest" in refused.err

    restored = run("restore", "--db", str(created_db), "--latest")
    assert restored.code == 0, restored.err
    assert f"from {made}" in restored.out and "kept as" in restored.out
    assert run("check", "--db", str(created_db)).code == 0


def test_restore_latest_without_a_backup_says_so(run, created_db: Path) -> None:  # type: ignore[no-untyped-def]
    refused = run("restore", "--db", str(created_db), "--latest")
    assert refused.code == 2 and "There is no automatic backup" in refused.err
    _no_traceback(refused)


def test_a_lost_journal_can_be_accepted_by_a_manager(run, created_db: Path) -> None:  # type: ignore[no-untyped-def]
    write_then_die(created_db)
    Path(f"{created_db}-wal").unlink()
    Path(f"{created_db}-shm").unlink(missing_ok=True)
    refused = run("info", "--db", str(created_db))
    assert refused.code == 4 and "missing its latest changes" in refused.err
    assert "accept-lost-changes" in refused.err
    check = run("check", "--db", str(created_db))
    assert check.code == 1 and "cut off the end" in check.out + check.err

    accepted = run("accept-lost-changes", "--db", str(created_db))
    assert accepted.code == 0, accepted.err
    assert "lost for good" in accepted.out
    assert run("check", "--db", str(created_db)).code == 0
    again = run("accept-lost-changes", "--db", str(created_db))
    assert again.code == 2 and "nothing to do" in again.err
