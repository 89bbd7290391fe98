"""Target 4: the encryption's cost, at most 1.2x: the application's own storage workload on
SQLCipher against the same code on plain SQLite, on identical data.

Both runs start from the shared demo database (benchmarks/datasets.py, BENCH_SIZE): one on a
fresh copy of it, encrypted as the app keeps it; one on a fresh plaintext export of it, opened
through the same engine, Database and services (benchmarks/plain_store.py says how, and why it
is no production switch). The runs take turns, which goes first alternating, after one warm-up
of each; each starts from new copies, so both see the same data and the same disk cache.

The workload, as the manager and the safeguarding lead, through the services only: inserts
(risks with actions, staff and their training, concerns with chronology entries), updates
(risks edited and reviewed, staff edited, concerns moved on), list pages (the register, the
training matrix, the concern log as the lead, incident plans, the overview) and searches (a
concern by reference, concerns and risks opened, training histories). Signing in is not timed.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks import plain_store
from benchmarks.datasets import LEAD, MANAGER, Dataset, large_database
from benchmarks.results import Row, interleaved_medians, ratio_row
from prevent_desktop.domain.concern import ConcernStatus, EntryKind, ImmediateRisk, SubjectKind
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.reports.concern_page import find_concern_id
from prevent_desktop.services.concern_views import ConcernDetails, ConcernInput, PersonDetails
from prevent_desktop.services.risk_views import ActionInput, RiskInput
from prevent_desktop.services.training_views import CompletionInput, StaffInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import KeyFile

RUNS = 3  # of each, after a warm-up of each
RISKS = 60
STAFF = 60
CONCERNS = 30
LIST_REPEATS = 2
LOOKUPS = 20
PHASES = ("inserts", "updates", "list pages", "searches")


@dataclass
class Session:
    manager: Workspace
    lead: Workspace

    def close(self) -> None:
        self.manager.close()
        self.lead.close()


def sign_in(path: Path, keks: dict[str, bytes], *, plain: bool) -> Session:
    """Both users, with their key-encryption keys derived once (Argon2id is not the workload).
    The page check at opening is left out on the plaintext copy, which has no page MACs."""

    def open_as(login: str) -> Workspace:
        database, user_id = Database.unlock_with_kek(
            path, login, keks[login], verify_pages=not plain
        )
        return Workspace.for_user(database, user_id)

    return Session(open_as(MANAGER), open_as(LEAD))


# ---- the workload ----------------------------------------------------------------------------


def _risk(number: int, today: date) -> RiskInput:
    return RiskInput(
        title=f"Benchmark risk {number}: apprentices exposed to extremist material online",
        area=list(StrategyArea)[number % len(StrategyArea)],
        owner="Alex Morgan",
        inherent_likelihood=1 + number % 5,
        inherent_impact=1 + (number * 3) % 5,
        residual_likelihood=1 + number % 3,
        residual_impact=1 + number % 4,
        next_review_on=today + timedelta(days=30 + number),
        description="Raised in the benchmark's workload; filtering and supervision in place.",
        controls="Web filtering, supervised sessions, staff trained to notice and share.",
    )


def _concern(number: int, concern_type: str) -> ConcernInput:
    observed = datetime.now(UTC) - timedelta(days=number % 20, hours=3)
    return ConcernInput(
        observed_at=observed,
        concern_type=concern_type,
        immediate_risk=list(ImmediateRisk)[number % 3],
        details=ConcernDetails(
            person=PersonDetails(
                SubjectKind.APPRENTICE,
                f"Benchmark Apprentice {number}",
                learner_reference=f"BEN-{number:05d}",
                date_of_birth=date(2004, 1 + number % 12, 1 + number % 28),
                employer="Harbour Freight Ltd",
                programme="Level 3 Supply Chain",
                stage="In learning",
            ),
            account="Said in a session that a named group 'deserved what was coming' and "
            "showed others a video from a channel the filtering had blocked at home.",
            location="Workshop 2",
            context="During a group discussion of the news.",
        ),
    )


def workload(session: Session) -> dict[str, float]:
    """Seconds per phase."""
    manager, lead = session.manager, session.lead
    today = date.today()
    timings: dict[str, float] = {}

    def phase(name: str, action: Callable[[], None]) -> None:
        start = time.perf_counter()
        action()
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

    risk_ids: list[str] = []
    staff_ids: list[str] = []
    concern_ids: list[str] = []
    roles = manager.training.job_roles()
    courses = manager.training.courses()
    concern_type = lead.concerns.options("type")[0]

    def inserts() -> None:
        for number in range(RISKS):
            risk_id = manager.risks.create_risk(_risk(number, today)).ids[0]
            manager.risks.add_action(
                risk_id,
                ActionInput("Brief the team on the filtering report", "Chidi Obi", today),
            )
            risk_ids.append(risk_id)
        people = [
            StaffInput(f"Benchmark Staff {n}", roles[n % len(roles)], date(2020, 1, 1))
            for n in range(STAFF)
        ]
        staff_ids.extend(manager.training.add_staff_many(people).ids)
        manager.training.record_completions(
            [
                ([staff_id], CompletionInput(course.id, today - timedelta(days=100 + n)))
                for n, staff_id in enumerate(staff_ids)
                for course in courses[: 1 + n % 3]
            ]
        )
        for number in range(CONCERNS):
            concern_id = lead.concerns.log_concern(_concern(number, concern_type)).ids[0]
            for entry in range(2):
                lead.concerns.add_entry(
                    concern_id, EntryKind.NOTE, f"Spoke with the tutor ({entry + 1})."
                )
            concern_ids.append(concern_id)

    def updates() -> None:
        for number, risk_id in enumerate(risk_ids):
            manager.risks.update_risk(risk_id, _risk(number + 1, today))
            manager.risks.record_review(risk_id, comment="Reviewed at the monthly meeting.")
        for n, staff_id in enumerate(staff_ids):
            manager.training.update_staff(
                staff_id, StaffInput(f"Benchmark Staff {n} (moved)", roles[0], date(2020, 1, 1))
            )
        for concern_id in concern_ids:
            lead.concerns.change_status(
                concern_id, ConcernStatus.UNDER_REVIEW, "Screened by the lead."
            )

    def list_pages() -> None:
        manager.risks.list_risks()
        manager.training.matrix()
        manager.incidents.plans()
        manager.overview.overview()
        lead.concerns.list_concerns()
        lead.concerns.lead_counts()

    def change_between_visits(number: int) -> None:
        # As in use, and it forgets the reads the services keep until the next commit
        # (Database.cached_read), so each round of list pages reads the file. Not timed.
        manager.risks.record_review(risk_ids[number], comment="Looked at again.")

    def searches() -> None:
        # A reference is found through its index, as the command line finds it.
        find_concern_id(lead, lead.concerns.reference_of(concern_ids[0]))
        for concern_id in concern_ids[:LOOKUPS]:
            lead.concerns.open_concern(concern_id)
        for risk_id in risk_ids[:LOOKUPS]:
            manager.risks.get_risk(risk_id)
        for staff_id in staff_ids[:LOOKUPS]:
            manager.training.history(staff_id, courses[0].id)

    phase("inserts", inserts)
    phase("updates", updates)
    for number in range(LIST_REPEATS):
        change_between_visits(number)
        phase("list pages", list_pages)
    phase("searches", searches)
    return timings


# ---- running ---------------------------------------------------------------------------------


def page_read_time(path: Path, keks: dict[str, bytes], *, plain: bool) -> float:
    """Seconds for SQLite to read every page of the file through a new connection (its own
    page cache empty, the operating system's warm): the cipher's cost with nothing around it."""
    with plain_store.unencrypted() if plain else contextlib.nullcontext():
        database, _user = Database.unlock_with_kek(
            path, MANAGER, keks[MANAGER], migrate=False, verify_pages=not plain
        )
        try:
            with database.engine.connect() as connection:
                start = time.perf_counter()
                connection.exec_driver_sql("PRAGMA quick_check").all()
                return time.perf_counter() - start
        finally:
            database.close()


def _keks(dataset: Dataset) -> dict[str, bytes]:
    key_file = KeyFile.for_database(dataset.path)
    return {
        login: key_file.slot_for_login(login).derive_kek(dataset.passphrase)
        for login in (MANAGER, LEAD)
    }


def run() -> list[Row]:
    dataset = large_database()
    keks = _keks(dataset)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # The plaintext original: exported once from the encrypted one, then copied per run.
        source = dataset.copy_to(root / "source")
        opened = sign_in(source, keks, plain=False)
        key = opened.manager.database.key
        opened.close()
        pristine = root / "plain-source" / source.name
        pristine.parent.mkdir()
        plain_store.export_plaintext(source, key, pristine)

        def one_run(number: int, *, plain: bool) -> dict[str, float]:
            folder = root / f"run-{number}-{'plain' if plain else 'encrypted'}"
            try:
                if plain:
                    path = Dataset(pristine, dataset.passphrase, dataset.size).copy_to(folder)
                    with plain_store.unencrypted():
                        session = sign_in(path, keks, plain=True)
                        return measured(session, "pysqlite")
                session = sign_in(dataset.copy_to(folder), keks, plain=False)
                return measured(session, "pysqlcipher")
            finally:
                shutil.rmtree(folder)  # a large copy is a gigabyte: one at a time on disk

        def measured(session: Session, driver: str) -> dict[str, float]:
            try:
                # Each run is on the engine it says it is on.
                assert session.manager.database.engine.dialect.driver == driver
                return workload(session)
            finally:
                session.close()

        scan_encrypted, scan_plain = interleaved_medians(
            lambda: page_read_time(source, keks, plain=False),
            lambda: page_read_time(pristine, keks, plain=True),
            RUNS,
        )
        one_run(0, plain=False)  # warm-ups: SQLAlchemy's statement caches, the disk cache
        one_run(0, plain=True)
        encrypted: list[dict[str, float]] = []
        plain: list[dict[str, float]] = []
        for number in range(1, RUNS + 1):
            # Which goes first alternates, so neither always follows the other.
            for is_plain in (False, True) if number % 2 else (True, False):
                (plain if is_plain else encrypted).append(one_run(number, plain=is_plain))

    def total(runs: list[dict[str, float]]) -> float:
        return statistics.median(sum(run.values()) for run in runs)

    def each(runs: list[dict[str, float]], name: str) -> float:
        return statistics.median(run[name] for run in runs)

    phases = "; ".join(
        f"{name} {each(encrypted, name):.2f} s vs {each(plain, name):.2f} s "
        f"({each(encrypted, name) / each(plain, name):.2f}×)"
        for name in PHASES
    )
    return [
        ratio_row(
            f"storage workload on SQLCipher vs plain SQLite ({dataset.size})",
            total(encrypted),
            total(plain),
            at_most=1.2,
            notes=f"the same services on identical data; medians of {RUNS} runs each, in turn; "
            f"per phase (encrypted vs plain): {phases}; for comparison, reading every page "
            f"(PRAGMA quick_check on a new connection): {scan_encrypted:.2f} s vs "
            f"{scan_plain:.2f} s ({scan_encrypted / scan_plain:.2f}×)",
        )
    ]
