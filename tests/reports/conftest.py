"""A register with something distinctive in it: a risk, an overdue action and a review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from prevent_desktop.domain.risk import ActionStatus
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.services.risk_views import ActionInput, RiskInput
from prevent_desktop.services.workspace import Workspace

TITLE = "Unvetted speaker booked for the Bradford open evening"
ACTION = "Check the speaker against the visiting speaker policy"


@dataclass(frozen=True)
class Added:
    risk_id: str
    title: str
    action: str


def add_risk(workspace: Workspace, title: str = TITLE, *, overdue_review: bool = False) -> str:
    today = date.today()
    change = workspace.risks.create_risk(
        RiskInput(
            title=title,
            area=StrategyArea.MANAGING_RISKS,
            owner="Sam Patel",
            inherent_likelihood=4,
            inherent_impact=5,
            residual_likelihood=3,
            residual_impact=4,
            next_review_on=today - timedelta(days=3) if overdue_review else today + timedelta(90),
            controls="• Speaker request form\n• Manager signs off every booking",
        )
    )
    return change.ids[0]


@pytest.fixture
def register(workspace: Workspace) -> Added:
    risk_id = add_risk(workspace, overdue_review=True)
    workspace.risks.add_action(
        risk_id,
        ActionInput(
            ACTION, "Dana Okafor", date.today() - timedelta(days=5), ActionStatus.NOT_STARTED
        ),
    )
    workspace.risks.add_action(
        risk_id,
        ActionInput(
            "Brief reception staff",
            "Tom Reed",
            date.today() - timedelta(days=20),
            ActionStatus.DONE,
            completed_on=date.today() - timedelta(days=21),
            evidence="Briefing notes, signed register",
        ),
    )
    workspace.risks.record_review(
        risk_id, comment="Booking process tightened.", residual_likelihood=2
    )
    return Added(risk_id, TITLE, ACTION)
