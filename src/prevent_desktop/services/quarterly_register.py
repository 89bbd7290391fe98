"""The quarterly return's risk register: every live risk with its action plan, its reviews in
the quarter and whether it changed in the quarter."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from prevent_desktop.services.quarterly_history import (
    changed_between,
    day_after,
    day_start,
    utc_day,
)
from prevent_desktop.services.risk_views import ActionView, RiskView
from prevent_desktop.store.risk_models import Risk, RiskAction, RiskReview

if TYPE_CHECKING:
    from prevent_desktop.domain.quarter import Quarter
    from prevent_desktop.services.workspace import Workspace

RISK_RECORD_TYPES = ("risk", "risk_action", "risk_review")


def risks_section(workspace: Workspace, quarter: Quarter, as_of: date) -> list[dict[str, Any]]:
    """The register as it stands, with review and action deadlines judged on `as_of` (the
    quarter's last day, or today while the quarter is still running). Risks and actions
    added after `as_of` are left out: they belong to a later quarter."""
    service = workspace.risks
    low, high = day_start(quarter.start), day_after(as_of)
    with workspace.database.reader() as session:
        created = {
            record_id: utc_day(moment)
            for model in (Risk, RiskAction)
            for record_id, moment in session.execute(select(model.id, model.created_at))
        }
        owners = {
            record_id: risk_id
            for model in (RiskAction, RiskReview)
            for record_id, risk_id in session.execute(select(model.id, model.risk_id))
        }
        changed = {
            record_id if record_type == "risk" else owners.get(record_id, "")
            for record_type, record_id in changed_between(session, RISK_RECORD_TYPES, low, high)
        }
    out = []
    for listed in service.list_risks(as_of):
        if created.get(listed.id, as_of) > as_of:
            continue
        risk = service.get_risk(listed.id, as_of)
        actions = [a for a in risk.actions if created.get(a.id, as_of) <= as_of]
        out.append(_risk(risk, actions, quarter, as_of, risk.id in changed))
    return out


def _risk(
    risk: RiskView, actions: list[ActionView], quarter: Quarter, as_of: date, changed: bool
) -> dict[str, Any]:
    reviews = [
        {
            "reviewed_on": utc_day(review.reviewed_at).isoformat(),
            "residual_score": review.residual_after,
            "comment": review.comment,
        }
        for review in sorted(risk.reviews, key=lambda r: r.reviewed_at)
        if quarter.start <= utc_day(review.reviewed_at) <= as_of
    ]
    return {
        "id": risk.id,
        "reference": risk.reference,
        "title": risk.title,
        "area": risk.area.label,
        "category": risk.category,
        "owner": risk.owner,
        "status": risk.status.value,
        "inherent_score": risk.inherent_score,
        "residual_score": risk.residual_score,
        "rag": risk.rag.value,
        "next_review_on": risk.next_review_on.isoformat() if risk.next_review_on else None,
        "review_overdue": risk.review_overdue,
        "objectives": [objective.value for objective in risk.objectives],
        "actions": [
            {
                "id": action.id,
                "description": action.description,
                "owner": action.owner,
                "due_on": action.due_on.isoformat(),
                "status": action.status.value,
                "overdue": action.overdue,
            }
            for action in actions
        ],
        "reviews_in_quarter": reviews,
        "changed_in_quarter": changed or bool(reviews),
    }
