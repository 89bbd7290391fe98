"""The strategy's commitments, each with the objectives it serves and the kinds of record that
show it is kept, read from resources/strategy.json; and the rules that tie a record to one.

A risk evidences a commitment when its controls quote the commitment, or when it sits in the
commitment's area and cites one of its objectives; a course when it serves one of its
objectives (narrowed, for a few broad objectives, to courses whose name holds given words).
Both rules are plain data checks, so a site's own risks and courses count as soon
as they cite the strategy, without anyone keeping a separate mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from prevent_desktop.domain.strategy import Objective, StrategyArea


class EvidenceKind(StrEnum):
    RISKS = "risks"
    COURSES = "courses"
    PLANS = "plans"
    CONCERNS = "concerns"
    CONTACTS = "contacts"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EvidenceKind.RISKS: "Risk register",
    EvidenceKind.COURSES: "Training",
    EvidenceKind.PLANS: "Incident plan",
    EvidenceKind.CONCERNS: "Concern log",
    EvidenceKind.CONTACTS: "Contacts",
}


@dataclass(frozen=True)
class Commitment:
    area: StrategyArea
    number: str  # "2.1": the area's section number, then the bullet's place in it
    text: str
    objectives: tuple[Objective, ...]
    evidence: tuple[EvidenceKind, ...]
    # Incident plans and courses count only when their name holds one of these words (none
    # given: every plan, and every course that serves one of the objectives).
    plan_words: tuple[str, ...] = ()
    course_words: tuple[str, ...] = ()
    hint: str = ""  # what would count as evidence, shown while there is none

    def cited_by(self, controls: str) -> bool:
        """The controls quote this commitment on a line of their own (bullets allowed)."""
        return normalised(self.text) in quoted_lines(controls)

    def covers(self, area: StrategyArea, objectives: Iterable[Objective]) -> bool:
        """A record in this commitment's area that cites one of its objectives."""
        return area is self.area and bool(set(objectives) & set(self.objectives))

    def serves_any(self, objectives: Iterable[str]) -> bool:
        return bool({str(o) for o in objectives} & {o.value for o in self.objectives})

    def wants_plan(self, title: str) -> bool:
        return not self.plan_words or _holds_any(title, self.plan_words)

    def wants_course(self, name: str, objectives: Iterable[str]) -> bool:
        if not self.serves_any(objectives):
            return False
        return not self.course_words or _holds_any(name, self.course_words)


def _holds_any(name: str, words: Iterable[str]) -> bool:
    # Whole words: "ICT" must not find "Conflict resolution".
    return any(re.search(rf"\b{re.escape(word)}\b", name, re.IGNORECASE) for word in words)


@dataclass(frozen=True)
class AreaText:
    area: StrategyArea
    title: str
    aim: str
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True)
class ObjectiveText:
    objective: Objective
    title: str
    text: str


@dataclass(frozen=True)
class StrategyText:
    objectives: tuple[ObjectiveText, ...]
    areas: tuple[AreaText, ...]

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return tuple(c for area in self.areas for c in area.commitments)


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def quoted_lines(text: str) -> frozenset[str]:
    """Each line of `text` as a commitment quoted on it would compare (bullet dropped,
    spaces and case normalised): worked out once per text, then each commitment is a set
    lookup."""
    return frozenset(normalised(line.lstrip("•-* ")) for line in text.splitlines())


def parse_strategy(data: Mapping[str, Any]) -> StrategyText:
    """The strategy from strategy.json's shape. A commitment given as a plain string (the
    file's first shape) serves no particular objective and is evidenced by risks only."""
    objectives = tuple(
        ObjectiveText(Objective(entry["code"]), entry["title"], entry["text"])
        for entry in data["objectives"]
    )
    areas = []
    for entry in data["areas"]:
        area = StrategyArea(entry["code"])
        commitments = tuple(
            _commitment(area, f"{area.number}.{place}", raw)
            for place, raw in enumerate(entry["commitments"], start=1)
        )
        areas.append(AreaText(area, entry["title"], entry.get("aim", ""), commitments))
    return StrategyText(objectives, tuple(areas))


def _commitment(area: StrategyArea, number: str, raw: str | Mapping[str, Any]) -> Commitment:
    if isinstance(raw, str):
        return Commitment(area, number, raw, (), (EvidenceKind.RISKS,))
    return Commitment(
        area=area,
        number=number,
        text=raw["text"],
        objectives=tuple(Objective(code) for code in raw.get("objectives", ())),
        evidence=tuple(EvidenceKind(kind) for kind in raw.get("evidence", ("risks",))),
        plan_words=tuple(raw.get("plans", ())),
        course_words=tuple(raw.get("courses", ())),
        hint=raw.get("hint", ""),
    )
