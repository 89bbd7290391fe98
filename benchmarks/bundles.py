"""Target 5: sync bundles. Exporting the whole database, and merge-importing that bundle into an
equally large database with half its records changed, each at most 3x a raw `executemany`
insert of the same rows into SQLCipher; each in at most 300 MB, whatever the bundle's size.

The export is the laptop-to-laptop transfer (`SyncService.export_to_paired`): a whole-database
bundle encrypted to the receiving laptop's age key, streamed. (A passphrase bundle is built in
memory, as pyrage cannot stream scrypt, and is capped at 512 MB: it is the exception for a
stick without a laptop key. A head-office quarterly bundle carries one return, not the
database.)

The receiver is a second copy of the shared demo database (benchmarks/datasets.py,
BENCH_SIZE), made a laptop of its own (`renew_device_identity`, as a restored backup is), on
which, before anything is timed, half the records are changed by SQL so that the import
merges real differences, in every record type:
- records that can change: of every 4 rows, one holds an older version here (the bundle's
  wins: updated), one was edited here after the sender's version (kept); one in 50 of those
  edited here was edited on both laptops (a conflict, kept for review);
- append-only records (chronologies, reviews, notes): half of them are this laptop's own
  instead of the sender's (new ids), so the sender's half arrives as new rows;
- the audit log: this laptop keeps a log of its own as long as the sender's, and holds the
  first half of the sender's log as received before; the later half arrives as new entries.

The baseline inserts every row the bundle carries (each synced table's rows, the audit entries
into the table imports keep them in) into a fresh SQLCipher database with the same tables and
indexes, opened by the app's own engine settings (WAL, synchronous FULL, raw key): one
transaction, `executemany` per chunk of rows; only the inserts and the commit are timed.

Export and import each run in a process of their own (`python -m benchmarks.bundles`), signed
in with a key-encryption key derived once (Argon2id is not the workload); the process's peak
resident memory is taken over the timed work only (VmHWM reset just before it, on Linux).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import processes
from benchmarks.datasets import MANAGER, Dataset, large_database
from benchmarks.results import RESULTS_DIR, Row, ratio_row
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import build_engine
from prevent_desktop.store.keyslots import KeyFile, new_database_key
from prevent_desktop.sync import device
from prevent_desktop.sync.bundle_export import AUDIT_COLUMNS
from prevent_desktop.sync.bundle_import import IMPORT_CACHE_KIB
from prevent_desktop.sync.merge import APPEND_ONLY_TYPES
from prevent_desktop.sync.record_codec import record_types

RUNS = {"small": 3, "medium": 3, "large": 1}
AT_MOST = 3.0
PEAK_MB = 300.0
BASELINE_CHUNK = 20_000  # rows read (untimed) per executemany
# A random version 4 UUID, in SQL: the receiver's own rows get new ids.
NEW_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || "
    "'-' || lower(hex(randomblob(6)))"
)


# ---- the receiver: the same database as another laptop, half its records changed -----------


def prepare_receiver(path: Path, kek: bytes) -> tuple[str, dict[str, int]]:
    """Make `path` another laptop of the site with half its records changed; returns its age
    recipient (what the sender encrypts to) and how many rows of each kind were changed."""
    database, _user = Database.unlock_with_kek(path, MANAGER, kek, verify_pages=False)
    sender = database.device_id
    try:
        with database.writer(user_id=None, login=MANAGER) as session:
            session.info["tracking"].importing = True
            device.renew_device_identity(session)
    finally:
        database.close()
    database, _user = Database.unlock_with_kek(path, MANAGER, kek, verify_pages=False)
    try:
        recipient = device.keys_for(database, login=MANAGER).card.age_recipient
        changed = _change_half(database, sender, database.device_id)
        database.record_audit_head()  # the key file follows the log as this laptop now has it
    finally:
        database.close()
    return recipient, changed


def _change_half(database: Database, sender: str, receiver: str) -> dict[str, int]:
    now_ms = int(time.time() * 1000)
    older = f"{1_600_000_000_000:015d}-000000-{sender}"  # before any demo stamp
    later = f"{now_ms + 60_000:015d}-000000-{receiver}"  # after the sender's export
    changed = {"older here": 0, "edited here": 0, "both edited": 0, "own rows": 0}
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # Rows go in by SQL, parents possibly after children: the import puts them right.
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("BEGIN IMMEDIATE")
        sender_path, receiver_path = f'$."{sender}"', f'$."{receiver}"'
        # Version vectors: one change fewer from the sender (it has changed the record since),
        # one change of this laptop's (changed here since), or both (a conflict).
        one_less = f"max(coalesce(json_extract(versions, '{sender_path}'), 1) - 1, 0)"
        older_here = f"json_set(versions, '{sender_path}', {one_less})"
        edited_here = f"json_set(versions, '{receiver_path}', 1)"
        edited_both = f"json_set(versions, '{receiver_path}', 1, '{sender_path}', {one_less})"
        at = f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime())}.000000+00:00"
        changes = (
            ("older here", older_here, older, "2020-09-13T12:26:40.000000+00:00", "% 4 = 0"),
            ("edited here", edited_here, later, at, "% 4 = 2 AND rowid % 200 != 2"),
            ("both edited", edited_both, later, at, "% 200 = 2"),
        )
        for kind in record_types():
            table = kind.table.name
            if kind.name in APPEND_ONLY_TYPES:
                changed["own rows"] += _own_rows(cursor, kind, receiver, later)
                continue
            for what, versions, stamp, when, rows in changes:
                cursor.execute(
                    f"UPDATE {table} SET hlc = ?, updated_at = ?, versions = {versions} "
                    f"WHERE rowid {rows}",
                    (stamp, when),
                )
                changed[what] += cursor.rowcount
        # The audit log as another laptop holds it: the sender's entries up to the middle of
        # its log, received before (in remote_audit_entry), and a log of its own as long as
        # the sender's (this copy's entries, given new ids: the hash chain is this copy's
        # business, `check` would notice, not sync). The sender's later half is new here.
        (newest,) = cursor.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()
        half = newest // 2
        names = ", ".join(AUDIT_COLUMNS)
        taken = ", ".join("?" if name == "device_id" else name for name in AUDIT_COLUMNS)
        cursor.execute(
            f"INSERT INTO remote_audit_entry ({names}) SELECT {taken} FROM audit_entry "
            "WHERE seq <= ?",
            (sender, half),
        )
        changed["received before"] = cursor.rowcount
        cursor.execute(f"UPDATE audit_entry SET id = {NEW_UUID}")
        changed["own rows"] += cursor.rowcount
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()
    return changed


def _own_rows(cursor: Any, kind: Any, receiver: str, later: str) -> int:
    """Half of an append-only table becomes this laptop's own rows (new ids), so that the
    sender's rows arrive as new ones; the table keeps its size."""
    table = kind.table.name
    names = [column.name for column in kind.columns]
    own = {"id": NEW_UUID, "hlc": "?", "versions": "?"}
    picked = ", ".join(own.get(name, name) for name in names)
    cursor.execute(f"CREATE TEMP TABLE moved AS SELECT * FROM {table} WHERE rowid % 2 = 0")
    cursor.execute(f"DELETE FROM {table} WHERE rowid % 2 = 0")
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {picked} FROM moved",
        (later, json.dumps({receiver: 1})),
    )
    count: int = cursor.rowcount
    cursor.execute("DROP TABLE moved")
    return count


