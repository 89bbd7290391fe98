"""ConcernFilter.select: each condition on its own and together, over plain summaries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prevent_desktop.domain.concern import ConcernStatus, ImmediateRisk
from prevent_desktop.services.concern_views import ConcernSummary
from prevent_desktop.ui.tabs.concern_filters import OPEN, UNASSIGNED, ConcernFilter

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def summary(
    reference: str,
    status: ConcernStatus = ConcernStatus.REPORTED,
    *,
    kind: str = "Online radicalisation",
    risk: ImmediateRisk = ImmediateRisk.NONE,
    lead: str | None = None,
    overdue: bool = False,
    person: str | None = None,
    reporter: str = "Tom Reed",
) -> ConcernSummary:
    return ConcernSummary(
        id=reference.lower(),
        reference=reference,
        observed_at=WHEN,
        recorded_at=WHEN,
        reported_by_name=reporter,
        reported_by_role="Tutor",
        reported_by_me=False,
        concern_type=kind,
        immediate_risk=risk,
        status=status,
        status_changed_at=WHEN,
        assigned_lead_id=lead,
        assigned_lead_name="Dana" if lead else "",
        next_follow_up_on=None,
        follow_up_overdue=overdue,
        review_by=None,
        legal_hold=False,
        risk_id=None,
        risk_reference="",
        person=person,
    )


ROWS = [
    summary("C-1", person="Kyle Brown"),
    summary("C-2", ConcernStatus.CLOSED, lead="dana", reporter="Amy Kerr"),
    summary("C-3", kind="Extremist views", risk=ImmediateRisk.IMMEDIATE_DANGER, overdue=True),
    summary("C-4", ConcernStatus.REFERRED_PREVENT, lead="dana", person="Kyle Smith"),
]


@pytest.mark.parametrize(
    ("row_filter", "expected"),
    [
        (ConcernFilter(), ["C-1", "C-2", "C-3", "C-4"]),
        (ConcernFilter(status=OPEN), ["C-1", "C-3", "C-4"]),
        (ConcernFilter(status=ConcernStatus.CLOSED.value), ["C-2"]),
        (ConcernFilter(concern_type="Extremist views"), ["C-3"]),
        (ConcernFilter(risk=ImmediateRisk.IMMEDIATE_DANGER), ["C-3"]),
        (ConcernFilter(lead_id="dana"), ["C-2", "C-4"]),
        (ConcernFilter(lead_id=UNASSIGNED), ["C-1", "C-3"]),
        (ConcernFilter(overdue_only=True), ["C-3"]),
        (ConcernFilter(only_ids=frozenset({"c-2", "c-4"})), ["C-2", "C-4"]),
        # Every word, in any of the shown fields, in any case; never what is not shown.
        (ConcernFilter(text="  KYLE  "), ["C-1", "C-4"]),
        (ConcernFilter(text="kyle prevent"), ["C-4"]),
        (ConcernFilter(text="amy c-2"), ["C-2"]),
        (ConcernFilter(text="tutor"), []),
        (ConcernFilter(text="kyle", status=OPEN, lead_id="dana"), ["C-4"]),
    ],
)
def test_select_keeps_the_order_and_applies_every_condition(
    row_filter: ConcernFilter, expected: list[str]
) -> None:
    assert [s.reference for s in row_filter.select(ROWS)] == expected
    assert [s.reference for s in ROWS if row_filter.accepts(s)] == expected
