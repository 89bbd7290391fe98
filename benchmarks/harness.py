"""Running the benchmarks: choose, run, print one table, keep the results as JSON.

`python -m benchmarks` runs every module in BENCHMARKS; `--only NAME` one of them (its rows
replace that benchmark's rows in the results file, the others' are kept if they came from this
machine); `--readme` also rewrites README.md's table. The machinery takes any mapping of names
to `run()` callables, so tests drive it with a fake benchmark and no timings.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import readme
from benchmarks.results import RESULTS_DIR, Row, bench_size

RESULTS_FILE = RESULTS_DIR / "results.json"

# Name -> module; each module has `run() -> list[Row]`. Imported only when run, so that
# `--only startup` does not pay for importing what the others need.
BENCHMARKS = {
    "startup": "benchmarks.startup",
    "unlock": "benchmarks.unlock",
    "storage": "benchmarks.storage",
    "pdfs": "benchmarks.pdfs",
    "bundles": "benchmarks.bundles",
    "tabs": "benchmarks.tabs",
}

Runner = Callable[[], list[Row]]


def module_runners(names: Sequence[str]) -> dict[str, Runner]:
    def runner(module: str) -> Runner:
        return lambda: importlib.import_module(module).run()  # type: ignore[no-any-return]

    return {name: runner(BENCHMARKS[name]) for name in names}


# ---- the machine -----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures depend on: the hardware, the OS and the versions of what is timed."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": _version("PySide6"),
        "sqlalchemy": _version("SQLAlchemy"),
        "reportlab": _version("reportlab"),
        "sqlcipher": _sqlcipher_version(),
        "prevent_desktop": _version("prevent-desktop"),
        "commit": _commit(),
    }


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        return _output(["sysctl", "-n", "machdep.cpu.brand_string"]) or platform.processor()
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None  # Windows has no sysconf; the CPU and OS still say what ran it
    return round(total / 2**30, 1)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _sqlcipher_version() -> str | None:
    try:
        import sqlcipher3
    except ImportError:
        return None
    connection = sqlcipher3.connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()
    finally:
        connection.close()
    return f"{cipher[0] if cipher else '?'} (SQLite {sqlite[0]})"


def _commit() -> str | None:
    commit = _output(["git", "rev-parse", "--short", "HEAD"])
    if commit is None:
        return None
    # Plumbing only (it writes nothing): exit status 1 when the tree differs from HEAD.
    changed = subprocess.run(["git", "diff-index", "--quiet", "HEAD", "--"], check=False)
    return f"{commit} with uncommitted changes" if changed.returncode == 1 else commit


def _output(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


# ---- running ---------------------------------------------------------------------------------


def run_benchmarks(runners: Mapping[str, Runner]) -> list[dict[str, Any]]:
    """Each benchmark's rows, tagged with the benchmark's name. One that fails is reported as a
    failed row, so that a long run still gives the others' figures."""
    rows: list[dict[str, Any]] = []
    for name, run in runners.items():
        print(f"running {name}…", file=sys.stderr, flush=True)
        try:
            produced = run()
        except Exception as error:  # a benchmark's bug must not hide the other figures
            produced = [_failed(name, error)]
        rows += [{"benchmark": name, **row} for row in produced]
    return rows


def _failed(name: str, error: BaseException) -> Row:
    return Row(
        name=f"{name} (failed)",
        figure=float("nan"),
        baseline=None,
        ratio=None,
        target="",
        met=False,
        unit="",
        notes=f"{type(error).__name__}: {error}",
    )


def results(
    rows: list[dict[str, Any]], *, size: str, now: datetime | None = None
) -> dict[str, Any]:
    return {
        "date": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "size": size,
        "machine": machine(),
        "rows": rows,
    }


def merged(new: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """`new` plus the rows of benchmarks it did not run, when `previous` came from the same
    machine and data size (rows from elsewhere would not compare)."""
    if previous is None:
        return new
    same = {k: v for k, v in previous.get("machine", {}).items() if k != "commit"} == {
        k: v for k, v in new["machine"].items() if k != "commit"
    } and previous.get("size") == new["size"]
    if not same:
        return new
    ran = {row["benchmark"] for row in new["rows"]}
    kept = [
        {**row, "date": row.get("date", previous.get("date"))}
        for row in previous.get("rows", [])
        if row.get("benchmark") not in ran
    ]
    dated = [{**row, "date": new["date"]} for row in new["rows"]]
    return {**new, "rows": _ordered(dated + kept)}


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {name: index for index, name in enumerate(BENCHMARKS)}
    return sorted(rows, key=lambda row: order.get(row.get("benchmark", ""), len(order)))


def write_results(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_results(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


# ---- printing --------------------------------------------------------------------------------


def figure_text(value: float | None, unit: str) -> str:
    if value is None or value != value:  # None or NaN
        return "—"
    if unit == "s" and value < 1:
        return f"{value * 1000:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.1f} {unit}"


def ratio_text(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a fixed-width text table, notes under it by number."""
    heads = ("benchmark", "figure", "baseline", "ratio", "target", "")
    lines = [
        (
            row["name"],
            figure_text(row["figure"], row["unit"]),
            figure_text(row["baseline"], row["unit"]),
            ratio_text(row["ratio"]),
            row["target"],
            "✓" if row["met"] else "✗",
        )
        for row in rows
    ]
    widths = [max(len(str(cells[i])) for cells in [heads, *lines]) for i in range(len(heads))]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        aligned = (cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
        return "  ".join([first.ljust(widths[0]), *aligned])

    out = [line(heads), "  ".join("-" * w for w in widths)]
    out += [line(cells) for cells in lines]
    notes = [f"  {row['name']}: {row['notes']}" for row in rows if row.get("notes")]
    return "\n".join(out + (["", *notes] if notes else []))


# ---- the command -----------------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None,
    *,
    runners: Mapping[str, Runner] | None = None,
    results_file: Path = RESULTS_FILE,
    readme_file: Path = readme.README,
) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run the performance benchmarks (issue 9). BENCH_SIZE=small|medium|large "
        "chooses the demo database (default large).",
    )
    available = runners if runners is not None else BENCHMARKS
    parser.add_argument("--only", choices=sorted(available), help="run this benchmark only")
    parser.add_argument(
        "--readme", action="store_true", help="also rewrite the table in README.md's Performance"
    )
    args = parser.parse_args(argv)
    names = [args.only] if args.only else list(available)
    chosen = (
        {name: runners[name] for name in names} if runners is not None else module_runners(names)
    )
    rows = run_benchmarks(chosen)
    data = results(rows, size=bench_size())
    if args.only:
        data = merged(data, read_results(results_file))
    else:
        data["rows"] = [{**row, "date": data["date"]} for row in data["rows"]]
    write_results(data, results_file)
    print(table(data["rows"]))
    print(f"\nwritten to {results_file}")
    if args.readme:
        readme.rewrite(readme_file, data)
        print(f"table rewritten in {readme_file}")
    # A missed target is a finding, not a failure of the run; a benchmark that crashed is.
    return 1 if any(row["name"].endswith("(failed)") for row in rows) else 0