# ---- the baseline: the bundle's rows, inserted plainly ----------------------------------------


def baseline_insert(source: Path, kek: bytes, target: Path) -> tuple[float, int]:
    """Seconds to insert every row the bundle carries into a fresh database, and the rows."""
    database, _user = Database.unlock_with_kek(source, MANAGER, kek, verify_pages=False)
    engine = build_engine(target, new_database_key())
    reading, writing = database.engine.raw_connection(), engine.raw_connection()
    try:
        read, write = reading.cursor(), writing.cursor()
        tables = [kind.table.name for kind in record_types()]
        read.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index') "
            f"AND tbl_name IN ({', '.join('?' * (len(tables) + 1))}) ORDER BY type DESC",
            [*tables, "remote_audit_entry"],
        )
        for (statement,) in read.fetchall():
            write.execute(statement)
        # (target table, its columns, the query giving them): the export's order, parents first.
        sources: list[tuple[str, list[str], str, tuple[str, ...]]] = []
        for kind in record_types():
            names = [column.name for column in kind.columns]
            query = f"SELECT {', '.join(names)} FROM {kind.table.name} ORDER BY rowid"
            sources.append((kind.table.name, names, query, ()))
        audit = ", ".join("?" if name == "device_id" else name for name in AUDIT_COLUMNS)
        query = f"SELECT {audit} FROM audit_entry ORDER BY seq"
        sources.append(("remote_audit_entry", list(AUDIT_COLUMNS), query, (database.device_id,)))
        elapsed, rows = 0.0, 0
        start = time.perf_counter()
        # The page cache the import's transaction has (the engine's own is smaller): with
        # the engine's, the baseline's random-id index writes took twice as long.
        write.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        write.execute("BEGIN IMMEDIATE")
        write.execute("PRAGMA defer_foreign_keys = ON")  # as the import does
        elapsed += time.perf_counter() - start
        for table, names, query, parameters in sources:
            read.execute(query, parameters)
            insert = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            )
            while chunk := read.fetchmany(BASELINE_CHUNK):
                start = time.perf_counter()
                write.executemany(insert, chunk)
                elapsed += time.perf_counter() - start
                rows += len(chunk)
        start = time.perf_counter()
        write.execute("COMMIT")
        elapsed += time.perf_counter() - start
    finally:
        reading.close()
        writing.close()
        engine.dispose()
        database.close()
    return elapsed, rows


