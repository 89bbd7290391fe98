"""Calendar quarters, the period of a site's quarterly return to head office.

UK calendar quarters: Q1 is January to March, Q4 October to December. A quarter is written
"2026Q4" in files and on the command line (also accepted: "2026-Q4", "2026q4") and shown to
people as "Q4 2026 (October–December)".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"(\d{4})-?[qQ]([1-4])")
# Spelt out rather than taken from the locale: Qt sets the C locale from the environment, and
# a return must read the same on every laptop.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is numbered 1 to 4, not {self.number}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"the year {self.year} is out of range")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PATTERN.fullmatch(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a quarter: write the year, Q and the quarter's number "
                "1 to 4, for example 2026Q4 (October to December 2026)"
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        first, last = _MONTHS[3 * self.number - 3], _MONTHS[3 * self.number - 1]
        return f"Q{self.number} {self.year} ({first}–{last})"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.number}"
