"""The medium and large demos: the small demo's site, grown to head-office scale for the
benchmarks (issue 9). At scale 1 ("large") the database holds 50,000 concerns with 250,000
chronology entries, 5,000 staff with 150,000 training records, 5,000 risks with 15,000
actions and 200 incident plans; "medium" is a tenth of that. The counts are totals, the
small demo's own records included.

Everything is real application data: the same tables and columns, stamps and audit entries,
and sealed text, as the services write (see store/bulk_create.py for how, and why not through
the services one record at a time: they manage about 120 writes a second).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy import func, select

from prevent_desktop.services.demo_large_concerns import build_large_concerns
from prevent_desktop.services.demo_large_incidents import build_large_incidents
from prevent_desktop.services.demo_large_register import build_large_register
from prevent_desktop.services.demo_large_training import build_large_training
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.concern_models import Concern, ConcernEntry
from prevent_desktop.store.incident_models import IncidentPlan
from prevent_desktop.store.models import SyncedRecord
from prevent_desktop.store.risk_models import Risk, RiskAction
from prevent_desktop.store.training_models import StaffMember, TrainingRecord

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoTotals:
    """How many of each a scaled demo holds in all (the large demo's at scale 1)."""

    concerns: int = 50_000
    entries: int = 250_000
    staff: int = 5_000
    training_records: int = 150_000
    risks: int = 5_000
    actions: int = 15_000
    plans: int = 200

    def scaled(self, scale: float) -> DemoTotals:
        return DemoTotals(*(round(getattr(self, f.name) * scale) for f in fields(self)))


_MODELS: dict[str, type[SyncedRecord]] = {
    "concerns": Concern,
    "entries": ConcernEntry,
    "staff": StaffMember,
    "training_records": TrainingRecord,
    "risks": Risk,
    "actions": RiskAction,
    "plans": IncidentPlan,
}


def grow_demo(
    workspace: Workspace,
    path: Path,
    passphrase: str,
    lead_login: str,
    wanted: DemoTotals,
    progress: Progress | None = None,
) -> None:
    """Add to the small demo (open as its manager in `workspace`) until it holds `wanted`
    in all. The lead (`lead_login`) signs in to write the concerns."""
    report = progress or (lambda _line: None)
    have = _current(workspace)
    more = {name: max(0, getattr(wanted, name) - have[name]) for name in have}
    started = time.perf_counter()

    def stage(name: str, build: Callable[[], dict[str, int]]) -> None:
        begun = time.perf_counter()
        made = build()
        counts = ", ".join(f"{count:,} {record}" for record, count in made.items())
        report(f"{name}: {counts} in {time.perf_counter() - begun:.1f} s")

    # The lead signs in first: the key derivation's 256 MB then comes and goes before the
    # data is made, rather than on top of it.
    lead, _kek = Workspace.sign_in(path, lead_login, passphrase)
    try:
        stage(
            "training",
            lambda: build_large_training(workspace, more["staff"], more["training_records"]),
        )
        stage(
            "risk register",
            lambda: build_large_register(workspace, more["risks"], more["actions"]),
        )
        stage("incident plans", lambda: build_large_incidents(workspace, more["plans"]))
        stage(
            "concerns",
            lambda: build_large_concerns(
                lead.database,
                lead.actor,
                lead.concerns.retention_rule(),
                more["concerns"],
                more["entries"],
            ),
        )
    finally:
        lead.close()
    report(f"demo data complete in {time.perf_counter() - started:.1f} s")


def _current(workspace: Workspace) -> dict[str, int]:
    with workspace.database.reader() as session:
        return {
            name: session.scalar(
                select(func.count()).select_from(model).where(model.deleted.is_(False))  # type: ignore[attr-defined]
            )
            or 0
            for name, model in _MODELS.items()
        }
