"""What the Concern log tab reads on the worker: the whole log, and the newest concerns a
first load shows while the whole log is read (at head office, seconds)."""

from __future__ import annotations

from dataclasses import dataclass

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.concern_views import ConcernSummary, LeadCounts
from prevent_desktop.services.workspace import Workspace

# Concerns a first load shows while the whole log is read: more than a screenful, few enough
# to read in a few milliseconds.
FIRST_ROWS = 200


@dataclass(frozen=True)
class ConcernLogData:
    concerns: list[ConcernSummary]
    counts: LeadCounts | None  # for those who see every concern
    types: list[str]
    retention_ids: frozenset[str] | None  # only while the retention review is shown


@dataclass(frozen=True)
class FirstRows:
    concerns: list[ConcernSummary]  # the newest FIRST_ROWS
    total: int  # every concern the log will show


def load_first_rows(workspace: Workspace) -> FirstRows:
    concerns = workspace.concerns
    return FirstRows(concerns.list_concerns(newest=FIRST_ROWS), concerns.count_concerns())


def load_log(workspace: Workspace, with_retention: bool) -> ConcernLogData:
    concerns = workspace.concerns
    summaries = concerns.list_concerns()
    sees_all = workspace.actor.can(Permission.LIST_CONCERNS)
    types = concerns.options("type", include_inactive=True)
    # A type retired since still filters the concerns recorded with it.
    types += sorted({s.concern_type for s in summaries} - set(types), key=str.casefold)
    retention = None
    if with_retention and sees_all:
        retention = frozenset(s.id for s in concerns.retention_report())
    return ConcernLogData(summaries, concerns.lead_counts() if sees_all else None, types, retention)
