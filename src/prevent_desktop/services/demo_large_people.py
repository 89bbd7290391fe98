"""Who the large demo's concerns are about: apprentices enrolled quarter by quarter (some the
subject of more than one concern, so the "same person" links have something to show), and
the odd visitor or unknown person. Each person is made from their own seed, so a person met
twice reads the same both times."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from prevent_desktop.domain.concern import APPRENTICESHIP_STAGES, SubjectKind
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.concern_views import ConcernDetails, PersonDetails
from prevent_desktop.services.demo_large_text import (
    CONTEXTS,
    EMPLOYERS,
    FIRST_NAMES,
    LOCATIONS,
    OTHERS_PRESENT,
    PROGRAMMES,
    SURNAMES,
)

QUARTER_DAYS = 91
_OTHERS = (
    "Visitor (name not recorded)",
    "Contractor's driver",
    "Parent of an apprentice",
    "Member of the public at the gate",
)


@dataclass(frozen=True)
class Person:
    kind: SubjectKind
    first: str
    name: str = ""
    learner_reference: str = ""
    date_of_birth: date | None = None
    employer: str = ""
    programme: str = ""
    stage: str = ""
    description: str = ""

    def details(self, rng: random.Random, account: str, indicators: list[str]) -> ConcernDetails:
        return ConcernDetails(
            PersonDetails(
                self.kind,
                self.name,
                learner_reference=self.learner_reference,
                date_of_birth=self.date_of_birth,
                employer=self.employer,
                programme=self.programme,
                stage=self.stage,
                description=self.description,
            ),
            account,
            location=rng.choice(LOCATIONS),
            context=rng.choice(CONTEXTS),
            others_present=rng.choice(OTHERS_PRESENT),
            indicators=tuple(rng.sample(indicators, rng.randint(1, 3))),
        )


class PersonPool:
    """Apprentices by the quarter in which a concern about them was first possible."""

    def __init__(self, since: datetime, concerns: int, site_code: str, years: int = 5) -> None:
        self.since = since.date()
        quarters = max(1, years * 365 // QUARTER_DAYS)
        # Fewer people than concerns per quarter: some are the subject of several.
        self.size = max(3, round(concerns / quarters * 0.85))
        self.site_code = site_code
        self.indicators: list[str] = list(load_json("concern_options.json")["indicator"])

    def person_for(self, rng: random.Random, reported: datetime) -> Person:
        quarter = max(0, (reported.date() - self.since).days // QUARTER_DAYS)
        if quarter and rng.random() < 0.1:
            quarter -= 1  # someone from last quarter, again
        return self._person(quarter, rng.randrange(self.size))

    def _person(self, quarter: int, number: int) -> Person:
        own = random.Random(quarter * 1_000_003 + number)
        first = own.choice(FIRST_NAMES)
        roll = own.random()
        if roll < 0.05:
            return Person(SubjectKind.UNKNOWN, "", description=own.choice(_OTHERS))
        if roll < 0.12:
            return Person(
                SubjectKind.OTHER,
                first,
                f"{first} {own.choice(SURNAMES)}",
                description=own.choice(_OTHERS),
            )
        enrolled = self.since + timedelta(days=quarter * QUARTER_DAYS)
        age_days = own.randint(16 * 365 + 30, 24 * 365)
        return Person(
            SubjectKind.APPRENTICE,
            first,
            f"{first} {own.choice(SURNAMES)}",
            learner_reference=f"{self.site_code}-{10000 + quarter * (self.size + 1) + number}",
            date_of_birth=enrolled - timedelta(days=age_days),
            employer=own.choice(EMPLOYERS),
            programme=own.choice(PROGRAMMES),
            stage=APPRENTICESHIP_STAGES[1]
            if own.random() < 0.8
            else own.choice(APPRENTICESHIP_STAGES),
        )
