"""Making the next batches of demo rows while the database writes this one.

Making a batch (text, sealing) and writing it (stamps, audit entries, SQLCipher) are both
mostly Python, so a thread gains little: where the platform can fork, a child process makes
the batches and the parent writes them, one core each. The child is a copy of the parent, so
the safeguarding key it seals with is never sent anywhere; only sealed rows come back. It
makes the batches in order, so the same seed still gives the same demo.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_AHEAD = 2  # batches made and waiting at most


def prepared_ahead(batches: Iterator[T]) -> Iterator[T]:
    """The items of `batches`, the next ones made while the caller works on this one. Only
    the maker advances `batches`: a child process where this one can fork safely (the
    platform forks, and no other thread is running that a fork could catch holding a lock),
    otherwise a thread. Items must pickle."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        yield from _from_child(batches)
    else:
        yield from _from_thread(batches)


def _from_child(batches: Iterator[T]) -> Iterator[T]:
    context = multiprocessing.get_context("fork")
    queue: Any = context.Queue(_AHEAD)
    child = context.Process(target=_make, args=(batches, queue), daemon=True)
    child.start()
    try:
        while True:
            kind, item = queue.get()
            if kind == "done":
                break
            if kind == "failed":
                raise RuntimeError(f"Making the demo data failed:\n{item}")
            yield item
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()


def _make(batches: Iterator[Any], queue: Any) -> None:
    try:
        for item in batches:
            queue.put(("item", item))
        queue.put(("done", None))
    except BaseException:  # reported to the parent, which raises it
        queue.put(("failed", traceback.format_exc()))


def _from_thread(batches: Iterator[T]) -> Iterator[T]:
    done = object()
    with ThreadPoolExecutor(1, thread_name_prefix="demo-batches") as helper:
        upcoming = helper.submit(next, batches, done)
        while (item := upcoming.result()) is not done:
            upcoming = helper.submit(next, batches, done)
            yield item  # type: ignore[misc]
