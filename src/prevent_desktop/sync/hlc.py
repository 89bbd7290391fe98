"""Hybrid logical clock: stamps that follow real time but never run backwards.

Every synced record carries the stamp of its last change. Stamps order by wall time, then a
counter for changes within one millisecond, then the device id, so two laptops never produce
equal stamps and "last writer wins" has one answer everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class HlcStamp:
    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        # Fixed-width digits so that the text sorts like the stamp.
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> HlcStamp:
        wall, counter, device = text.split("-", 2)
        # ASCII digits only (int() would take "+", "_" or other scripts' digits): then a
        # stamp's text sorts exactly as the stamp does.
        if not (
            len(wall) == 15
            and len(counter) == 6
            and (wall + counter).isascii()
            and (wall + counter).isdigit()
            and device
        ):
            raise ValueError(f"not a clock stamp: {text!r}")
        return cls(int(wall), int(counter), device)


def system_millis() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    def __init__(
        self,
        device: str,
        last: HlcStamp | None = None,
        now_ms: Callable[[], int] = system_millis,
    ) -> None:
        self.device = device
        self._now_ms = now_ms
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0

    def now(self) -> HlcStamp:
        """The stamp for a local change: later than every stamp seen so far."""
        physical = self._now_ms()
        if physical > self._wall:
            self._wall, self._counter = physical, 0
        else:
            self._counter += 1
        return HlcStamp(self._wall, self._counter, self.device)

    def observe(self, remote: HlcStamp) -> HlcStamp:
        """Take in a stamp from another device so later local stamps sort after it."""
        physical = self._now_ms()
        wall = max(self._wall, remote.wall_ms, physical)
        if wall == self._wall and wall == remote.wall_ms:
            counter = max(self._counter, remote.counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self._wall, self._counter = wall, counter
        return HlcStamp(wall, counter, self.device)
