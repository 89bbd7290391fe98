"""The page check that runs beside the session (store/page_check.py): real SQLCipher files."""

from __future__ import annotations

from pathlib import Path

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.page_check import PageCheck
from tests.conftest import PASSPHRASE

PAGE = 4096


def damage_last_page(db: Path) -> None:
    """Zero part of the last page: its HMAC no longer fits, and signing in never reads it."""
    data = bytearray(db.read_bytes())
    start = len(data) - PAGE + 100
    data[start : start + 64] = bytes(64)
    db.write_bytes(bytes(data))


def test_a_sound_database_has_no_damaged_pages(created_db: Path) -> None:
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE, verify_pages=False)
    try:
        assert PageCheck(workspace.database).run() == []
    finally:
        workspace.close()


def test_a_damaged_page_opens_and_is_then_found(created_db: Path) -> None:
    damage_last_page(created_db)
    pages = created_db.stat().st_size // PAGE
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE, verify_pages=False)
    try:
        found = PageCheck(workspace.database).run()
    finally:
        workspace.close()
    assert found == [f"HMAC verification failed for page {pages}"]


def test_a_cancelled_or_closed_check_reports_nothing(created_db: Path) -> None:
    damage_last_page(created_db)
    workspace, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE, verify_pages=False)
    cancelled = PageCheck(workspace.database)
    cancelled.cancel()
    assert cancelled.run() is None

    # A locked database refuses to connect: no reconnecting with a key that was dropped.
    workspace.close()
    assert PageCheck(workspace.database).run() is None
