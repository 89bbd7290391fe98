"""Everything a risk register report shows, read once through the services.

The PDF and the spreadsheets print from the same snapshot, so a register saved in two formats
at the same moment says the same thing in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.services.risk_views import ActionView, ReviewView, RiskView
from prevent_desktop.services.site import SiteView, ThreatLevelEntry

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

Cell = tuple[int, int]  # (likelihood, impact)


@dataclass(frozen=True)
class RegisterSnapshot:
    site: SiteView
    threat: ThreatLevelEntry
    thresholds: RagThresholds
    risks: tuple[RiskView, ...]  # by reference, each with its actions and reviews
    residual_map: dict[Cell, int]
    inherent_map: dict[Cell, int]
    today: date
    printed_at: datetime  # local time
    printed_by: str

    def actions(self) -> list[tuple[RiskView, ActionView]]:
        return [(risk, action) for risk in self.risks for action in risk.actions]

    def reviews(self) -> list[tuple[RiskView, ReviewView]]:
        """Every recorded review, newest first."""
        pairs = [(risk, review) for risk in self.risks for review in risk.reviews]
        return sorted(pairs, key=lambda pair: pair[1].reviewed_at, reverse=True)


def take_snapshot(workspace: Workspace, today: date | None = None) -> RegisterSnapshot:
    today = today or date.today()
    risks = workspace.risks
    # list_risks gives the register order; get_risk adds each risk's review history.
    full = tuple(risks.get_risk(risk.id, today) for risk in risks.list_risks(today))
    return RegisterSnapshot(
        site=workspace.site.site(),
        threat=workspace.site.current_threat_level(),
        thresholds=risks.rag_thresholds(),
        risks=full,
        residual_map=risks.heat_map(residual=True),
        inherent_map=risks.heat_map(residual=False),
        today=today,
        printed_at=datetime.now().astimezone(),
        printed_by=workspace.actor.display_name,
    )


def uk_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the form UK readers expect; aware datetimes in local time."""
    if value is None:
        return ""
    return local_date(value).strftime("%d/%m/%Y")


def local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return value.astimezone().date() if value.tzinfo else value.date()
    return value
