"""Freed heap handed back after a large load (ui/freed_memory.py), measured on this process."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from prevent_desktop.ui.freed_memory import _malloc_trim, release_freed_memory


def resident_kib() -> int:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_heap_a_load_dropped_goes_back_to_the_system() -> None:
    assert _malloc_trim() is not None
    # Rows of a kilobyte (sealed blobs, long texts) come from malloc, not Python's own arenas;
    # one allocated after them, still in use, keeps glibc from trimming the heap by itself.
    rows = [f"row {n} ".ljust(1000) for n in range(60_000)]
    survivor = "kept".ljust(1000)
    del rows
    gc.collect()
    before = resident_kib()
    release_freed_memory()
    assert resident_kib() < before - 20_000  # tens of megabytes back
    assert survivor.strip() == "kept"
