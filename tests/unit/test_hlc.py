"""The hybrid logical clock never runs backwards and orders stamps the same everywhere."""

from __future__ import annotations

from datetime import date

import pytest

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import ThreatLevelChange
from prevent_desktop.sync.hlc import HlcStamp, HybridLogicalClock
from tests.conftest import PASSPHRASE


class FakeTime:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_even_when_the_wall_clock_goes_back() -> None:
    time = FakeTime(1_000)
    clock = HybridLogicalClock("dev-a", now_ms=time)
    first = clock.now()
    time.ms = 500  # the laptop's clock was corrected backwards
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert second.wall_ms == 1_000 and second.counter == 1


def test_observing_a_later_remote_stamp_moves_the_clock_on() -> None:
    time = FakeTime(1_000)
    clock = HybridLogicalClock("dev-a", now_ms=time)
    remote = HlcStamp(5_000, 3, "dev-b")
    seen = clock.observe(remote)
    assert seen > remote
    assert clock.now() > seen


def test_encoding_sorts_like_the_stamp() -> None:
    stamps = [HlcStamp(1, 2, "b"), HlcStamp(1, 10, "a"), HlcStamp(20, 0, "a"), HlcStamp(1, 2, "a")]
    assert sorted(s.encode() for s in stamps) == [s.encode() for s in sorted(stamps)]
    for stamp in stamps:
        assert HlcStamp.decode(stamp.encode()) == stamp


def test_device_ids_with_dashes_survive_encoding() -> None:
    stamp = HlcStamp(123, 4, "0f7c-uuid-like-id")
    assert HlcStamp.decode(stamp.encode()) == stamp


def test_decode_rejects_rubbish() -> None:
    with pytest.raises(ValueError):
        HlcStamp.decode("12-3-x")


def test_clock_resumes_after_restart(workspace: Workspace) -> None:
    workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today())
    last = workspace.site.threat_history()[0]
    path = workspace.database.path
    workspace.close()
    again, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
    try:
        assert again.database.clock.now() > HlcStamp.decode(_hlc_of(again, last.id))
    finally:
        again.close()


def _hlc_of(workspace: Workspace, record_id: str) -> str:
    with workspace.database.reader() as session:
        change = session.get(ThreatLevelChange, record_id)
        assert change is not None
        return change.hlc
