"""Incident plans: the phases of a response, who does each step, and when plans and drills
fall due."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from prevent_desktop.domain.risk import add_months

PLAN_REVIEW_MONTHS = 12


class Phase(StrEnum):
    IMMEDIATELY = "immediately"
    WITHIN_THE_HOUR = "within_the_hour"
    AFTERWARDS = "afterwards"

    @property
    def label(self) -> str:
        return {
            "immediately": "Immediately",
            "within_the_hour": "Within the hour",
            "afterwards": "Afterwards",
        }[self.value]


class StepRole(StrEnum):
    INCIDENT_LEAD = "incident_lead"
    DEPUTY = "deputy"
    SECURITY_LEAD = "security_lead"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    ALL_STAFF = "all_staff"

    @property
    def label(self) -> str:
        return {
            "incident_lead": "Incident lead",
            "deputy": "Deputy",
            "security_lead": "Security lead",
            "safeguarding_lead": "Safeguarding lead",
            "all_staff": "All staff",
        }[self.value]


class LogKind(StrEnum):
    INCIDENT = "incident"
    DRILL = "drill"

    @property
    def label(self) -> str:
        return self.value.title()


def next_review(reviewed_on: date) -> date:
    return add_months(reviewed_on, PLAN_REVIEW_MONTHS)


def next_drill(last_drill: date | None, every_months: int, since: date) -> date | None:
    """When the plan's next drill falls due: `every_months` after the last one, or after
    `since` (the plan's creation) when it has never been drilled. None: not drilled."""
    if every_months <= 0:
        return None
    return add_months(last_drill or since, every_months)
