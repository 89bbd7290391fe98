"""Run every benchmark, print a table and write bench-results/results.json."""

from __future__ import annotations

import json
import platform
from pathlib import Path

from benchmarks import unlock

RESULTS = Path("bench-results")


def main() -> None:
    rows = unlock.run()
    print(f"{'benchmark':<46} {'figure':>10} {'baseline':>10} {'ratio':>7}  target")
    for row in rows:
        print(
            f"{row['name']:<46} {row['figure_s']:>9.3f}s {row['baseline_s']:>9.3f}s "
            f"{row['ratio']:>7.2f}  {row['target']}"
        )
    RESULTS.mkdir(exist_ok=True)
    machine = {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }
    (RESULTS / "results.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
