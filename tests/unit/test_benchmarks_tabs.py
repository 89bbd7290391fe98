"""The tabs benchmark's rows (benchmarks/tabs.py), made from made-up sessions: no app is started
and no timing is taken here, only how the child's figures become rows."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import tabs

TABS = ["Overview", "Risk register", "Concern log"]


def cold(shown: float) -> dict[str, Any]:
    return {
        "mode": "cold",
        "cold": {
            "Risk register": {"loaded": 0.02, "shown": 0.03},
            "Concern log": {"loaded": shown - 0.01, "shown": shown},
        },
        "again": {"Overview": 0.004, "Risk register": 0.005, "Concern log": 0.006},
        "memory_unlocked": {"rss": 185.0, "hwm": 448.0},
        "peak_reset": True,
        "memory_unlock_window": {"rss": 180.0, "hwm": 180.0},
        "memory_ready": {"rss": 200.0, "hwm": 200.0},
        "memory_visited": {"rss": 210.0, "hwm": 250.0},
        "memory_after_load": {
            "Risk register": {"rss": 205.0, "hwm": 240.0},
            "Concern log": {"rss": 210.0, "hwm": 250.0},
        },
    }


def preloaded(key: float, hwm: float) -> dict[str, Any]:
    # "ab" typed then deleted: two keys typed, two Backspaces.
    filters = {"texts": ["ab"], "rows_total": 10, "rows_shown_min": 1}
    return {
        "mode": "preloaded",
        "preloaded": 1.5,
        "first_show": {"Risk register": 0.02, "Concern log": 0.01},
        "blank": [0.001, 0.002, 0.001],
        "filters": {
            "Concern log": {
                **filters,
                "keys": [0.01, key, 0.01, 0.01],
                "baseline_keys": [0.001] * 4,
            },
            "Training matrix": {**filters, "keys": [0.002] * 4, "baseline_keys": [0.001] * 4},
        },
        "memory_unlocked": {"rss": 185.0, "hwm": 448.0},
        "peak_reset": True,
        "memory_unlock_window": {"rss": 180.0, "hwm": 180.0},
        "memory_ready": {"rss": 200.0, "hwm": 200.0},
        "memory_visited": {"rss": 220.0, "hwm": hwm},
    }


def test_nearest_rank_percentile() -> None:
    values = [float(n) for n in range(1, 101)]
    assert tabs.percentile(values, 0.95) == 95.0
    assert tabs.percentile(values, 0.5) == 50.0
    assert tabs.percentile([3.0], 0.95) == 3.0


def test_rows_judge_each_figure_against_its_limit() -> None:
    sessions = [cold(0.2), cold(0.1), cold(0.3), preloaded(0.09, 300.0), preloaded(0.01, 450.0)]
    first_cold, first_preloaded, concerns, training, memory = tabs.rows_for(sessions, "small, x")

    # The slowest tab, as the median of its sessions, against that tab shown again.
    assert first_cold["figure"] == pytest.approx(0.2)
    assert first_cold["baseline"] == pytest.approx(0.006)
    assert not first_cold["met"] and first_cold["target"] == "≤ 150 ms"
    assert "slowest tab: Concern log" in first_cold["notes"]

    assert first_preloaded["figure"] == pytest.approx(0.02) and first_preloaded["met"]
    assert first_preloaded["baseline"] == pytest.approx(0.001)

    # 8 keys, one of 90 ms: the nearest-rank p95 is that key, and it was typed, not deleted.
    assert concerns["figure"] == pytest.approx(0.09) and not concerns["met"]
    assert "p95 of the keys typed 90 ms, of the Backspaces 10 ms" in concerns["notes"]
    assert training["figure"] == pytest.approx(0.002) and training["met"]
    assert training["target"] == "≤ 50 ms"

    # The highest peak of any session, against the unlock window's resident set.
    assert memory["figure"] == 450.0 and memory["unit"] == "MB"
    assert memory["baseline"] == 180.0
    assert not memory["met"] and memory["target"] == "< 400 MB"
    assert "Risk register 205 MB (peak 240)" in memory["notes"]  # which load grew it
    assert "448 MB" in memory["notes"]  # the key derivation's peak, said but not counted
