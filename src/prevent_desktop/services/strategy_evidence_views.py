"""What the strategy evidence service returns: plain values, no sessions, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.domain.strategy_commitments import EvidenceKind
from prevent_desktop.domain.threat import ThreatLevel

NO_EVIDENCE = "No evidence yet"
# Pieces of evidence listed under one commitment or objective, on screen and in the pack; the
# rest are counted. At head office one commitment can gather thousands of risks: a list that
# long helps nobody, and laying it out in one table cell took the PDF writer minutes.
EVIDENCE_LISTED = 50


def more_evidence(count: int) -> str:
    """The line that stands for the pieces of evidence not listed."""
    more = count - EVIDENCE_LISTED
    return f"… and {more:,} more of the same kinds in the register, matrix and plans"


@dataclass(frozen=True)
class EvidenceItem:
    """One record that shows a commitment or objective is kept."""

    kind: EvidenceKind
    title: str  # "R-003 Staff lack the understanding…", "Prevent awareness"
    detail: str  # one line: why it counts and how it stands today
    record_id: str = ""
    # A risk or plan nobody has reviewed yet (such as an untouched starter entry) still
    # counts, but the pack says so.
    reviewed: bool = True

    @property
    def line(self) -> str:
        text = f"{self.kind.label}: {self.title}"
        return f"{text} — {self.detail}" if self.detail else text


@dataclass(frozen=True)
class CommitmentEvidence:
    area: StrategyArea
    number: str
    text: str
    objectives: tuple[Objective, ...]
    kinds: tuple[EvidenceKind, ...]  # the kinds of record that could evidence it
    items: tuple[EvidenceItem, ...]
    hint: str  # what would count as evidence

    @property
    def has_evidence(self) -> bool:
        return bool(self.items)

    @property
    def awaiting_review(self) -> bool:
        """Evidence held, but only in risks and plans nobody has reviewed yet."""
        return self.has_evidence and not any(item.reviewed for item in self.items)

    @property
    def status(self) -> str:
        if not self.items:
            return NO_EVIDENCE
        count = len(self.items)
        held = f"{count} piece{'s' if count != 1 else ''} of evidence"
        return f"{held}, none reviewed yet" if self.awaiting_review else held

    @property
    def objective_codes(self) -> str:
        return ", ".join(o.value for o in self.objectives)


@dataclass(frozen=True)
class AreaEvidence:
    area: StrategyArea
    title: str
    aim: str
    commitments: tuple[CommitmentEvidence, ...]

    @property
    def heading(self) -> str:
        return f"{self.area.number}. {self.title}"

    @property
    def evidenced(self) -> int:
        return sum(c.has_evidence for c in self.commitments)


@dataclass(frozen=True)
class ObjectiveEvidence:
    objective: Objective
    title: str
    text: str
    items: tuple[EvidenceItem, ...]  # risks that cite it, courses that deliver it
    commitments: tuple[str, ...]  # numbers of the commitments that serve it
    commitments_evidenced: int
    hint: str

    @property
    def has_evidence(self) -> bool:
        return bool(self.items) or self.commitments_evidenced > 0

    @property
    def heading(self) -> str:
        return f"{self.objective.value} {self.title}"


@dataclass(frozen=True)
class ConcernFigures:
    """Counts from the concern log's unsealed columns: never who or what."""

    start: date
    end: date
    recorded: int  # in the period
    closed: int  # closed in the period
    open_now: int  # not closed today, whenever recorded
    referrals: int  # made in the period
    referrals_awaiting: int  # of those, outcome still awaited
    reviewed: int  # recorded in the period and taken up by a lead
    awaiting_review: int  # recorded in the period, not yet taken up
    median_hours_to_review: float | None

    def lines(self) -> tuple[str, ...]:
        lines = [
            f"{self.recorded} recorded, {self.closed} closed; {self.open_now} open today",
            f"{self.referrals} referral{'s' if self.referrals != 1 else ''} made"
            + (
                f", {self.referrals_awaiting} awaiting an outcome"
                if self.referrals_awaiting
                else ""
            ),
        ]
        if self.median_hours_to_review is not None:
            lines.append(
                f"Median time from report to first lead review: "
                f"{duration_text(self.median_hours_to_review)} ({self.reviewed} reviewed"
                + (f", {self.awaiting_review} awaiting review)" if self.awaiting_review else ")")
            )
        elif self.awaiting_review:
            lines.append(f"{self.awaiting_review} awaiting a first lead review")
        return tuple(lines)


def duration_text(hours: float) -> str:
    if hours < 1:
        return "under an hour"
    if hours < 48:
        whole = round(hours)
        return f"{whole} hour{'s' if whole != 1 else ''}"
    days = round(hours / 24)
    return f"{days} days"


@dataclass(frozen=True)
class SignOff:
    """Who signed the evidence pack off, as whom, and when; with what it showed then."""

    name: str
    role: str
    at: datetime
    evidenced: int
    total: int

    @property
    def on(self) -> str:
        moment = self.at.astimezone() if self.at.tzinfo else self.at
        return moment.strftime("%d/%m/%Y")

    @property
    def statement(self) -> str:
        return f"Signed off by {self.name}, {self.role}, on {self.on}"


@dataclass(frozen=True)
class StrategyEvidenceView:
    site_name: str
    site_code: str
    today: date
    threat_level: ThreatLevel
    threat_since: date
    areas: tuple[AreaEvidence, ...]
    objectives: tuple[ObjectiveEvidence, ...]
    concerns: ConcernFigures | None  # None: this user may not see concern statistics
    last_sign_off: SignOff | None

    @property
    def commitments(self) -> tuple[CommitmentEvidence, ...]:
        return tuple(c for area in self.areas for c in area.commitments)

    @property
    def without_evidence(self) -> tuple[CommitmentEvidence, ...]:
        return tuple(c for c in self.commitments if not c.has_evidence)

    @property
    def evidenced(self) -> int:
        return sum(c.has_evidence for c in self.commitments)

    @property
    def summary(self) -> str:
        total = len(self.commitments)
        return f"{self.evidenced} of {total} commitments have evidence"

    @property
    def review_note(self) -> str:
        """How many evidenced commitments rest only on records not yet reviewed."""
        waiting = sum(c.awaiting_review for c in self.commitments)
        if not waiting:
            return ""
        verb = "rests" if waiting == 1 else "rest"
        return f"{waiting} of them {verb} only on risks or plans not yet reviewed"

    @property
    def objectives_summary(self) -> str:
        held = sum(o.has_evidence for o in self.objectives)
        return f"{held} of {len(self.objectives)} objectives have evidence"
