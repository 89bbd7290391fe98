"""The concern log's configurable lists (indicators, types), its retention rule, and the
statistics for the quarterly export."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from prevent_desktop.domain.concern import (
    ConcernStatus,
    ReferralOutcome,
    RetentionRule,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.concern_base import (
    OPTION_KINDS,
    RETENTION_SETTING,
    ConcernBase,
    ordered_counts,
)
from prevent_desktop.services.concern_views import (
    ConcernStatistics,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernOption,
    ConcernReferral,
)
from prevent_desktop.store.models import Setting


class ConcernLists(ConcernBase):
    def options(self, kind: str, *, include_inactive: bool = False) -> list[str]:
        self._check_kind(kind)
        with self.database.reader() as session:
            query = select(ConcernOption).where(
                ConcernOption.kind == kind, ConcernOption.deleted.is_(False)
            )
            if not include_inactive:
                query = query.where(ConcernOption.active.is_(True))
            rows = session.scalars(query.order_by(ConcernOption.sort_order, ConcernOption.label))
            return [row.label for row in rows]

    def set_options(self, kind: str, labels: list[str]) -> ChangeSet:
        """Replace a list (in this order). Labels dropped from it are retired, not deleted:
        concerns recorded with them keep them."""
        self.actor.require(Permission.EDIT_CONCERN_LISTS, "change the concern lists")
        self._check_kind(kind)
        cleaned: list[str] = []
        for label in labels:
            text = " ".join(label.split())
            if not text:
                continue
            if len(text) > 200:
                raise ValidationError(f"'{text[:40]}...' is too long (200 characters at most).")
            if text.casefold() in (c.casefold() for c in cleaned):
                raise ValidationError(f"'{text}' is in the list twice.")
            cleaned.append(text)
        if not cleaned:
            raise ValidationError("Keep at least one entry in the list.")
        with self._writer() as session:
            existing = {
                o.label.casefold(): o
                for o in session.scalars(
                    select(ConcernOption).where(
                        ConcernOption.kind == kind, ConcernOption.deleted.is_(False)
                    )
                )
            }
            for order, label in enumerate(cleaned):
                option = existing.pop(label.casefold(), None)
                if option is None:
                    session.add(ConcernOption(kind=kind, label=label, sort_order=order))
                else:
                    option.label, option.sort_order, option.active = label, order, True
            for retired in existing.values():
                retired.active = False
        return ChangeSet("concern_option", "update")

    def seed_options(self, seed: dict[str, list[str]]) -> None:
        """The starter lists, at setup; a site that already has lists keeps them."""
        with self.database.reader() as session:
            if session.scalar(select(ConcernOption.id).limit(1)) is not None:
                return
        with self._writer() as session:
            for kind in OPTION_KINDS:
                for order, label in enumerate(seed.get(kind, [])):
                    session.add(ConcernOption(kind=kind, label=label, sort_order=order))

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in OPTION_KINDS:
            raise ValidationError(f"Unknown list {kind!r}.")

    def set_retention_rule(self, rule: RetentionRule) -> ChangeSet:
        """A lead changes the rule; every concern's review-by date is worked out again (the
        date of birth it needs is sealed, so only a lead can)."""
        cipher = self._lead_cipher("change the retention rule")
        with self._writer() as session:
            setting = session.scalar(select(Setting).where(Setting.key == RETENTION_SETTING))
            value = f"{rule.years_after_birth},{rule.years_after_closure}"
            if setting is None:
                session.add(Setting(key=RETENTION_SETTING, value=value))
            else:
                setting.value = value
            for concern in session.scalars(select(Concern).where(Concern.deleted.is_(False))):
                born = self._details(cipher, concern).person.date_of_birth
                concern.review_by = rule.review_by(born, concern.closed_on)
        return ChangeSet("concern", "update")

    def statistics(self, start: date, end: date) -> ConcernStatistics:
        """Counts of concerns recorded in [start, end], with no identities."""
        self.actor.require(Permission.LIST_CONCERNS, "see concern statistics")
        if end < start:
            raise ValidationError("The period ends before it starts.")
        stats = ConcernStatistics(start, end)
        low = datetime.combine(start, datetime.min.time(), UTC)
        high = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
        with self.database.reader() as session:
            concerns = session.scalars(
                select(Concern).where(
                    Concern.deleted.is_(False), Concern.created_at >= low, Concern.created_at < high
                )
            ).all()
            ids = {c.id for c in concerns}
            outcomes = [
                r.outcome
                for r in session.scalars(
                    select(ConcernReferral).where(ConcernReferral.deleted.is_(False))
                )
                if r.concern_id in ids
            ]
        stats.total = len(concerns)
        stats.by_type = dict(Counter(c.concern_type for c in concerns).most_common())
        stats.by_status = ordered_counts(
            Counter(ConcernStatus(c.status).label for c in concerns),
            [s.label for s in ConcernStatus],
        )
        stats.by_outcome = ordered_counts(
            Counter(ReferralOutcome(o).label for o in outcomes),
            [o.label for o in ReferralOutcome],
        )
        stats.by_month = dict(
            sorted(Counter(c.created_at.astimezone().strftime("%Y-%m") for c in concerns).items())
        )
        return stats
