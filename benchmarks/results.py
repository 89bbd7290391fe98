"""What a benchmark returns, and how it is judged: one row per figure, next to its baseline.

Every benchmark module has `run() -> list[Row]`. A row's `figure` and `baseline` were measured
in the same run, so `ratio` stays meaningful on a shared, noisy machine; `met` says whether the
issue's target (written out in `target`) holds for this run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

# Where results, the cached demo databases and the benchmarks' bytecode go: in the checkout,
# whatever the current directory (git ignores it).
RESULTS_DIR = Path(__file__).resolve().parents[1] / "bench-results"
SIZE_VARIABLE = "BENCH_SIZE"
SIZES = ("small", "medium", "large")


def bench_size() -> str:
    """The demo data size the benchmarks run on: BENCH_SIZE, large unless said otherwise."""
    size = os.environ.get(SIZE_VARIABLE, "large")
    if size not in SIZES:
        raise SystemExit(f"{SIZE_VARIABLE}={size!r}: use one of {', '.join(SIZES)}")
    return size


class Row(TypedDict):
    name: str
    figure: float
    baseline: float | None
    ratio: float | None
    target: str
    met: bool
    unit: str
    notes: str


def ratio_row(
    name: str,
    figure: float,
    baseline: float,
    *,
    at_most: float,
    unit: str = "s",
    notes: str = "",
) -> Row:
    """A row whose target is a ratio to the baseline: figure / baseline <= `at_most`."""
    ratio = figure / baseline if baseline else None
    return Row(
        name=name,
        figure=figure,
        baseline=baseline,
        ratio=ratio,
        target=f"≤ {at_most:g}×",
        met=ratio is not None and ratio <= at_most,
        unit=unit,
        notes=notes,
    )


def overhead_row(
    name: str, figure: float, baseline: float, *, at_most: float, unit: str = "s", notes: str = ""
) -> Row:
    """A row whose target is what the figure adds: figure - baseline <= `at_most`."""
    overhead = figure - baseline
    said = f"overhead {overhead:.3f} {unit}"
    return Row(
        name=name,
        figure=figure,
        baseline=baseline,
        ratio=figure / baseline if baseline else None,
        target=f"+{at_most:g} {unit}",
        met=overhead <= at_most,
        unit=unit,
        notes=f"{said}; {notes}" if notes else said,
    )


def median_time(action: Callable[[], Any], repeats: int) -> float:
    """The median wall time of `repeats` calls of `action`, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(
    first: Callable[[], float], second: Callable[[], float], repeats: int
) -> tuple[float, float]:
    """Medians of two measurements taken in turn (A, B, A, B...), so that a burst of load from
    elsewhere on the machine falls on both alike. Each callable returns its own timing."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        a.append(first())
        b.append(second())
    return statistics.median(a), statistics.median(b)


def timed(action: Callable[[], Any]) -> Callable[[], float]:
    """`action` as a callable returning how long it took, for `interleaved_medians`."""

    def run() -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    return run
