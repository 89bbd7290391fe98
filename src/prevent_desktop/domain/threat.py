"""The UK national terrorism threat levels, as listed in the organisation's strategy."""

from __future__ import annotations

from enum import StrEnum


class ThreatLevel(StrEnum):
    CRITICAL = "critical"
    SEVERE = "severe"
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    @property
    def rank(self) -> int:
        """5 for Critical down to 1 for Low, so levels compare by severity."""
        return 5 - list(ThreatLevel).index(self)

    @classmethod
    def parse(cls, text: str) -> ThreatLevel:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown threat level {text!r}; use one of {names}") from None


_MEANINGS = {
    ThreatLevel.CRITICAL: "an attack is expected imminently",
    ThreatLevel.SEVERE: "an attack is highly likely",
    ThreatLevel.SUBSTANTIAL: "an attack is a strong possibility",
    ThreatLevel.MODERATE: "an attack is possible but not likely",
    ThreatLevel.LOW: "an attack is unlikely",
}

# The level the strategy states as current; a new database starts here.
INITIAL_THREAT_LEVEL = ThreatLevel.SUBSTANTIAL
