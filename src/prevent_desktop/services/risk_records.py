"""Between the risk register's tables and its views: copying input onto rows, validating
actions, and computing what a row shows (RAG, overdue flags, action counts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from prevent_desktop.domain.risk import SCALE, ActionStatus, RagThresholds, RiskStatus
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.risk_views import (
    ActionInput,
    ActionView,
    ReviewView,
    RiskInput,
    RiskView,
)
from prevent_desktop.store.risk_models import Risk, RiskAction


def check_scale(name: str, value: int) -> None:
    if value not in SCALE:
        raise ValidationError(f"{name.capitalize()} must be from 1 to 5.")


def live_record(session: Session, model: type[Any], record_id: str, what: str) -> Any:
    record = session.get(model, record_id)
    if record is None or record.deleted:
        raise ValidationError(f"That {what} no longer exists; it may have been deleted.")
    return record


def apply_risk(risk: Risk, data: RiskInput) -> None:
    risk.title = data.title.strip()
    risk.description = data.description.strip()
    risk.area = data.area.value
    risk.objectives = ",".join(sorted(o.value for o in data.objectives))
    risk.category_id = data.category_id
    risk.owner = data.owner.strip()
    risk.inherent_likelihood = data.inherent_likelihood
    risk.inherent_impact = data.inherent_impact
    risk.controls = data.controls.strip()
    risk.residual_likelihood = data.residual_likelihood
    risk.residual_impact = data.residual_impact
    risk.status = data.status.value
    risk.review_frequency_months = data.review_frequency_months
    assert data.next_review_on is not None
    risk.next_review_on = data.next_review_on
    risk.notes = data.notes.strip()


def validate_action(data: ActionInput) -> None:
    problems = []
    if not data.description.strip():
        problems.append("Describe the action.")
    if not data.owner.strip():
        problems.append("Every action needs an owner.")
    if data.due_on is None:
        problems.append("Set a due date.")
    if data.status is ActionStatus.DONE and data.completed_on is None:
        problems.append("Give the date the action was completed.")
    if data.completed_on is not None and data.completed_on > date.today():
        problems.append("An action cannot be completed in the future.")
    if problems:
        raise ValidationError(" ".join(problems))


def apply_action(action: RiskAction, data: ActionInput) -> None:
    action.description = data.description.strip()
    action.owner = data.owner.strip()
    assert data.due_on is not None
    action.due_on = data.due_on
    action.status = data.status.value
    action.completed_on = data.completed_on if data.status is ActionStatus.DONE else None
    action.evidence = data.evidence.strip()


def risk_view(
    risk: Risk | Any,  # or a row of its columns
    category_names: dict[str, str],
    actions: Iterable[ActionView],
    reviews: tuple[ReviewView, ...],
    thresholds: RagThresholds,
    today: date,
) -> RiskView:
    actions = tuple(actions)
    status = RiskStatus(risk.status)
    return RiskView(
        id=risk.id,
        reference=risk.reference,
        title=risk.title,
        description=risk.description,
        area=StrategyArea(risk.area),
        objectives=tuple(Objective(o) for o in risk.objectives.split(",") if o),
        category_id=risk.category_id,
        category=category_names.get(risk.category_id or "", ""),
        owner=risk.owner,
        inherent_likelihood=risk.inherent_likelihood,
        inherent_impact=risk.inherent_impact,
        controls=risk.controls,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        status=status,
        review_frequency_months=risk.review_frequency_months,
        next_review_on=risk.next_review_on,
        last_reviewed_by=risk.last_reviewed_by,
        last_reviewed_at=risk.last_reviewed_at,
        notes=risk.notes,
        rag=thresholds.rag(risk.residual_likelihood * risk.residual_impact),
        review_overdue=status is not RiskStatus.CLOSED and risk.next_review_on < today,
        open_actions=sum(1 for a in actions if not a.status.finished),
        overdue_actions=sum(1 for a in actions if a.overdue),
        actions=actions,
        reviews=reviews,
    )
