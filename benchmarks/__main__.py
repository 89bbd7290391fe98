"""`make bench`: run every benchmark, print the table, write bench-results/results.json."""

from __future__ import annotations

import sys

from benchmarks.harness import main

if __name__ == "__main__":
    sys.exit(main())
