"""The strategy's four areas and five objectives: the backbone every register entry cites."""

from __future__ import annotations

from enum import StrEnum


class StrategyArea(StrEnum):
    LEADERSHIP_VALUES = "leadership_values"
    TEACHING_LEARNING = "teaching_learning"
    APPRENTICE_SUPPORT = "apprentice_support"
    MANAGING_RISKS = "managing_risks"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]

    @property
    def number(self) -> int:
        """The section number the strategy gives the area (2 to 5)."""
        return list(StrategyArea).index(self) + 2


_AREA_LABELS = {
    StrategyArea.LEADERSHIP_VALUES: "Leadership and Values",
    StrategyArea.TEACHING_LEARNING: "Teaching and Learning",
    StrategyArea.APPRENTICE_SUPPORT: "Apprentice Support",
    StrategyArea.MANAGING_RISKS: "Managing Risks and Responding to Events",
}


class Objective(StrEnum):
    SHARED_VALUES = "O1"
    BREAKING_SEGREGATION = "O2"
    APPRENTICE_SAFETY = "O3"
    SUPPORT_AT_RISK = "O4"
    ROLES_RESPONSIBILITIES = "O5"

    @property
    def label(self) -> str:
        return _OBJECTIVE_LABELS[self]


_OBJECTIVE_LABELS = {
    Objective.SHARED_VALUES: "Shared values and learner voice",
    Objective.BREAKING_SEGREGATION: "Breaking down segregation",
    Objective.APPRENTICE_SAFETY: "Apprentice safety",
    Objective.SUPPORT_AT_RISK: "Support for apprentices at risk",
    Objective.ROLES_RESPONSIBILITIES: "Roles and responsibilities",
}
