"""Risk scoring: likelihood x impact, RAG bands, statuses and review scheduling."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

SCALE = range(1, 6)


class RiskStatus(StrEnum):
    OPEN = "open"
    MONITORING = "monitoring"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def finished(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.CANCELLED)


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class RiskScore:
    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        for name, value in (("likelihood", self.likelihood), ("impact", self.impact)):
            if value not in SCALE:
                raise ValueError(f"{name} must be from 1 to 5, not {value}")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class RagThresholds:
    """Scores from `amber_from` are amber, from `red_from` red; below amber is green."""

    amber_from: int = 5
    red_from: int = 15

    def __post_init__(self) -> None:
        if not 2 <= self.amber_from < self.red_from <= 25:
            raise ValueError(
                "RAG thresholds must satisfy 2 <= amber < red <= 25 "
                f"(got amber {self.amber_from}, red {self.red_from})"
            )

    def rag(self, score: int) -> Rag:
        if score >= self.red_from:
            return Rag.RED
        if score >= self.amber_from:
            return Rag.AMBER
        return Rag.GREEN

    def legend(self) -> list[tuple[Rag, int, int]]:
        """Each band with its lowest and highest score, red first."""
        return [
            (Rag.RED, self.red_from, 25),
            (Rag.AMBER, self.amber_from, self.red_from - 1),
            (Rag.GREEN, 1, self.amber_from - 1),
        ]


REVIEW_FREQUENCIES = {1: "Monthly", 3: "Quarterly", 6: "Every six months", 12: "Yearly"}


# Kept: the training grid asks for the same few thousand (date, months) pairs of 150,000
# cells at head office, and on every reload.
@functools.lru_cache(maxsize=1 << 16)
def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def next_review(reviewed_on: date, frequency_months: int) -> date:
    if frequency_months not in REVIEW_FREQUENCIES:
        raise ValueError(f"review frequency must be one of {sorted(REVIEW_FREQUENCIES)} months")
    return add_months(reviewed_on, frequency_months)


def format_reference(number: int, letter: str = "") -> str:
    """R-012; a laptop that joined a site adds its letter (R-012-B), so that two laptops
    numbering risks between syncs never give two risks one reference."""
    return f"R-{number:03d}" + (f"-{letter}" if letter else "")


def reference_number(reference: str) -> int:
    """R-012 (or R-012-B) -> 12, so that R-1000 sorts after R-999; anything else sorts first."""
    digits = reference.removeprefix("R-").split("-")[0]
    return int(digits) if digits.isdigit() else 0


def reference_letter(reference: str) -> str:
    parts = reference.split("-")
    return parts[2] if len(parts) == 3 else ""


def review_time(reviewed_on: date) -> datetime:
    """The moment stored for a review recorded for an earlier day: noon UTC that day."""
    return datetime.combine(reviewed_on, time(12), tzinfo=UTC)
