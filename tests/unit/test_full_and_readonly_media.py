"""Full disks and read-only media: a clear error naming the file, and nothing lost.

These use real small file systems (tmpfs mounts), so they need root, as in CI; elsewhere they
skip and say why.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import ReadOnlyLocation, StorageFull
from prevent_desktop.reports import risk_register_export
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from tests.conftest import PASSPHRASE


@contextmanager
def mounted_tmpfs(point: Path, size: str) -> Iterator[Path]:
    """A real file system of `size` at `point`, unmounted afterwards; skips without root."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    point.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.strip()}); needs root")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    # Room for a new database and its WAL (the schema grows with each tab), little more.
    with mounted_tmpfs(tmp_path / "small", "3m") as point:
        yield point


def _fill(folder: Path) -> None:
    with (folder / "filler.bin").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass


def test_backup_to_a_full_disk(workspace: Workspace, small_disk: Path) -> None:
    _fill(small_disk)
    target = small_disk / "backup.db"
    with pytest.raises(StorageFull, match="full"):
        workspace.backup_to(target)
    assert not target.exists()
    assert [p.name for p in small_disk.iterdir()] == ["filler.bin"]
    assert workspace.database.integrity_problems() == []


def test_writing_to_a_full_disk_keeps_what_was_there(small_disk: Path) -> None:
    path = small_disk / "prevent.db"
    database, _ = Database.create(
        path,
        site_name="Small",
        site_code="S",
        login="sam",
        display_name="Sam",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    database.close()
    workspace, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
    _fill(small_disk)
    with pytest.raises(StorageFull):
        for day in range(1, 400):  # the WAL grows until the disk refuses
            workspace.site.set_threat_level(
                ThreatLevel.SEVERE, date(2020, 1, 1).replace(day=1 + day % 28), "x" * 2000
            )
    workspace.close()
    (small_disk / "filler.bin").unlink()
    again, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
    try:
        assert again.database.integrity_problems() == []
        assert again.site.site().name == "Small"
    finally:
        again.close()


def test_read_only_location(created_db: Path, small_disk: Path) -> None:
    path = small_disk / "prevent.db"
    for name in (created_db.name, created_db.name + ".keys"):
        (small_disk / name).write_bytes((created_db.parent / name).read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(ReadOnlyLocation, match="read-only"):
        Database.unlock(path, "sam", PASSPHRASE)
    with pytest.raises(ReadOnlyLocation, match="read-only"):
        Database.create(
            small_disk / "new.db",
            site_name="S",
            site_code="S",
            login="sam",
            display_name="Sam",
            passphrase=PASSPHRASE,
            safeguarding_lead=False,
        )


def test_create_on_a_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "tiny", "48k") as point:
        with pytest.raises(StorageFull):
            Workspace.create_site(
                point / "new.db",
                site_name="S",
                site_code="S",
                login="sam",
                display_name="Sam",
                passphrase=PASSPHRASE,
                safeguarding_lead=False,
            )
        assert list(point.iterdir()) == []


# ---- earlier files stay as they were (issue 10, item 7) -------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def test_a_failed_backup_leaves_the_earlier_backup_as_it_was(
    workspace: Workspace, small_disk: Path
) -> None:
    """A full disk, then a read-only drive: each a clear error (the read-only one used to be a
    crash, from removing a leftover partial file before anything was tried)."""
    earlier = small_disk / "monday.db"
    workspace.backup_to(earlier)
    kept = {p.name: _digest(p) for p in small_disk.iterdir()}
    assert sorted(kept) == ["monday.db", "monday.db.keys"]  # a backup carries its key file
    _fill(small_disk)
    with pytest.raises(StorageFull, match="is full"):
        workspace.backup_to(small_disk / "tuesday.db")
    (small_disk / "filler.bin").unlink()
    _remount_read_only(small_disk)
    with pytest.raises(ReadOnlyLocation, match="read-only"):
        workspace.backup_to(small_disk / "wednesday.db")
    # No partial file left behind, and the earlier backup exactly as it was.
    assert {p.name: _digest(p) for p in small_disk.iterdir()} == kept


def test_a_failed_export_leaves_the_earlier_file_as_it_was(
    workspace: Workspace, small_disk: Path
) -> None:
    """Reports and exports all write through store.atomic.write_atomic: a full disk or a
    read-only drive stops the new file, never the one already saved under that name."""
    register = small_disk / "register.csv"
    risk_register_export.write_csv(workspace, register)
    kept = _digest(register)
    assert b"Reference" in register.read_bytes()
    workspace.risks.create_risk(replace(workspace.risks.list_risks()[0].as_input(), title="New"))
    _fill(small_disk)
    with pytest.raises(StorageFull, match="risk register CSV"):
        risk_register_export.write_csv(workspace, register)
    (small_disk / "filler.bin").unlink()
    _remount_read_only(small_disk)
    with pytest.raises(ReadOnlyLocation, match="risk register workbook"):
        risk_register_export.write_xlsx(workspace, register)
    assert sorted(p.name for p in small_disk.iterdir()) == ["register.csv"]  # no temp file
    assert _digest(register) == kept
