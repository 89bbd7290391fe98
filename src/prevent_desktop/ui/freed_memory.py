"""Giving freed heap back to the system after a large load.

A head-office tab load builds and drops tens of megabytes of rows; glibc keeps the freed heap
for reuse, so the resident size stays at the peak (issue 9, target 7: measured 73 MB kept
after every tab had loaded). `malloc_trim(0)` hands the free pages back. Other C libraries and
platforms return memory their own way, or keep it: there it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import sys
from collections.abc import Callable

logger = logging.getLogger(__name__)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def release_freed_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
