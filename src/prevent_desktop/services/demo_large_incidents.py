"""The large demo's incident plans: the starter plans as each campus keeps its own copy
(their steps, contacts and named leads), reviewed on time or not, with past drills (some
overdue now) and the odd real incident, each log closed with its outcome."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from prevent_desktop.domain.incident import LogKind, next_review
from prevent_desktop.domain.risk import add_months
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.demo_large_text import full_name
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.bulk_create import add_created
from prevent_desktop.store.incident_models import (
    IncidentLog,
    IncidentPlan,
    LogNote,
    LogStep,
    PlanStep,
)
from prevent_desktop.store.models import SyncedRecord, new_id, utc_now

CAMPUSES = (
    "Leeds",
    "Bradford",
    "York",
    "Hull",
    "Sheffield",
    "Wakefield",
    "Harrogate",
    "Doncaster",
    "Huddersfield",
    "Halifax",
    "Scarborough",
    "Rotherham",
    "Barnsley",
    "Grimsby",
    "Selby",
    "Skipton",
    "Dewsbury",
    "Keighley",
    "Goole",
    "Ripon",
    "Whitby",
    "Pontefract",
)
NOTES = (
    "Drill announced at the start of the session.",
    "Unannounced drill during the afternoon break.",
    "Two rooms slow to respond; reminded staff of the signal.",
    "Visitor book taken out this time.",
)
OUTCOMES = (
    "Everyone accounted for within the target time.",
    "All secured in under four minutes. One door lock to be replaced.",
    "Completed; the assembly point was too close to the road: moved.",
    "Completed well. New staff briefed on their role beforehand.",
)


def build_large_incidents(workspace: Workspace, plans: int) -> dict[str, int]:
    """`plans` more plans (the starter plans, one per campus), with their drills."""
    rng = random.Random(4242)
    today, now = date.today(), utc_now()
    seed = load_json("incident_plans.json")["plans"]
    contacts = {c.key: c.id for c in workspace.incidents.contacts() if c.key}
    made: dict[str, int] = {}
    rows: dict[type[SyncedRecord], list[dict[str, Any]]] = {
        IncidentPlan: [],
        PlanStep: [],
        IncidentLog: [],
        LogStep: [],
        LogNote: [],
    }
    for number in range(plans):
        template = seed[number % len(seed)]
        campus = CAMPUSES[number // len(seed) % len(CAMPUSES)]
        round_ = number // (len(seed) * len(CAMPUSES))
        title = f"{template['title']}: {campus}" + (f" ({round_ + 1})" if round_ else "")
        plan = _plan(rng, template, title, number, contacts, today)
        rows[IncidentPlan].append(plan)
        steps = [
            {
                "plan_id": plan["id"],
                "position": position,
                "phase": step["phase"],
                "role": step["role"],
                "text": step["text"],
                "created_at": plan["created_at"],
            }
            for position, step in enumerate(template["steps"], start=1)
        ]
        rows[PlanStep] += steps
        for started, kind in _runs(rng, plan, now):
            _log(rng, rows, plan, steps, started, kind)
    database, actor = workspace.database, workspace.actor
    with database.writer(user_id=actor.user_id, login=actor.login) as session:
        for model, batch in rows.items():
            add_created(session, model, batch)
            made[model.record_type] = len(batch)
    return made


def _plan(
    rng: random.Random,
    template: dict[str, Any],
    title: str,
    number: int,
    contacts: dict[str, str],
    today: date,
) -> dict[str, Any]:
    created = today - timedelta(days=rng.randint(400, 5 * 365))
    reviewed = today - timedelta(days=rng.randint(10, 420)) if rng.random() < 0.92 else None
    return {
        "id": new_id(),
        "created_at": datetime.combine(created, time(11), UTC),
        "title": title,
        "scenario": template.get("scenario", ""),
        "version": rng.randint(1, 4),
        "owner": full_name(rng),
        "incident_lead": full_name(rng),
        "deputy": full_name(rng),
        "security_lead": full_name(rng) if rng.random() < 0.8 else "",
        "last_reviewed_on": reviewed,
        "next_review_on": next_review(reviewed or created),
        "drill_every_months": int(template.get("drill_every_months", 0)),
        "contact_ids": "\n".join(
            contacts[k] for k in template.get("contacts", []) if k in contacts
        ),
        "sort_order": 100 + number,
    }


def _runs(
    rng: random.Random, plan: dict[str, Any], now: datetime
) -> list[tuple[datetime, LogKind]]:
    """Drills every period since the plan was made (the last ones sometimes missed), and now
    and then a real incident."""
    runs = []
    every = plan["drill_every_months"]
    day = plan["created_at"].date()
    while every:
        day = add_months(day, every) + timedelta(days=rng.randint(-20, 20))
        if day >= now.date() or rng.random() < 0.1:
            break  # a drill missed, or not due yet: later ones fall overdue
        runs.append((datetime.combine(day, time(rng.randint(9, 15), 5), UTC), LogKind.DRILL))
    if rng.random() < 0.15:
        day = plan["created_at"].date() + timedelta(days=rng.randint(1, 300))
        if day < now.date():
            runs.append((datetime.combine(day, time(10, 40), UTC), LogKind.INCIDENT))
    return runs[-6:]


def _log(
    rng: random.Random,
    rows: dict[type[SyncedRecord], list[dict[str, Any]]],
    plan: dict[str, Any],
    steps: list[dict[str, Any]],
    started: datetime,
    kind: LogKind,
) -> None:
    """A closed log with the plan's steps copied in and most of them ticked."""
    lead = plan["incident_lead"]
    log = {
        "id": new_id(),
        "created_at": started,
        "plan_id": plan["id"],
        "kind": kind.value,
        "plan_title": plan["title"],
        "plan_version": plan["version"],
        "started_at": started,
        "started_by_name": lead,
        "closed_at": started + timedelta(minutes=rng.randint(30, 90)),
        "closed_by_name": lead,
        "outcome": rng.choice(OUTCOMES),
    }
    rows[IncidentLog].append(log)
    for minute, step in enumerate(steps, start=1):
        done = rng.random() < 0.9
        rows[LogStep].append(
            {
                "log_id": log["id"],
                "created_at": started,
                "phase": step["phase"],
                "position": step["position"],
                "role": step["role"],
                "text": step["text"],
                "done_at": started + timedelta(minutes=minute) if done else None,
                "done_by_name": lead if done else "",
            }
        )
    rows[LogNote].append(
        {
            "log_id": log["id"],
            "created_at": started,
            "at": started + timedelta(minutes=1),
            "author_name": lead,
            "text": rng.choice(NOTES),
        }
    )
