"""The app's cycle collector on the UI thread: Python's thresholds, and Python's rule that the
oldest generation waits until the heap has grown by a quarter since it was last collected."""

from __future__ import annotations

import gc
import sys

import pytest

from prevent_desktop.ui import garbage_collector
from prevent_desktop.ui.garbage_collector import MainThreadGarbageCollector


@pytest.fixture
def collected(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The generations collected, instead of collecting them (the package's own collector
    keeps running for the other tests)."""
    done: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: done.append(generation) or 0)
    return done


def test_the_oldest_generation_waits_for_the_heap_to_grow(
    monkeypatch: pytest.MonkeyPatch, collected: list[int]
) -> None:
    blocks = [1_000_000]
    monkeypatch.setattr(sys, "getallocatedblocks", lambda: blocks[0])
    collector = MainThreadGarbageCollector()
    collector._thresholds = (700, 10, 10)
    counts = [(701, 11, 11)]
    monkeypatch.setattr(gc, "get_count", lambda: counts[0])

    collector.check()  # every threshold crossed, but the heap is as it was: not a full pass
    blocks[0] = 1_240_000
    collector.check()  # grown by less than a quarter
    blocks[0] = 1_260_000
    collector.check()  # grown by more: the full pass, and the heap measured afresh after it
    collector.check()
    counts[0] = (701, 11, 3)
    collector.check()
    counts[0] = (701, 3, 3)
    collector.check()
    counts[0] = (5, 3, 3)
    collector.check()
    assert collected == [1, 1, 2, 1, 1, 0]
    assert garbage_collector.FULL_COLLECTION_GROWTH == 1.25
