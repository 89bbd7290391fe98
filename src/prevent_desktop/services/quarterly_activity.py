"""The quarterly return's training and incident sections: the training matrix as it stood,
and the incident plans with the drills and incidents of the quarter."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.training import CellStatus, Compliance
from prevent_desktop.services.incident_views import PlanView
from prevent_desktop.services.quarterly_history import review_dates, utc_day
from prevent_desktop.services.training_views import Cell, MatrixView

if TYPE_CHECKING:
    from prevent_desktop.domain.quarter import Quarter
    from prevent_desktop.services.workspace import Workspace


def percent(compliance: Compliance) -> int | None:
    """Whole per cent rounded down (never 100 until every cell is done); None when nothing
    is required, so that "no requirement" never reads as "0% compliant"."""
    return None if compliance.required == 0 else compliance.whole_percent


def _figures(compliance: Compliance) -> dict[str, Any]:
    return {
        "required": compliance.required,
        "valid": compliance.done,
        "percent": percent(compliance),
    }


def training_section(workspace: Workspace, as_of: date) -> dict[str, Any]:
    """The matrix on `as_of`: staff in post that day (started by then, not yet left)."""
    matrix = _staff_in_post(workspace.training.matrix(as_of, include_left=True), as_of)
    by_course = matrix.by_course()
    by_role = matrix.by_role()
    courses = []
    for column, course in enumerate(matrix.courses):
        required = [row[column].status for row in matrix.cells if row[column].required]
        courses.append(
            {
                "course": course.name,
                **_figures(by_course[course.id]),
                "due_soon": required.count(CellStatus.DUE_SOON),
                "expired": required.count(CellStatus.EXPIRED),
                "missing": required.count(CellStatus.MISSING),
            }
        )
    return {
        "due_soon_days": matrix.due_soon_days,
        "overall": _figures(matrix.overall()),
        "by_course": courses,
        "by_role": [{"role": role, **_figures(figure)} for role, figure in by_role.items()],
        "staff": [
            {
                "name": person.name,
                "job_role": person.job_role,
                "cells": {
                    course.name: cell.status.value
                    for course, cell in zip(matrix.courses, row, strict=True)
                },
            }
            for person, row in zip(matrix.staff, matrix.cells, strict=True)
        ],
    }


def _staff_in_post(matrix: MatrixView, as_of: date) -> MatrixView:
    rows: list[tuple[Any, tuple[Cell, ...]]] = [
        (person, row)
        for person, row in zip(matrix.staff, matrix.cells, strict=True)
        if (person.left_on is None or person.left_on > as_of)
        and (person.start_date is None or person.start_date <= as_of)
    ]
    return MatrixView(
        tuple(person for person, _row in rows),
        matrix.courses,
        tuple(row for _person, row in rows),
        matrix.today,
        matrix.due_soon_days,
    )


def incidents_section(
    workspace: Workspace, quarter: Quarter, as_of: date, *, with_outcomes: bool = False
) -> dict[str, Any]:
    """Every plan with its review dates, and every incident log (drill or real incident)
    started in the quarter, oldest first. An outcome is free text that may name people, so it
    goes only with `with_outcomes` (the "full" policy); otherwise it is left empty."""
    service = workspace.incidents
    with workspace.database.reader() as session:
        reviews = _plan_reviews(session)
    plans = [_plan(plan, reviews.get(plan.id, set()), quarter, as_of) for plan in service.plans()]
    logs = [log for log in service.logs() if quarter.start <= utc_day(log.started_at) <= as_of]
    drills = [
        {
            "id": log.id,
            "plan": log.plan_title,
            "kind": log.kind.value,
            "is_drill": log.kind is LogKind.DRILL,
            "started_at": log.started_at.isoformat(),
            "closed_at": log.closed_at.isoformat() if log.closed_at else None,
            "outcome": log.outcome if with_outcomes else "",
        }
        for log in sorted(logs, key=lambda log: log.started_at)
    ]
    return {"plans": plans, "drills": drills}


def _plan_reviews(session: Session) -> dict[str, set[date]]:
    return review_dates(session, "incident_plan", "last_reviewed_on")


def _plan(plan: PlanView, reviewed: set[date], quarter: Quarter, as_of: date) -> dict[str, Any]:
    if plan.last_reviewed_on is not None:
        reviewed = reviewed | {plan.last_reviewed_on}
    return {
        "id": plan.id,
        "title": plan.title,
        # Plans have no type of their own: "drilled" plans are practised on a schedule,
        # "response" plans are used when the event happens.
        "kind": "drilled" if plan.drill_every_months > 0 else "response",
        "last_reviewed_on": _iso(plan.last_reviewed_on),
        "next_review_on": plan.next_review_on.isoformat(),
        "review_overdue": plan.review_overdue(as_of),
        "reviews_in_quarter": sorted(
            day.isoformat() for day in reviewed if quarter.start <= day <= as_of
        ),
        "drill_every_months": plan.drill_every_months,
        "last_drill_on": _iso(plan.last_drill_on),
        "next_drill_on": _iso(plan.next_drill_on),
        "drill_overdue": plan.drill_overdue(as_of),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
