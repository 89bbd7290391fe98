"""Training rules: when a completion expires, and what each staff x course cell shows.

A course's validity is in months; 0 means the training never expires. A completion on
`completed_on` with a validity of N months expires on `add_months(completed_on, N)` (month
ends are kept: 31/01 + 1 month is the last day of February, 29/02 + 12 months is 28/02). On
that day it is expired: "expires 01/01/2026" means "valid until the end of 31/12/2025".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from prevent_desktop.domain.risk import add_months

DEFAULT_DUE_SOON_DAYS = 60
DUE_SOON_RANGE = (1, 365)  # days: the window a site may choose
MAX_VALIDITY_MONTHS = 120


class CellStatus(StrEnum):
    VALID = "valid"
    DUE_SOON = "due_soon"
    EXPIRED = "expired"
    MISSING = "missing"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def symbol(self) -> str:
        """Readable without colour: printed in black and white, or by colour-blind users."""
        return _SYMBOLS[self]

    @property
    def counts_as_done(self) -> bool:
        """Valid for compliance: in date (a course due soon is still valid today)."""
        return self in (CellStatus.VALID, CellStatus.DUE_SOON)


_LABELS = {
    CellStatus.VALID: "Valid",
    CellStatus.DUE_SOON: "Due soon",
    CellStatus.EXPIRED: "Expired",
    CellStatus.MISSING: "Missing",
    CellStatus.NOT_REQUIRED: "Not required",
}
_SYMBOLS = {
    CellStatus.VALID: "✓",
    CellStatus.DUE_SOON: "◷",
    CellStatus.EXPIRED: "✗",
    CellStatus.MISSING: "!",
    CellStatus.NOT_REQUIRED: "–",
}


def expiry_date(completed_on: date, validity_months: int) -> date | None:
    """None when the course never expires (validity 0)."""
    if validity_months < 0 or validity_months > MAX_VALIDITY_MONTHS:
        raise ValueError(f"validity must be 0 to {MAX_VALIDITY_MONTHS} months")
    if validity_months == 0:
        return None
    return add_months(completed_on, validity_months)


@dataclass(frozen=True)
class CourseRule:
    """What a cell's status depends on about its course."""

    validity_months: int
    required_for_all: bool
    required_roles: frozenset[str]

    def required_for(self, job_role: str) -> bool:
        return self.required_for_all or job_role.casefold() in {
            role.casefold() for role in self.required_roles
        }


def cell_status(
    latest_completion: date | None,
    rule: CourseRule,
    job_role: str,
    today: date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[CellStatus, date | None]:
    """The cell's status and the expiry date of its latest completion (None: never done, or
    never expires). A completion of a course the role does not require still shows as valid,
    due or expired: it is real training; it just does not count towards compliance."""
    if latest_completion is None:
        return (
            CellStatus.MISSING if rule.required_for(job_role) else CellStatus.NOT_REQUIRED
        ), None
    expires = expiry_date(latest_completion, rule.validity_months)
    if expires is None:
        return CellStatus.VALID, None
    days_left = (expires - today).days
    if days_left <= 0:
        return CellStatus.EXPIRED, expires
    if days_left <= due_soon_days:
        return CellStatus.DUE_SOON, expires
    return CellStatus.VALID, expires


@dataclass(frozen=True)
class Compliance:
    """Required cells that are in date, of all required cells."""

    done: int = 0
    required: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.required == 0 else 100.0 * self.done / self.required

    def text(self) -> str:
        if self.required == 0:
            return "—"
        return f"{self.whole_percent}% ({self.done} of {self.required})"

    @property
    def whole_percent(self) -> int:
        """Rounded down: 1,999 of 2,000 is not 100%, and must never read as if it were."""
        return 0 if self.required == 0 else 100 * self.done // self.required

    def plus(self, status: CellStatus, required: bool) -> Compliance:
        if not required:
            return self
        return Compliance(self.done + status.counts_as_done, self.required + 1)
