"""Target 1: from process start to the unlock window painted, at most 2x a bare PySide6 window.

Both are separate processes of the same Python on Qt's offscreen platform, started in turn
(app, bare window, app, ...) and timed from just before the process is started to the
`time.monotonic()` each prints after its window's first paint event (the app does so under
PREVENT_DESKTOP_EXIT_AFTER_FIRST_PAINT=1, see prevent_desktop.app). One run of each first warms
the disk cache and the compiled-bytecode cache; the medians are of the runs after it.

The database is a small one made for the purpose: nothing before the unlock window's first
paint reads the database, so its size does not matter here (target 2 uses the large one).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import processes
from benchmarks.results import Row, ratio_row

REPEATS = 15
PASSPHRASE = "benchmark passphrase 2026"
EXIT_AFTER_FIRST_PAINT = "PREVENT_DESKTOP_EXIT_AFTER_FIRST_PAINT"


def launch(arguments: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting `python <arguments>` to each moment it reports ("first-paint",
    and from the app "ready": the unlock window has read who can sign in)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    moments = {
        name: float(value) - started
        for name, _, value in (line.partition(" ") for line in done.stdout.splitlines())
        if name in ("first-paint", "ready")
    }
    if "first-paint" not in moments:
        raise RuntimeError(
            f"{' '.join(arguments)} reported no first paint (exit code {done.returncode}): "
            f"{done.stderr.strip()[-2000:]}"
        )
    return moments


def make_database(folder: Path) -> Path:
    from prevent_desktop.store.database import Database

    path = folder / "startup.db"
    database, _ = Database.create(
        path,
        site_name="Start-up",
        site_code="S",
        login="sam",
        display_name="Sam",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    database.close()
    return path


def run() -> list[Row]:
    env = processes.environment(**{EXIT_AFTER_FIRST_PAINT: "1"})
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        db = make_database(data)
        app = ["-m", "prevent_desktop", "--data-dir", str(data), "--db", str(db)]
        bare = ["-m", "benchmarks.startup_window"]
        launch(app, env)  # warm-up runs, not counted
        launch(bare, env)
        # In turn, so that a burst of load from elsewhere falls on both alike.
        pairs = [(launch(app, env), launch(bare, env)["first-paint"]) for _ in range(REPEATS)]
    app_s = statistics.median(moments["first-paint"] for moments, _bare in pairs)
    bare_s = statistics.median(bare for _moments, bare in pairs)
    ready = statistics.median(moments.get("ready", float("nan")) for moments, _bare in pairs)
    ratios = statistics.quantiles([moments["first-paint"] / bare for moments, bare in pairs])
    return [
        ratio_row(
            "start-up: process start → unlock window painted",
            app_s,
            bare_s,
            at_most=2.0,
            notes=f"baseline: a bare QWidget painted; medians of {REPEATS} runs each, in turn, "
            f"offscreen (the run-by-run ratio's middle half: {ratios[0]:.2f}–{ratios[2]:.2f}×); "
            f"the window had read who can sign in (the store loaded on the worker meanwhile) "
            f"{ready * 1000:.0f} ms after start",
        )
    ]
