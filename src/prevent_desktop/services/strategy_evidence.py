"""The strategy and its evidence: each objective and commitment of the organisation's Prevent
strategy, with the records this site holds that show it is kept.

Evidence is found, not entered: risks whose controls quote a commitment or that sit in its
area and cite its objectives; courses that serve its objectives and that staff hold in date;
incident plans with their reviews and drills; filled-in local contacts; and counts from the
concern log (for those who may see concern statistics). A commitment with none of these is
flagged with what would count.

Everyone signed in may read the view. Signing off the evidence pack is the manager's
(SIGN_OFF_EVIDENCE); the sign-off is kept as a setting, so the audit log records who signed,
when and what the pack showed, and every laptop of the site sees the latest one.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache

from sqlalchemy import select

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.strategy_commitments import (
    Commitment,
    EvidenceKind,
    StrategyText,
    parse_strategy,
)
from prevent_desktop.errors import PermissionDenied
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.context import Actor
from prevent_desktop.services.incidents import IncidentService
from prevent_desktop.services.risks import RiskService
from prevent_desktop.services.site import SiteService
from prevent_desktop.services.strategy_concern_figures import concern_figures
from prevent_desktop.services.strategy_evidence_sources import Sources
from prevent_desktop.services.strategy_evidence_views import (
    AreaEvidence,
    CommitmentEvidence,
    ConcernFigures,
    EvidenceItem,
    ObjectiveEvidence,
    SignOff,
    StrategyEvidenceView,
)
from prevent_desktop.services.training import TrainingService
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, utc_now

SIGN_OFF_SETTING = "strategy_evidence_sign_off"
REFUSAL = (
    "{name} ({role}) may not sign off the evidence pack: it goes to inspectors over the site "
    "manager's name. Ask a manager to produce it."
)


@cache
def load_strategy() -> StrategyText:
    """The strategy as shipped in resources/strategy.json (read once: it never changes)."""
    return parse_strategy(load_json("strategy.json"))


class StrategyEvidenceService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # ---- reading ---------------------------------------------------------------------------

    def evidence(self, today: date | None = None) -> StrategyEvidenceView:
        """The strategy walked through commitment by commitment, with its evidence today."""
        today = today or date.today()
        strategy = load_strategy()
        sources = self._sources(today)
        areas = tuple(
            AreaEvidence(
                area.area,
                area.title,
                area.aim,
                tuple(_commitment_evidence(c, sources) for c in area.commitments),
            )
            for area in strategy.areas
        )
        commitments = [c for area in areas for c in area.commitments]
        objectives = tuple(
            ObjectiveEvidence(
                objective=entry.objective,
                title=entry.title,
                text=entry.text,
                items=sources.objective_items(entry.objective),
                commitments=tuple(c.number for c in commitments if entry.objective in c.objectives),
                commitments_evidenced=sum(
                    c.has_evidence for c in commitments if entry.objective in c.objectives
                ),
                hint=(
                    f"A risk on the register that cites {entry.objective.value}, or a course "
                    f"on the training matrix that serves {entry.objective.value} with "
                    "completions recorded."
                ),
            )
            for entry in strategy.objectives
        )
        site_service = SiteService(self.database, self.actor)
        site, threat = site_service.site(), site_service.current_threat_level()
        return StrategyEvidenceView(
            site_name=site.name,
            site_code=site.code,
            today=today,
            threat_level=threat.level,
            threat_since=threat.effective_on,
            areas=areas,
            objectives=objectives,
            concerns=sources.concerns,
            last_sign_off=self.last_sign_off(),
        )

    def concern_figures(self, today: date | None = None) -> ConcernFigures | None:
        """Counts only; None for someone who may not see concern statistics."""
        if not self.actor.can(Permission.LIST_CONCERNS):
            return None
        with self.database.reader() as session:
            return concern_figures(session, today or date.today())

    def last_sign_off(self) -> SignOff | None:
        with self.database.reader() as session:
            value = session.scalar(
                select(Setting.value).where(
                    Setting.key == SIGN_OFF_SETTING, Setting.deleted.is_(False)
                )
            )
        try:
            data = json.loads(value or "")
            return SignOff(
                data["name"],
                data["role"],
                datetime.fromisoformat(data["at"]),
                int(data["evidenced"]),
                int(data["total"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    # ---- signing off -----------------------------------------------------------------------

    @property
    def can_sign_off(self) -> bool:
        return self.actor.can(Permission.SIGN_OFF_EVIDENCE)

    def require_sign_off(self) -> None:
        """PermissionDenied, with the reason, for anyone but a manager."""
        if not self.can_sign_off:
            raise PermissionDenied(
                REFUSAL.format(name=self.actor.display_name, role=self.actor.role_label)
            )

    def sign_off_evidence_pack(
        self, view: StrategyEvidenceView, at: datetime | None = None
    ) -> SignOff:
        """Record that the signed-in manager signs off the pack made from `view`, and return
        who and when for the pack to print. Recorded before the pack is written, so that no
        signed pack exists without its entry in the audit log."""
        self.require_sign_off()
        sign_off = SignOff(
            name=self.actor.display_name,
            role=self.actor.role_label,
            at=at or utc_now(),
            evidenced=view.evidenced,
            total=len(view.commitments),
        )
        value = json.dumps(
            {
                "user_id": self.actor.user_id,
                "name": sign_off.name,
                "role": sign_off.role,
                "at": sign_off.at.isoformat(),
                "evidenced": sign_off.evidenced,
                "total": sign_off.total,
                "without_evidence": [c.number for c in view.without_evidence],
            },
            sort_keys=True,
        )
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            setting = session.scalar(select(Setting).where(Setting.key == SIGN_OFF_SETTING))
            if setting is None:
                session.add(Setting(key=SIGN_OFF_SETTING, value=value))
            else:
                setting.value, setting.deleted = value, False
        return sign_off

    # ---- sources ---------------------------------------------------------------------------

    def _sources(self, today: date) -> Sources:
        incidents = IncidentService(self.database, self.actor)
        return Sources(
            today=today,
            risks=tuple(RiskService(self.database, self.actor).list_risks(today)),
            matrix=TrainingService(self.database, self.actor).matrix(today),
            plans=tuple(incidents.plans(today)),
            logs=tuple(incidents.logs()),
            contacts=tuple(incidents.contacts()),
            concerns=self.concern_figures(today),
        )


def _commitment_evidence(commitment: Commitment, sources: Sources) -> CommitmentEvidence:
    items: list[EvidenceItem] = []
    kinds = commitment.evidence
    items += sources.risk_items(commitment)
    if EvidenceKind.COURSES in kinds:
        items += sources.course_items(commitment)
    if EvidenceKind.PLANS in kinds:
        items += sources.plan_items(commitment)
    if EvidenceKind.CONTACTS in kinds:
        items += sources.contact_items()
    if EvidenceKind.CONCERNS in kinds:
        items += sources.concern_items()
    return CommitmentEvidence(
        area=commitment.area,
        number=commitment.number,
        text=commitment.text,
        objectives=commitment.objectives,
        kinds=kinds,
        items=tuple(items),
        hint=sources.hint(commitment),
    )
