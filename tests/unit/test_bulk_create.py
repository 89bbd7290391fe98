"""store/bulk_create.py writes exactly what the session hook writes for a new object: the
same row (stamps aside) and the same audit entry, in an intact chain."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.bulk_create import add_created
from prevent_desktop.store.models import AuditEntry, MetaEntry, SyncedRecord
from prevent_desktop.store.risk_models import Risk, RiskAction
from prevent_desktop.store.tracking import HLC_META_KEY
from prevent_desktop.store.training_models import Course, TrainingCertificate

STAMPS = {"id", "hlc", "created_at", "updated_at"}


def _writer(workspace: Workspace) -> Any:
    actor = workspace.actor
    return workspace.database.writer(user_id=actor.user_id, login=actor.login)


def _through_the_hook(
    workspace: Workspace, model: type[SyncedRecord], values: dict[str, Any]
) -> str:
    with _writer(workspace) as session:
        record = model(**values)
        session.add(record)
        session.flush()
        return str(record.id)


def _in_bulk(workspace: Workspace, model: type[SyncedRecord], values: dict[str, Any]) -> str:
    row = dict(values)
    with _writer(workspace) as session:
        add_created(session, model, [row])
    return str(row["id"])


def _row(workspace: Workspace, model: type[SyncedRecord], record_id: str) -> dict[str, Any]:
    with workspace.database.reader() as session:
        record = session.get(model, record_id)
        assert record is not None
        return {c.key: getattr(record, c.key) for c in model.__table__.columns}  # type: ignore[attr-defined]


def _audit(workspace: Workspace, record_id: str) -> AuditEntry:
    with workspace.database.reader() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.record_id == record_id)).one()
        session.expunge(entry)
        return entry


@pytest.mark.parametrize(
    ("model", "values"),
    [
        # Values left out (completed_on, evidence, deleted) are None in the audit entry and
        # the column default in the row, as for an object.
        (
            RiskAction,
            {
                "description": "Brief staff",
                "owner": "Sam",
                "due_on": date(2026, 1, 5),
                "status": "done",
            },
        ),
        # A redacted column, a deferred one, and a creation time given by the caller.
        (
            TrainingCertificate,
            {
                "name": "register.txt",
                "size_bytes": 3,
                "content": b"abc",
                "created_at": datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
            },
        ),
    ],
)
def test_rows_and_audit_entries_match_the_hook(
    workspace: Workspace, model: type[SyncedRecord], values: dict[str, Any]
) -> None:
    if model is RiskAction:
        values = {**values, "risk_id": workspace.risks.list_risks()[0].id}
    by_hook = _through_the_hook(workspace, model, values)
    in_bulk = _in_bulk(workspace, model, values)

    hook_row, bulk_row = _row(workspace, model, by_hook), _row(workspace, model, in_bulk)
    assert {k: v for k, v in bulk_row.items() if k not in STAMPS} == {
        k: v for k, v in hook_row.items() if k not in STAMPS
    }
    assert bulk_row["hlc"] > hook_row["hlc"]
    assert bulk_row["origin_site"] == workspace.database.site_id
    if "created_at" in values:
        assert bulk_row["created_at"] == hook_row["created_at"] == values["created_at"]

    hook_entry, bulk_entry = _audit(workspace, by_hook), _audit(workspace, in_bulk)
    for field in ("action", "record_type", "user_id", "user_login", "origin_site", "changes"):
        assert getattr(bulk_entry, field) == getattr(hook_entry, field), field
    assert bulk_entry.seq == hook_entry.seq + 1
    assert workspace.database.audit_problems() == []


def test_batches_keep_the_chain_and_the_clock(workspace: Workspace) -> None:
    risk_id = workspace.risks.list_risks()[0].id
    before = workspace.database.audit_head().seq
    rows = []
    for batch in range(3):
        chunk = [
            {
                "risk_id": risk_id,
                "description": f"Action {batch}.{n}",
                "owner": "Sam",
                "due_on": date(2026, 2, 1),
            }
            for n in range(50)
        ]
        with _writer(workspace) as session:
            add_created(session, RiskAction, chunk[:20])
            add_created(session, RiskAction, chunk[20:])
        rows += chunk
    stamps = [row["hlc"] for row in rows]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(json.loads(row["versions"]) == {workspace.database.device_id: 1} for row in rows)
    assert workspace.database.audit_head().seq == before + 150
    assert workspace.database.audit_problems() == []
    with workspace.database.reader() as session:
        assert session.get(MetaEntry, HLC_META_KEY).value == stamps[-1]  # type: ignore[union-attr]


def test_audit_entries_can_name_another_user(workspace: Workspace) -> None:
    risk_id = workspace.risks.list_risks()[0].id
    row = {
        "risk_id": risk_id,
        "description": "Logged for dana",
        "owner": "Dana",
        "due_on": date(2026, 1, 1),
    }
    with _writer(workspace) as session:
        add_created(session, RiskAction, [row], user=("dana-id", "dana"))
        session.add(
            RiskAction(risk_id=risk_id, description="Sam's", owner="Sam", due_on=date(2026, 1, 1))
        )
    assert _audit(workspace, row["id"]).user_login == "dana"
    # The session's own user again for what follows.
    with workspace.database.reader() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and last.user_login == "sam"


def test_refuses_what_it_cannot_write_as_the_hook_would(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="natural ids"), _writer(workspace) as session:
        add_created(session, Course, [{"name": "First aid"}])
    with pytest.raises(ValueError, match="no column"), _writer(workspace) as session:
        add_created(session, Risk, [{"colour": "red"}])
    with pytest.raises(ValueError, match="writer session"), workspace.database.reader() as session:
        add_created(session, RiskAction, [{"description": "x"}])
