"""Which index SQLite's planner picks is decided without statistics, by the indexes there are:
an index added for one query can draw others away from theirs. Migration 0010's first
ix_concern_stamp, led by `deleted`, sent the Overview's follow-ups through it and made them
eight times slower at head office. These tests look at the plan of every query the busiest
reads make."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from prevent_desktop.services.strategy_evidence import StrategyEvidenceService
from prevent_desktop.services.workspace import Workspace
from tests.unit.concern_support import sample_input, sign_in


@contextmanager
def statements(workspace: Workspace) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs run through the workspace's engine meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = workspace.database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def plans(workspace: Workspace, read: Callable[[], object]) -> list[str]:
    with statements(workspace) as seen:
        read()
    with workspace.database.reader() as session:
        connection = session.connection()
        return [
            " / ".join(
                str(step[-1])
                for step in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters
                )
            )
            for statement, parameters in seen
        ]


def test_only_the_stamp_lookup_goes_through_the_stamp_index(workspace: Workspace) -> None:
    for _ in range(3):
        workspace.concerns.log_concern(sample_input())
    lead = sign_in(workspace.database.path, "dana")
    try:
        concern_id = lead.concerns.list_concerns()[0].id
        reads: list[Callable[[], object]] = [
            workspace.overview.overview,
            workspace.concerns.lead_counts,
            workspace.concerns.list_concerns,
            lambda: workspace.concerns.list_concerns(newest=2),
            workspace.concerns.count_concerns,
            StrategyEvidenceService(workspace.database, workspace.actor).evidence,
        ]
        everyday = [plan for read in reads for plan in plans(workspace, read)]
        everyday += plans(lead, lead.concerns.list_concerns)
        assert everyday and not [p for p in everyday if "ix_concern_stamp" in p]
        opening = plans(lead, lambda: lead.concerns.open_concern(concern_id))
        assert any("COVERING INDEX ix_concern_stamp" in p for p in opening)
    finally:
        lead.close()
