"""Property: laptops that edit, delete and sync in any order end with the same data once every
laptop has heard from every other, and no append-only entry is ever lost.

Each example runs on real encrypted databases and real bundle files. The fleet is made once per
test (making sites is the slow part) and every example ends converged, so the next example
starts from a consistent, ever richer state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from prevent_desktop.store.risk_models import RiskReview
from tests.unit.sync_support import Fleet, audit_ids, risk_input, snapshot

TITLES = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).filter(str.strip)


def operations(laptops: int) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    laptop = st.integers(0, laptops - 1)
    pick = st.integers(0, 10_000)
    return st.lists(
        st.one_of(
            st.tuples(st.just("create"), laptop, TITLES),
            st.tuples(st.just("edit"), laptop, pick, TITLES),
            st.tuples(st.just("delete"), laptop, pick),
            st.tuples(st.just("review"), laptop, pick),
            st.tuples(st.just("sync"), laptop, laptop),
        ),
        min_size=1,
        max_size=14,
    )


def _apply(fleet: Fleet, op: tuple[Any, ...], reviews: set[str]) -> None:
    kind, index = op[0], op[1]
    ws = fleet.laptops[index]
    live = [risk.id for risk in ws.risks.list_risks()]
    if kind == "create":
        ws.risks.create_risk(risk_input(op[2]))
    elif kind == "sync":
        if op[2] != index:
            fleet.send(index, op[2])
    elif not live:
        return
    elif kind == "edit":
        ws.risks.update_risk(live[op[2] % len(live)], risk_input(op[3]))
    elif kind == "delete":
        ws.risks.delete_risk(live[op[2] % len(live)])
    elif kind == "review":
        ws.risks.record_review(live[op[2] % len(live)], comment=f"review on laptop {index}")
        with ws.database.reader() as session:
            reviews.update(session.scalars(select(RiskReview.id)))


def _round(fleet: Fleet) -> None:
    """Each laptop sends to each other one."""
    count = len(fleet.laptops)
    for sender in range(count):
        for receiver in range(count):
            if sender != receiver:
                fleet.send(sender, receiver)


def _converge(fleet: Fleet) -> set[str]:
    """Twice round. Returns the audit entries written anywhere before the second round, which
    every laptop must then hold."""
    _round(fleet)
    written = set.union(*(audit_ids(ws) for ws in fleet.laptops))
    _round(fleet)
    return written


def _check(fleet: Fleet, reviews: set[str], audit_written: set[str]) -> None:
    first = snapshot(fleet.laptops[0])
    for other in fleet.laptops[1:]:
        assert snapshot(other) == first
    kept = {row["id"] for row in first["risk_review"]}
    assert reviews <= kept, "an append-only review was lost"
    for ws in fleet.laptops:
        assert audit_written <= audit_ids(ws), "an audit entry was lost"


def _fleet(folder: Path, laptops: int) -> Fleet:
    fleet = Fleet(folder)
    fleet.first()
    for _ in range(laptops - 1):
        fleet.join()
    fleet.pair_all()
    _converge(fleet)
    return fleet


@pytest.mark.parametrize("laptops", [2, 3])
def test_laptops_converge_whatever_the_order_of_edits_and_syncs(
    tmp_path: Path, laptops: int
) -> None:
    fleet = _fleet(tmp_path / "site", laptops)
    reviews: set[str] = set()

    @settings(
        max_examples=12 if laptops == 2 else 8,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(operations(laptops))
    def edits_then_sync(ops: list[tuple[Any, ...]]) -> None:
        for op in ops:
            _apply(fleet, op, reviews)
        _check(fleet, reviews, _converge(fleet))

    try:
        edits_then_sync()
    finally:
        fleet.close()