# ---- export and import, each in a process of its own -------------------------------------------


def child(action: str, db: Path, bundle: Path, recipient: str, kek: bytes) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bundles", action, str(db), str(bundle), recipient],
        input=kek.hex(),
        env=processes.environment(),
        cwd=RESULTS_DIR.parent,
        capture_output=True,
        text=True,
        timeout=4 * 3600,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bundle {action} failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _reset_peak() -> bool:
    """Forget the peak so far (Linux): the timed work's own peak is what is reported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float:
    """The process's peak resident memory in MB (10^6 bytes)."""
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        if found:
            return int(found.group(1)) * 1024 / 1e6
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak * (1 if sys.platform == "darwin" else 1024) / 1e6


def child_main(argv: list[str]) -> int:
    from prevent_desktop.services.workspace import Workspace

    action, db, bundle, recipient = argv[0], Path(argv[1]), Path(argv[2]), argv[3]
    kek = bytes.fromhex(sys.stdin.read().strip())
    workspace = Workspace.sign_in_with_kek(db, MANAGER, kek)
    try:
        whole_process = not _reset_peak()
        start = time.perf_counter()
        if action == "export":
            done: Any = workspace.sync.export_to_paired(bundle, extra_recipients=[recipient])
            summary: dict[str, Any] = {"counts": done.counts}
        else:
            done = workspace.sync.import_bundle(bundle, trust=True)
            summary = {"per_type": done.as_json()}
        seconds = time.perf_counter() - start
        peak = _peak_mb()
    finally:
        workspace.close()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "whole": whole_process, **summary}))
    return 0


# ---- the run --------------------------------------------------------------------------------


def _kek(dataset: Dataset) -> bytes:
    slot = KeyFile.for_database(dataset.path).slot_for_login(MANAGER)
    return slot.derive_kek(dataset.passphrase)


