"""The environment benchmark subprocesses run in: Qt offscreen, and compiled bytecode cached.

An installed app runs from compiled bytecode (.pyc); a shell with PYTHONDONTWRITEBYTECODE set
would make every start compile every module again, which is not what a user's start costs. So
the bytecode goes to a cache of the benchmarks' own (bench-results/pycache, through
PYTHONPYCACHEPREFIX) instead of beside the sources, and each benchmark's warm-up run fills it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from benchmarks.results import RESULTS_DIR

PYCACHE = RESULTS_DIR / "pycache"


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def json_session(module: str, args: list[str], passphrase: str, timeout_s: float) -> dict[str, Any]:
    """Run `python -m module args...` with the passphrase in BENCH_PASSPHRASE, and return the
    last line of JSON it printed (a failure raises, with the end of its error output)."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=environment(BENCH_PASSPHRASE=passphrase),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        name = module.rsplit(".", 1)[-1].replace("_", " ")
        raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
