"""The large demo's training matrix: thirty courses (the starter eleven and nineteen more,
added through the training service), staff in every job role, some of whom have left, and
their completions over the years, renewals included. The latest completion of each required
cell is placed so that the matrix shows every status: valid, due soon, expired and missing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from prevent_desktop.domain.risk import add_months
from prevent_desktop.domain.training import CourseRule
from prevent_desktop.services.demo_large_batches import prepared_ahead
from prevent_desktop.services.demo_large_courses import EXTRA_COURSES
from prevent_desktop.services.demo_large_shares import share_exactly, weighted
from prevent_desktop.services.demo_large_text import FIRST_NAMES, SURNAMES
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.bulk_create import add_created
from prevent_desktop.store.models import new_id, utc_now
from prevent_desktop.store.training_models import StaffMember, TrainingRecord

STAFF_BATCH = 2500
RECORD_BATCH = 10_000
_ROLES = (
    ("Trainer or tutor", 0.34),
    ("Assessor", 0.25),
    ("Learner support", 0.14),
    ("Administrator", 0.11),
    ("Deputy safeguarding lead", 0.04),
    ("Safeguarding lead (DSL)", 0.03),
    ("Incident lead", 0.04),
    ("Site manager", 0.05),
)


@dataclass(frozen=True)
class _Course:
    id: str
    name: str
    rule: CourseRule


def build_large_training(workspace: Workspace, staff: int, records: int) -> dict[str, int]:
    """Thirty courses, `staff` more staff and `records` more completions among them."""
    training = workspace.training
    for extra in EXTRA_COURSES:
        training.add_course(extra)
    courses = [_Course(c.id, c.name, c.rule) for c in training.courses()]
    rng = random.Random(5000)
    today = date.today()
    people = [_person(rng, number, today) for number in range(staff)]
    quotas = share_exactly(
        [
            (1 + sum(c.rule.required_for(p["job_role"]) for c in courses))
            * min(6.0, 0.5 + (today - p["start_date"]).days / 365)
            * rng.uniform(0.7, 1.3)
            for p in people
        ],
        records,
    )
    database, actor = workspace.database, workspace.actor
    for start in range(0, len(people), STAFF_BATCH):
        with database.writer(user_id=actor.user_id, login=actor.login) as session:
            add_created(session, StaffMember, people[start : start + STAFF_BATCH])
    made = 0
    records_of = _records(rng, people, quotas, courses, actor.display_name, today)
    for batch in prepared_ahead(records_of):
        with database.writer(user_id=actor.user_id, login=actor.login) as session:
            add_created(session, TrainingRecord, batch)
        made += len(batch)
    return {"course": len(courses), "staff_member": len(people), "training_record": made}


_EVIDENCE = ("Certificate seen", "Certificate seen", "Attendance register", "E-learning report")


def _records(
    rng: random.Random,
    people: list[dict[str, Any]],
    quotas: list[int],
    courses: list[_Course],
    recorded_by: str,
    today: date,
) -> Iterator[list[dict[str, Any]]]:
    """Everyone's completions, in batches of RECORD_BATCH or so."""
    now = utc_now()
    batch: list[dict[str, Any]] = []
    owed = 0
    for person, quota in zip(people, quotas, strict=True):
        # Someone who cannot have their share (too few renewable courses) passes it on.
        before = len(batch)
        for course, completed in _completions(rng, person, courses, quota + owed, today):
            recorded = datetime.combine(completed, time(10), UTC) + timedelta(
                days=rng.randint(0, 14)
            )
            batch.append(
                {
                    "staff_id": person["id"],
                    "course_id": course.id,
                    "completed_on": completed,
                    "created_at": min(recorded, now),
                    "certificate_reference": f"{course.name[:3].upper()}-"
                    f"{rng.randint(10000, 99999)}",
                    "evidence_note": rng.choice(_EVIDENCE),
                    "recorded_by_name": recorded_by,
                }
            )
        owed += quota - (len(batch) - before)
        if len(batch) >= RECORD_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _person(rng: random.Random, number: int, today: date) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    role = weighted(rng, _ROLES)
    started = today - timedelta(days=rng.randint(20, 365 * 12))
    left = None
    if rng.random() < 0.07 and (today - started).days > 120:
        left = started + timedelta(days=rng.randint(90, (today - started).days - 1))
    return {
        "id": new_id(),
        "name": f"{first} {last}",
        "job_role": role,
        "start_date": started,
        "left_on": left,
        "email": f"{first.lower()}.{last.lower()}{number}@riverside-apprenticeships.example",
        "created_at": datetime.combine(max(started, today - timedelta(days=5 * 365)), time(9), UTC),
    }


def _completions(
    rng: random.Random, person: dict[str, Any], courses: list[_Course], quota: int, today: date
) -> Iterator[tuple[_Course, date]]:
    """`quota` completions: the latest of each cell first (each status in its share), then
    earlier ones, a renewal period apart, back from the latest."""
    until: date = person["left_on"] or today
    new_starter = (until - person["start_date"]).days < 90
    latest: dict[int, date] = {}
    for index, course in enumerate(courses):
        required = course.rule.required_for(person["job_role"])
        roll = rng.random()
        if (not required and roll > 0.1) or (required and roll < (0.5 if new_starter else 0.05)):
            continue  # not taken, or missing
        months = course.rule.validity_months
        if months == 0:
            days_ago = rng.randint(20, 1500)
        elif roll < 0.19:
            days_ago = (until - add_months(until, -months)).days + rng.randint(5, 300)  # expired
        elif roll < 0.28:
            days_ago = (until - add_months(until, -months)).days - rng.randint(5, 55)  # due soon
        else:
            days_ago = rng.randint(20, max(21, months * 30 - 70))
        latest[index] = until - timedelta(days=days_ago)
    chosen = list(latest.items())
    rng.shuffle(chosen)
    # Short of quota (a new starter): the required courses come first.
    chosen.sort(key=lambda item: not courses[item[0]].rule.required_for(person["job_role"]))
    chosen = chosen[:quota]
    for index, completed in chosen:
        yield courses[index], completed
    renewable = [(i, d) for i, d in chosen if courses[i].rule.validity_months]
    made, oldest = len(chosen), dict(renewable)
    while made < quota and oldest:
        index = rng.choice(list(oldest))
        months = courses[index].rule.validity_months
        earlier = add_months(oldest[index], -months) + timedelta(days=rng.randint(-20, 30))
        if earlier < person["start_date"] - timedelta(days=730):
            del oldest[index]  # brought from a previous job at most: look no further back
            continue
        oldest[index] = earlier
        made += 1
        yield courses[index], earlier
