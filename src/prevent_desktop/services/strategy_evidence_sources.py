"""The records the strategy's evidence is drawn from, read once, and how each becomes a line
of evidence for a commitment or an objective."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.risk import RiskStatus, add_months
from prevent_desktop.domain.strategy import Objective
from prevent_desktop.domain.strategy_commitments import (
    Commitment,
    EvidenceKind,
    normalised,
    quoted_lines,
)
from prevent_desktop.domain.training import Compliance
from prevent_desktop.services.incident_views import ContactView, LogView, PlanView
from prevent_desktop.services.risk_views import RiskView
from prevent_desktop.services.strategy_evidence_views import ConcernFigures, EvidenceItem
from prevent_desktop.services.training_views import CourseView, MatrixView


def uk(day: date | datetime) -> str:
    """dd/mm/yyyy; a stored (UTC) moment on the local calendar."""
    if isinstance(day, datetime) and day.tzinfo:
        day = day.astimezone()
    return f"{day:%d/%m/%Y}"


@dataclass(frozen=True)
class Sources:
    today: date
    risks: tuple[RiskView, ...]
    matrix: MatrixView
    plans: tuple[PlanView, ...]
    logs: tuple[LogView, ...]
    contacts: tuple[ContactView, ...]
    concerns: ConcernFigures | None  # None: this user may not see concern statistics

    # ---- risks -----------------------------------------------------------------------------

    @cached_property
    def _quoted_by_risk(self) -> dict[str, frozenset[str]]:
        """The lines each risk's controls and actions quote, read once for every commitment
        (5,000 risks × 21 commitments took seconds line by line)."""
        return {
            risk.id: quoted_lines(risk.controls).union(
                *(quoted_lines(action.description) for action in risk.actions)
            )
            for risk in self.risks
        }

    @cached_property
    def _risk_lines(self) -> dict[tuple[str, bool], EvidenceItem]:
        """Each risk's item, as quoting a commitment or as related to it, made when first
        wanted and shared: at head office a risk is evidence for several commitments, and
        21,500 items of their own text took seconds and tens of megabytes."""
        return {}

    def _risk_item(self, risk: RiskView, quoted: bool) -> EvidenceItem:
        item = self._risk_lines.get((risk.id, quoted))
        if item is None:
            if quoted:
                why = "Its controls quote this commitment"
            else:
                codes = ", ".join(o.value for o in risk.objectives)
                why = f"Area {risk.area.number} risk citing {codes}"
            item = self._risk_lines[(risk.id, quoted)] = EvidenceItem(
                EvidenceKind.RISKS,
                f"{risk.reference} {risk.title}",
                f"{why}; {self._risk_state(risk)}",
                risk.id,
                reviewed=risk.last_reviewed_at is not None,
            )
        return item

    def risk_items(self, commitment: Commitment) -> list[EvidenceItem]:
        """Risks that quote the commitment first, then those that share its area and an
        objective."""
        quoting: list[EvidenceItem] = []
        related: list[EvidenceItem] = []
        wanted = normalised(commitment.text)
        for risk in self.risks:
            if wanted in self._quoted_by_risk[risk.id]:
                quoting.append(self._risk_item(risk, quoted=True))
            elif EvidenceKind.RISKS in commitment.evidence and commitment.covers(
                risk.area, risk.objectives
            ):
                related.append(self._risk_item(risk, quoted=False))
        return quoting + related

    @staticmethod
    def _risk_state(risk: RiskView) -> str:
        parts = [f"residual {risk.residual_score} ({risk.rag.label})"]
        if risk.last_reviewed_at is None:
            parts.append("not reviewed yet")
        else:
            parts.append(f"reviewed {uk(risk.last_reviewed_at)}")
        if risk.status is RiskStatus.CLOSED:
            parts.append("closed")
        elif risk.review_overdue:
            parts.append(f"review OVERDUE since {uk(risk.next_review_on)}")
        else:
            parts.append(f"next review {uk(risk.next_review_on)}")
        if risk.actions:
            done = sum(a.status.finished for a in risk.actions)
            text = f"{done} of {len(risk.actions)} actions done"
            if risk.overdue_actions:
                text += f", {risk.overdue_actions} OVERDUE"
            parts.append(text)
        return "; ".join(parts)

    # ---- courses ---------------------------------------------------------------------------

    @cached_property
    def holders(self) -> dict[str, int]:
        """Course id -> current staff who hold it in date."""
        return self.matrix.in_date_by_course()

    @cached_property
    def compliance(self) -> dict[str, Compliance]:
        """Course id -> compliance among those who need it (worked out once per build)."""
        return self.matrix.by_course()

    def _serving(self, objectives: tuple[Objective, ...]) -> list[CourseView]:
        codes = {o.value for o in objectives}
        return [c for c in self.matrix.courses if codes & set(c.objectives)]

    def _courses_for(self, commitment: Commitment) -> list[CourseView]:
        return [c for c in self.matrix.courses if commitment.wants_course(c.name, c.objectives)]

    def course_items(self, commitment: Commitment) -> list[EvidenceItem]:
        return [
            self._course_item(course)
            for course in self._courses_for(commitment)
            if self.holders[course.id]
        ]

    def _course_item(self, course: CourseView) -> EvidenceItem:
        held = self.holders[course.id]
        detail = f"Serves {', '.join(course.objectives)}; in date for {held} staff"
        compliance = self.compliance[course.id]
        if compliance.required:
            detail += f" ({compliance.done} of {compliance.required} who need it)"
        return EvidenceItem(EvidenceKind.COURSES, course.name, detail, course.id)

    # ---- plans, contacts, concerns ---------------------------------------------------------

    def plan_items(self, commitment: Commitment) -> list[EvidenceItem]:
        return [
            EvidenceItem(
                EvidenceKind.PLANS,
                plan.title,
                self._plan_state(plan),
                plan.id,
                reviewed=plan.last_reviewed_on is not None or plan.last_drill_on is not None,
            )
            for plan in self.plans
            if commitment.wants_plan(plan.title)
        ]

    def _plan_state(self, plan: PlanView) -> str:
        parts = [f"Version {plan.version}"]
        if plan.last_reviewed_on is None:
            parts.append("not reviewed yet")
        else:
            parts.append(f"reviewed {uk(plan.last_reviewed_on)}")
        if plan.review_overdue(self.today):
            parts.append(f"review OVERDUE since {uk(plan.next_review_on)}")
        else:
            parts.append(f"next review {uk(plan.next_review_on)}")
        if plan.last_drill_on is not None:
            parts.append(f"last drill {uk(plan.last_drill_on)}")
        elif plan.drill_every_months:
            parts.append("no drill recorded yet")
        if plan.drill_overdue(self.today) and plan.next_drill_on is not None:
            parts.append(f"drill OVERDUE since {uk(plan.next_drill_on)}")
        since = add_months(self.today, -12)
        recent = [
            log
            for log in self.logs
            if log.plan_id == plan.id and _local_day(log.started_at) > since
        ]
        drills = sum(log.kind is LogKind.DRILL for log in recent)
        incidents = len(recent) - drills
        if recent:
            parts.append(
                f"last 12 months: {_count(drills, 'drill')}, {_count(incidents, 'incident')} logged"
            )
        return "; ".join(parts)

    def contact_items(self) -> list[EvidenceItem]:
        items = []
        for contact in self.contacts:
            if not contact.local or contact.missing:
                continue
            detail = "Filled in"
            if contact.organisation:
                detail += f" ({contact.organisation})"
            if contact.used_by:
                detail += f"; in {_count(len(contact.used_by), 'incident plan')}"
            items.append(EvidenceItem(EvidenceKind.CONTACTS, contact.name, detail, contact.id))
        return items

    def concern_items(self) -> list[EvidenceItem]:
        figures = self.concerns
        if figures is None or not (figures.recorded or figures.open_now or figures.referrals):
            return []
        return [
            EvidenceItem(
                EvidenceKind.CONCERNS,
                f"Concerns {uk(figures.start)} to {uk(figures.end)}",
                "; ".join(figures.lines()),
            )
        ]

    # ---- objectives and hints --------------------------------------------------------------

    def objective_items(self, objective: Objective) -> tuple[EvidenceItem, ...]:
        risks = [
            EvidenceItem(
                EvidenceKind.RISKS,
                f"{risk.reference} {risk.title}",
                f"Area {risk.area.number}, {risk.area.label}",
                risk.id,
                reviewed=risk.last_reviewed_at is not None,
            )
            for risk in self.risks
            if objective in risk.objectives
        ]
        courses = [
            self._course_item(course)
            for course in self._serving((objective,))
            if self.holders[course.id]
        ]
        return (*risks, *courses)

    def hint(self, commitment: Commitment) -> str:
        """What would count as evidence, with the courses that would once completed."""
        hint = commitment.hint or _generic_hint(commitment)
        if EvidenceKind.COURSES in commitment.evidence:
            waiting = [c.name for c in self._courses_for(commitment) if not self.holders[c.id]]
            if waiting:
                hint += f" Courses that would count once completed: {', '.join(waiting)}."
        if EvidenceKind.CONCERNS in commitment.evidence and self.concerns is None:
            hint += " Concern figures are shown to managers and safeguarding leads only."
        return hint


_KIND_HINTS = {
    EvidenceKind.COURSES: "in-date completions of a course that serves {codes}",
    EvidenceKind.PLANS: "an incident plan, reviewed and drilled",
    EvidenceKind.CONCERNS: "concerns recorded and followed up in the concern log",
    EvidenceKind.CONTACTS: "local contacts filled in on the incident plan tab",
}


def _generic_hint(commitment: Commitment) -> str:
    codes = ", ".join(o.value for o in commitment.objectives) or "the strategy"
    ways = [
        f"a risk whose controls quote this commitment, or an area {commitment.area.number} "
        f"risk citing {codes}"
    ]
    ways += [_KIND_HINTS[k].format(codes=codes) for k in commitment.evidence if k in _KIND_HINTS]
    text = "; or ".join(ways)
    return f"{text[0].upper()}{text[1:]}."


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