def run() -> list[Row]:
    dataset = large_database()
    kek = _kek(dataset)
    runs = RUNS[dataset.size]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sender = dataset.copy_to(root / "sender")
        prepared = dataset.copy_to(root / "receiver")
        recipient, changed = prepare_receiver(prepared, kek)
        exports: list[dict[str, Any]] = []
        imports: list[dict[str, Any]] = []
        baselines: list[float] = []
        rows = 0
        for number in range(runs):
            bundle = root / f"bundle-{number}.pdbundle"
            exports.append(child("export", sender, bundle, recipient, kek))
            baseline = root / f"baseline-{number}" / "baseline.db"
            baseline.parent.mkdir()
            seconds, rows = baseline_insert(sender, kek, baseline)
            baselines.append(seconds)
            shutil.rmtree(baseline.parent)
            # Each import into a fresh copy of the prepared receiver (an import changes it).
            receiver = Dataset(prepared, dataset.passphrase, dataset.size).copy_to(
                root / f"receiver-{number}"
            )
            imports.append(child("import", receiver, bundle, recipient, kek))
            shutil.rmtree(receiver.parent)
            bundle_mb = bundle.stat().st_size / 2**20
            bundle.unlink()
    return rows_for(dataset.size, exports, imports, baselines, rows, changed, bundle_mb, runs)


def rows_for(
    size: str,
    exports: list[dict[str, Any]],
    imports: list[dict[str, Any]],
    baselines: list[float],
    rows: int,
    changed: dict[str, int],
    bundle_mb: float,
    runs: int,
) -> list[Row]:
    baseline = statistics.median(baselines)
    export_s = statistics.median(e["seconds"] for e in exports)
    import_s = statistics.median(i["seconds"] for i in imports)
    outcome: dict[str, int] = {}
    for tally in imports[-1]["per_type"].values():
        for name, count in tally.items():
            outcome[name] = outcome.get(name, 0) + count
    said_changes = ", ".join(f"{name} {count:,}" for name, count in changed.items())
    said_outcome = ", ".join(f"{name} {count:,}" for name, count in outcome.items())
    base = (
        f"baseline: executemany of the bundle's {rows:,} rows into a fresh SQLCipher database "
        f"(same tables and indexes, the app's engine settings with the import's page cache), "
        f"one transaction; "
        + (f"medians of {runs} runs each, in turn" if runs > 1 else "one run each, in turn")
    )
    export_peak = max(e["peak_mb"] for e in exports)
    import_peak = max(i["peak_mb"] for i in imports)
    over = "the whole process" if exports[-1]["whole"] else "the timed work"
    return [
        ratio_row(
            f"sync bundle export, whole database ({size})",
            export_s,
            baseline,
            at_most=AT_MOST,
            notes=f"export_to_paired (laptop to laptop, age recipient, streamed); bundle "
            f"{bundle_mb:,.0f} MB; peak {export_peak:.0f} MB; {base}",
        ),
        ratio_row(
            f"sync bundle merge-import, half the records changed ({size})",
            import_s,
            baseline,
            at_most=AT_MOST,
            notes=f"import_bundle into a copy made another laptop, changed beforehand: "
            f"{said_changes}; outcome: {said_outcome}; peak {import_peak:.0f} MB; {base}",
        ),
        _peak_row(f"peak memory, bundle export ({size})", export_peak, over),
        _peak_row(f"peak memory, bundle merge-import ({size})", import_peak, over),
    ]


def _peak_row(name: str, peak: float, over: str) -> Row:
    return Row(
        name=name,
        figure=peak,
        baseline=None,
        ratio=None,
        target=f"≤ {PEAK_MB:g} MB",
        met=peak <= PEAK_MB,
        unit="MB",
        notes=f"peak resident memory (VmHWM) of the process doing it, over {over}; MB = 10^6 bytes",
    )


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
