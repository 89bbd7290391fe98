"""What the risk register shows and accepts: plain values, no ORM objects past the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from prevent_desktop.domain.risk import ActionStatus, Rag, RiskStatus
from prevent_desktop.domain.strategy import Objective, StrategyArea


@dataclass(frozen=True)
class RiskInput:
    """Everything a person types for a risk. Validated by RiskService."""

    title: str
    area: StrategyArea
    owner: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    next_review_on: date | None
    description: str = ""
    objectives: tuple[Objective, ...] = ()
    category_id: str | None = None
    controls: str = ""
    status: RiskStatus = RiskStatus.OPEN
    review_frequency_months: int = 3
    notes: str = ""


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date | None
    status: ActionStatus = ActionStatus.NOT_STARTED
    completed_on: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class ActionView:
    id: str
    risk_id: str
    description: str
    owner: str
    due_on: date
    status: ActionStatus
    completed_on: date | None
    evidence: str
    overdue: bool


@dataclass(frozen=True)
class ReviewView:
    id: str
    reviewed_at: datetime
    reviewer_name: str
    inherent_before: int
    residual_before: int
    inherent_after: int
    residual_after: int
    comment: str


@dataclass(frozen=True)
class RiskView:
    id: str
    reference: str
    title: str
    description: str
    area: StrategyArea
    objectives: tuple[Objective, ...]
    category_id: str | None
    category: str
    owner: str
    inherent_likelihood: int
    inherent_impact: int
    controls: str
    residual_likelihood: int
    residual_impact: int
    status: RiskStatus
    review_frequency_months: int
    next_review_on: date
    last_reviewed_by: str
    last_reviewed_at: datetime | None
    notes: str
    rag: Rag
    review_overdue: bool
    open_actions: int
    overdue_actions: int
    actions: tuple[ActionView, ...] = field(default=())
    reviews: tuple[ReviewView, ...] = field(default=())

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    def as_input(self) -> RiskInput:
        return RiskInput(
            title=self.title,
            area=self.area,
            owner=self.owner,
            inherent_likelihood=self.inherent_likelihood,
            inherent_impact=self.inherent_impact,
            residual_likelihood=self.residual_likelihood,
            residual_impact=self.residual_impact,
            next_review_on=self.next_review_on,
            description=self.description,
            objectives=self.objectives,
            category_id=self.category_id,
            controls=self.controls,
            status=self.status,
            review_frequency_months=self.review_frequency_months,
            notes=self.notes,
        )


@dataclass(frozen=True)
class CategoryView:
    id: str
    name: str
