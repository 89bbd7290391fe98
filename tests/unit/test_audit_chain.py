"""The audit log: every change appended, hash-chained, and tampering of every kind detected."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select, text

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keyslots import KeyFile
from prevent_desktop.store.models import AuditEntry


def _entries(workspace: Workspace) -> list[AuditEntry]:
    with workspace.database.reader() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _sql(workspace: Workspace, statement: str) -> None:
    with workspace.database.engine.begin() as connection:
        connection.execute(text(statement))


def test_every_change_is_logged_with_who_and_what(workspace: Workspace) -> None:
    workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today(), "JTAC raised the level")
    last = _entries(workspace)[-1]
    assert last.action == "create"
    assert last.record_type == "threat_level"
    assert last.user_login == "sam"
    assert json.loads(last.changes)["level"] == "severe"
    assert workspace.database.audit_problems() == []


def test_updates_record_before_and_after(workspace: Workspace) -> None:
    dana = next(u for u in workspace.users.list_users() if u.login == "tom")
    workspace.users.set_active(dana.id, False)
    last = _entries(workspace)[-1]
    assert last.action == "update" and last.record_id == dana.id
    assert json.loads(last.changes) == {"active": [True, False]}


def test_passphrase_changes_are_logged_without_secrets(workspace: Workspace) -> None:
    workspace.users.change_own_passphrase("river otter lantern 7", "granite swallow thimble 88")
    last = _entries(workspace)[-1]
    assert "passphrase_changed_at" in json.loads(last.changes)
    assert "granite" not in last.changes


def test_edited_entry_is_detected(workspace: Workspace) -> None:
    _sql(workspace, "UPDATE audit_entry SET user_login = 'x', changes = '{}' WHERE seq = 2")
    problems = workspace.database.audit_problems()
    assert any("entry 2 was altered" in p for p in problems)


def test_deleted_entry_is_detected(workspace: Workspace) -> None:
    _sql(workspace, "DELETE FROM audit_entry WHERE seq = 3")
    assert any("missing or out of order" in p for p in workspace.database.audit_problems())


def test_inserted_entry_is_detected(workspace: Workspace) -> None:
    # Far past the end, so that no shifted number meets one still in place.
    _sql(workspace, "UPDATE audit_entry SET seq = seq + 1000000 WHERE seq >= 3")
    _sql(
        workspace,
        "INSERT INTO audit_entry (seq, id, origin_site, at, user_id, user_login, action, "
        "record_type, record_id, changes, prev_hash, hash) SELECT 3, 'forged', origin_site, at, "
        "user_id, user_login, action, record_type, record_id, changes, prev_hash, hash "
        "FROM audit_entry WHERE seq = 2",
    )
    assert workspace.database.audit_problems()


def test_reordered_entries_are_detected(workspace: Workspace) -> None:
    _sql(workspace, "UPDATE audit_entry SET seq = -1 WHERE seq = 2")
    _sql(workspace, "UPDATE audit_entry SET seq = 2 WHERE seq = 3")
    _sql(workspace, "UPDATE audit_entry SET seq = 3 WHERE seq = -1")
    assert workspace.database.audit_problems()


def test_cut_off_end_is_detected_through_the_key_file(workspace: Workspace) -> None:
    last_seq = _entries(workspace)[-1].seq
    _sql(workspace, f"DELETE FROM audit_entry WHERE seq >= {last_seq - 1}")
    problems = workspace.database.audit_problems()
    assert any("cut off the end" in p for p in problems)


def test_forged_head_in_key_file_is_detected(workspace: Workspace) -> None:
    key_file = KeyFile.for_database(workspace.database.path)
    assert key_file.audit_head is not None
    key_file.audit_head = {**key_file.audit_head, "seq": 1}
    key_file.save()
    workspace.database.key_file = key_file
    assert any("tampered" in p for p in workspace.database.audit_problems())


def test_key_file_lagging_behind_is_not_an_error(workspace: Workspace) -> None:
    # A crash between commit and key-file update leaves the head one step behind: not tampering.
    key_file = KeyFile.for_database(workspace.database.path)
    workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today())
    workspace.database.key_file = key_file
    assert workspace.database.audit_problems() == []


def test_every_entry_cut_away_is_detected_through_the_key_file(workspace: Workspace) -> None:
    _sql(workspace, "DELETE FROM audit_entry")
    assert any("cut off the end" in p for p in workspace.database.audit_problems())


def test_the_start_cut_away_is_detected(workspace: Workspace) -> None:
    # Entries 1-3 gone: the first left neither starts the chain nor follows anything here.
    _sql(workspace, "DELETE FROM audit_entry WHERE seq <= 3")
    assert any("missing or out of order" in p for p in workspace.database.audit_problems())
