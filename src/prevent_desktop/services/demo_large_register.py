"""The large demo's risk register: the strategy's starter risks as they apply to each
campus, programme and partner, over the four strategy areas; open, monitored and closed, with
their review history (some reviews overdue) and action plans in every status."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from prevent_desktop.domain.risk import (
    ActionStatus,
    RiskStatus,
    add_months,
    format_reference,
    next_review,
    reference_number,
    review_time,
)
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.demo_large_shares import share_exactly, weighted
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.bulk_create import add_created
from prevent_desktop.store.models import SyncedRecord, new_id
from prevent_desktop.store.risk_models import Risk, RiskAction, RiskReview

BATCH = 1000  # risks per transaction, with their reviews and actions
WHERE = (
    "Leeds campus",
    "Bradford campus",
    "York campus",
    "Hull campus",
    "Sheffield campus",
    "care apprenticeships",
    "engineering programmes",
    "digital programmes",
    "construction programmes",
    "hair and beauty programmes",
    "subcontracted delivery",
    "employer sites",
    "evening cohorts",
    "16 to 18 year olds",
    "remote learners",
    "new starters",
    "the learner hostel",
    "the minibus service",
    "the online platform",
)
OWNERS = (
    "Alex Morgan",
    "Priya Shah",
    "Chidi Obi",
    "Head of delivery",
    "Head of quality",
    "IT provider",
    "Facilities manager",
    "Curriculum manager",
    "Employer engagement lead",
)
_STATUSES = ((RiskStatus.OPEN, 0.55), (RiskStatus.MONITORING, 0.30), (RiskStatus.CLOSED, 0.15))
_FREQUENCIES = ((1, 0.1), (3, 0.5), (6, 0.3), (12, 0.1))
_PAST_DUE = (
    (ActionStatus.DONE, 0.72),
    (ActionStatus.CANCELLED, 0.13),
    (ActionStatus.IN_PROGRESS, 0.10),
    (ActionStatus.NOT_STARTED, 0.05),
)
_COMING_DUE = (
    (ActionStatus.NOT_STARTED, 0.35),
    (ActionStatus.IN_PROGRESS, 0.45),
    (ActionStatus.DONE, 0.15),
    (ActionStatus.CANCELLED, 0.05),
)
ACTIONS = (
    "Brief all staff on the updated Prevent guidance",
    "Add Prevent to the new-starter induction checklist",
    "Confirm web filtering categories with the IT provider",
    "Run a British values session with each cohort",
    "Review the external speaker requests of the last term",
    "Meet the local Prevent coordinator",
    "Update the lockdown plan after the last drill",
    "Check that subcontractors have a Prevent policy",
    "Survey learners on feeling safe at the centre",
    "Publish the acceptable use policy in the learner handbook",
    "Set up a termly welfare check-in for every apprentice",
    "Brief employers on Prevent at the employer forum",
)
COMMENTS = (
    "Controls in place and working; no change.",
    "Two concerns this quarter handled within timescales.",
    "New staff not yet trained: likelihood raised.",
    "Filtering logs reviewed with the IT provider.",
    "Drill held; findings added to the action plan.",
    "Employer forum briefed; fewer issues reported.",
)


def build_large_register(workspace: Workspace, risks: int, actions: int) -> dict[str, int]:
    """`risks` more risks with `actions` more actions among them."""
    rng = random.Random(7001)
    today = date.today()
    starter = load_json("starter_register.json")
    categories = {c.name: c.id for c in workspace.risks.categories()}
    database, actor = workspace.database, workspace.actor
    with database.reader() as session:
        taken = max(map(reference_number, session.scalars(select(Risk.reference))), default=0)
    counts = share_exactly([rng.uniform(0, 2) for _ in range(risks)], actions)
    made = {"risk": 0, "risk_review": 0, "risk_action": 0}
    for start in range(0, risks, BATCH):
        rows: dict[type[SyncedRecord], list[dict[str, Any]]] = {
            Risk: [],
            RiskReview: [],
            RiskAction: [],
        }
        for number in range(start, min(risks, start + BATCH)):
            template = starter["risks"][number % len(starter["risks"])]
            risk = _risk(rng, template, categories, taken + number + 1, today)
            rows[Risk].append(risk)
            rows[RiskReview] += _reviews(rng, risk, actor.user_id, actor.display_name)
            rows[RiskAction] += [_action(rng, risk, today) for _ in range(counts[number])]
        with database.writer(user_id=actor.user_id, login=actor.login) as session:
            for model, batch in rows.items():
                add_created(session, model, batch)
                made[model.record_type] += len(batch)
    return made


def _risk(
    rng: random.Random,
    template: dict[str, Any],
    categories: dict[str, str],
    number: int,
    today: date,
) -> dict[str, Any]:
    created = today - timedelta(days=rng.randint(30, 5 * 365))
    frequency = weighted(rng, _FREQUENCIES)
    likelihood, impact = (max(1, min(5, v + rng.randint(-1, 1))) for v in template["inherent"])
    residual = (rng.randint(1, likelihood), rng.randint(1, impact))
    reviewed = None
    if (today - created).days > frequency * 30:
        # Most reviewed on time, some late: their next review is overdue. The newest are
        # not due their first review yet.
        reviewed = today - timedelta(days=rng.randint(0, int(frequency * 30 * 1.25)))
        reviewed = max(reviewed, created)
    return {
        "id": new_id(),
        "created_at": datetime.combine(created, time(9, 30), UTC),
        "reference": format_reference(number),
        "title": f"{template['title']}: {rng.choice(WHERE)}",
        "description": template["description"],
        "area": template["area"],
        "objectives": ",".join(sorted(template["objectives"])),
        "category_id": categories.get(template["category"]),
        "owner": rng.choice(OWNERS),
        "inherent_likelihood": likelihood,
        "inherent_impact": impact,
        "controls": "\n".join(f"• {control}" for control in template["controls"]),
        "residual_likelihood": residual[0],
        "residual_impact": residual[1],
        "status": weighted(rng, _STATUSES).value,
        "review_frequency_months": frequency,
        "next_review_on": next_review(reviewed or created, frequency),
        "last_reviewed_by": "Alex Morgan" if reviewed else "",
        "last_reviewed_at": review_time(reviewed) if reviewed else None,
        "notes": "",
    }


def _reviews(
    rng: random.Random, risk: dict[str, Any], user_id: str, name: str
) -> list[dict[str, Any]]:
    """The review history behind the last review, one review period apart."""
    last = risk["last_reviewed_at"]
    if last is None:
        return []
    inherent = risk["inherent_likelihood"] * risk["inherent_impact"]
    residual = risk["residual_likelihood"] * risk["residual_impact"]
    reviews, on = [], last.date()
    created = risk["created_at"].date()
    for _ in range(rng.randint(1, 3)):
        if on < created:
            break
        before = min(25, residual + rng.choice((0, 0, 1, 2)))
        reviews.append(
            {
                "risk_id": risk["id"],
                "reviewed_at": review_time(on),
                "created_at": review_time(on),
                "reviewed_by_user_id": user_id,
                "reviewer_name": name,
                "inherent_before": inherent,
                "residual_before": before,
                "inherent_after": inherent,
                "residual_after": residual,
                "comment": rng.choice(COMMENTS),
            }
        )
        residual = before
        on = add_months(on, -risk["review_frequency_months"])
    return reviews


def _action(rng: random.Random, risk: dict[str, Any], today: date) -> dict[str, Any]:
    created = risk["created_at"].date()
    due = created + timedelta(days=rng.randint(14, 400))
    if risk["status"] == RiskStatus.CLOSED.value:
        status = weighted(rng, ((ActionStatus.DONE, 0.85), (ActionStatus.CANCELLED, 0.15)))
    elif due < today - timedelta(days=60):
        status = weighted(rng, _PAST_DUE)  # long due: mostly done, a few overdue
    else:
        status = weighted(rng, _COMING_DUE)
    done = None
    if status is ActionStatus.DONE:
        done = max(created, min(today, due + timedelta(days=rng.randint(-30, 20))))
    return {
        "risk_id": risk["id"],
        "created_at": risk["created_at"],
        "description": rng.choice(ACTIONS),
        "owner": rng.choice(OWNERS),
        "due_on": due,
        "status": status.value,
        "completed_on": done,
        "evidence": "Minutes of the meeting" if done else "",
    }
