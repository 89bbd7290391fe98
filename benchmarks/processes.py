"""The environment benchmark subprocesses run in: Qt offscreen, and compiled bytecode cached.

An installed app runs from compiled bytecode (.pyc); a shell with PYTHONDONTWRITEBYTECODE set
would make every start compile every module again, which is not what a user's start costs. So
the bytecode goes to a cache of the benchmarks' own (bench-results/pycache, through
PYTHONPYCACHEPREFIX) instead of beside the sources, and each benchmark's warm-up run fills it.
"""

from __future__ import annotations

import os

from benchmarks.results import RESULTS_DIR

PYCACHE = RESULTS_DIR / "pycache"


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env
