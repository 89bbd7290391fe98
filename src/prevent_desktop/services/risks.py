"""The risk register: risks, their action plan, reviews, categories and RAG thresholds.

Everyone signed in may read the register; managers and safeguarding leads change it. Deletes
are tombstones (they travel to other laptops); reviews are append-only.
"""

from __future__ import annotations

from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.risk import (
    REVIEW_FREQUENCIES,
    SCALE,
    ActionStatus,
    RagThresholds,
    RiskStatus,
    format_reference,
    next_review,
    reference_letter,
    reference_number,
    review_time,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.risk_records import (
    apply_action,
    apply_risk,
    check_scale,
    live_record,
    risk_view,
    validate_action,
)
from prevent_desktop.services.risk_views import (
    ActionInput,
    ActionView,
    CategoryView,
    ReviewView,
    RiskInput,
    RiskView,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, utc_now
from prevent_desktop.store.risk_models import Risk, RiskAction, RiskCategory, RiskReview

RAG_SETTING = "risk_rag_thresholds"  # "amber,red", e.g. "5,15"


class RiskService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # ---- reading ---------------------------------------------------------------------------

    def rag_thresholds(self) -> RagThresholds:
        with self.database.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == RAG_SETTING))
        try:
            amber, red = (int(part) for part in (value or "").split(","))
            return RagThresholds(amber, red)
        except ValueError:
            return RagThresholds()

    def categories(self) -> list[CategoryView]:
        with self.database.reader() as session:
            rows = session.scalars(
                select(RiskCategory)
                .where(RiskCategory.deleted.is_(False))
                .order_by(RiskCategory.sort_order, RiskCategory.name)
            )
            return [CategoryView(c.id, c.name) for c in rows]

    def list_risks(self, today: date | None = None) -> list[RiskView]:
        """Every risk not deleted, by reference, with its RAG and overdue counts. Read once
        until the next write: the Overview, the register and the Strategy tab each want it."""
        today = today or date.today()
        return list(self.database.cached_read("risks", today, lambda: self._read_risks(today)))

    def _read_risks(self, today: date) -> list[RiskView]:
        thresholds = self.rag_thresholds()
        with self.database.reader() as session:
            names = {c.id: c.name for c in session.scalars(select(RiskCategory))}
            actions = self._actions_by_risk(session, None, today)
            # Rows of columns, not objects (a Risk's attributes, several times quicker to
            # load at head-office scale); risk_view takes either.
            risks = sorted(
                session.connection().execute(
                    select(*Risk.__table__.columns).where(Risk.deleted.is_(False))
                ),
                key=lambda risk: reference_number(risk.reference),
            )
            return [
                risk_view(risk, names, actions.get(risk.id, ()), (), thresholds, today)
                for risk in risks
            ]

    def get_risk(self, risk_id: str, today: date | None = None) -> RiskView:
        """One risk with its action plan and its review history (newest first)."""
        today = today or date.today()
        with self.database.reader() as session:
            risk = live_record(session, Risk, risk_id, "risk")
            names = {c.id: c.name for c in session.scalars(select(RiskCategory))}
            actions = self._actions_by_risk(session, risk_id, today).get(risk_id, ())
            reviews = tuple(
                ReviewView(
                    r.id,
                    r.reviewed_at,
                    r.reviewer_name,
                    r.inherent_before,
                    r.residual_before,
                    r.inherent_after,
                    r.residual_after,
                    r.comment,
                )
                for r in session.scalars(
                    select(RiskReview)
                    .where(RiskReview.risk_id == risk_id, RiskReview.deleted.is_(False))
                    .order_by(RiskReview.reviewed_at.desc())
                )
            )
            return risk_view(risk, names, actions, reviews, self.rag_thresholds(), today)

    def heat_map(self, residual: bool = True) -> dict[tuple[int, int], int]:
        """Counts of risks that are not closed per (likelihood, impact) cell."""
        counts: Counter[tuple[int, int]] = Counter()
        for risk in self.list_risks():
            if risk.status is RiskStatus.CLOSED:
                continue
            if residual:
                counts[(risk.residual_likelihood, risk.residual_impact)] += 1
            else:
                counts[(risk.inherent_likelihood, risk.inherent_impact)] += 1
        return dict(counts)

    # ---- writing risks ---------------------------------------------------------------------

    def create_risk(self, data: RiskInput) -> ChangeSet:
        self._require_edit()
        self._validate(data)
        with self._writer() as session:
            risk = Risk(reference=self._next_reference(session, self.database.reference_letter))
            apply_risk(risk, data)
            session.add(risk)
            session.flush()
            return ChangeSet("risk", "create", (risk.id,))

    def update_risk(self, risk_id: str, data: RiskInput) -> ChangeSet:
        self._require_edit()
        self._validate(data)
        with self._writer() as session:
            apply_risk(live_record(session, Risk, risk_id, "risk"), data)
        return ChangeSet("risk", "update", (risk_id,))

    def duplicate_risk(self, risk_id: str) -> ChangeSet:
        """A copy with a new reference and no history, for a similar risk."""
        original = self.get_risk(risk_id)
        copy = replace(
            original.as_input(),
            title=f"{original.title} (copy)",
            status=RiskStatus.OPEN,
            next_review_on=max(original.next_review_on, date.today()),
        )
        return self.create_risk(copy)

    def close_risk(self, risk_id: str) -> ChangeSet:
        self._require_edit()
        with self._writer() as session:
            live_record(session, Risk, risk_id, "risk").status = RiskStatus.CLOSED.value
        return ChangeSet("risk", "update", (risk_id,))

    def delete_risk(self, risk_id: str) -> ChangeSet:
        """A tombstone for the risk and its actions; its review history stays as it was."""
        self._require_edit()
        with self._writer() as session:
            live_record(session, Risk, risk_id, "risk").deleted = True
            for action in session.scalars(select(RiskAction).where(RiskAction.risk_id == risk_id)):
                action.deleted = True
        return ChangeSet("risk", "delete", (risk_id,))

    def record_review(
        self,
        risk_id: str,
        *,
        comment: str,
        residual_likelihood: int | None = None,
        residual_impact: int | None = None,
        inherent_likelihood: int | None = None,
        inherent_impact: int | None = None,
        reviewed_on: date | None = None,
    ) -> ChangeSet:
        """Record that the risk was reviewed: scores before and after, who, when, why; the
        next review falls due one review period after this one."""
        self._require_edit()
        if not comment.strip():
            raise ValidationError("Say what the review found: a comment is required.")
        today = date.today()
        reviewed_on = reviewed_on or today
        if reviewed_on > today:
            raise ValidationError("A review cannot be dated in the future.")
        # A review recorded after the event keeps the day it happened; today's keeps the time.
        reviewed_at = utc_now() if reviewed_on == today else review_time(reviewed_on)
        with self._writer() as session:
            risk = live_record(session, Risk, risk_id, "risk")
            before = (
                risk.inherent_likelihood * risk.inherent_impact,
                risk.residual_likelihood * risk.residual_impact,
            )
            for name, value in (
                ("inherent_likelihood", inherent_likelihood),
                ("inherent_impact", inherent_impact),
                ("residual_likelihood", residual_likelihood),
                ("residual_impact", residual_impact),
            ):
                if value is not None:
                    check_scale(name.replace("_", " "), value)
                    setattr(risk, name, value)
            risk.last_reviewed_by = self.actor.display_name
            risk.last_reviewed_at = reviewed_at
            risk.next_review_on = next_review(reviewed_on, risk.review_frequency_months)
            session.add(
                RiskReview(
                    risk_id=risk_id,
                    reviewed_at=reviewed_at,
                    reviewed_by_user_id=self.actor.user_id,
                    reviewer_name=self.actor.display_name,
                    inherent_before=before[0],
                    residual_before=before[1],
                    inherent_after=risk.inherent_likelihood * risk.inherent_impact,
                    residual_after=risk.residual_likelihood * risk.residual_impact,
                    comment=comment.strip(),
                )
            )
        return ChangeSet("risk", "update", (risk_id,))

    # ---- actions ---------------------------------------------------------------------------

    def add_action(self, risk_id: str, data: ActionInput) -> ChangeSet:
        self._require_edit()
        validate_action(data)
        with self._writer() as session:
            live_record(session, Risk, risk_id, "risk")
            action = RiskAction(risk_id=risk_id)
            apply_action(action, data)
            session.add(action)
            session.flush()
            return ChangeSet("risk_action", "create", (action.id, risk_id))

    def update_action(self, action_id: str, data: ActionInput) -> ChangeSet:
        self._require_edit()
        validate_action(data)
        with self._writer() as session:
            action = live_record(session, RiskAction, action_id, "action")
            apply_action(action, data)
            return ChangeSet("risk_action", "update", (action_id, action.risk_id))

    def delete_action(self, action_id: str) -> ChangeSet:
        self._require_edit()
        with self._writer() as session:
            action = live_record(session, RiskAction, action_id, "action")
            action.deleted = True
            return ChangeSet("risk_action", "delete", (action_id, action.risk_id))

    # ---- configuration ---------------------------------------------------------------------

    def add_category(self, name: str) -> ChangeSet:
        self._require_edit()
        name = name.strip()
        if not name:
            raise ValidationError("Give the category a name.")
        if name.casefold() in {c.name.casefold() for c in self.categories()}:
            raise ValidationError(f"There is already a category called {name!r}.")
        with self._writer() as session:
            category = RiskCategory(name=name, sort_order=len(self.categories()))
            session.add(category)
            session.flush()
            return ChangeSet("risk_category", "create", (category.id,))

    def rename_category(self, category_id: str, name: str) -> ChangeSet:
        self._require_edit()
        name = name.strip()
        if not name:
            raise ValidationError("Give the category a name.")
        others = {c.name.casefold() for c in self.categories() if c.id != category_id}
        if name.casefold() in others:
            raise ValidationError(f"There is already a category called {name!r}.")
        with self._writer() as session:
            live_record(session, RiskCategory, category_id, "category").name = name
        return ChangeSet("risk_category", "update", (category_id,))

    def remove_category(self, category_id: str) -> ChangeSet:
        """A tombstone, refused while risks still use the category (move them first)."""
        self._require_edit()
        with self._writer() as session:
            category = live_record(session, RiskCategory, category_id, "category")
            used = session.scalar(
                select(func.count())
                .select_from(Risk)
                .where(Risk.category_id == category_id, Risk.deleted.is_(False))
            )
            if used:
                raise ValidationError(
                    f"{used} risk(s) use the category {category.name!r}; give them another "
                    "category first."
                )
            category.deleted = True
        return ChangeSet("risk_category", "delete", (category_id,))

    def set_rag_thresholds(self, amber_from: int, red_from: int) -> ChangeSet:
        self.actor.require(Permission.CHANGE_SETTINGS, "change the RAG thresholds")
        try:
            RagThresholds(amber_from, red_from)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        with self._writer() as session:
            setting = session.scalar(select(Setting).where(Setting.key == RAG_SETTING))
            if setting is None:
                session.add(Setting(key=RAG_SETTING, value=f"{amber_from},{red_from}"))
            else:
                setting.value = f"{amber_from},{red_from}"
        return ChangeSet("setting", "update", ())

    def seed_starter_register(self, starter: dict[str, Any], today: date) -> ChangeSet:
        """The strategy's starter register (resources/starter_register.json) for a new site."""
        self._require_edit()
        categories = [str(name) for name in starter["categories"]]
        with self._writer() as session:
            ids: dict[str, str] = {}
            for order, name in enumerate(categories):
                category = RiskCategory(name=name, sort_order=order)
                session.add(category)
                session.flush()
                ids[name] = category.id
            for number, item in enumerate(starter["risks"], start=1):
                months = int(item["review_months"])
                risk = Risk(reference=format_reference(number))
                apply_risk(
                    risk,
                    RiskInput(
                        title=item["title"],
                        description=item["description"],
                        area=StrategyArea(item["area"]),
                        objectives=tuple(Objective(o) for o in item["objectives"]),
                        category_id=ids[item["category"]],
                        owner=item["owner"],
                        inherent_likelihood=item["inherent"][0],
                        inherent_impact=item["inherent"][1],
                        controls="\n".join(f"• {control}" for control in item["controls"]),
                        residual_likelihood=item["residual"][0],
                        residual_impact=item["residual"][1],
                        review_frequency_months=months,
                        next_review_on=next_review(today, months),
                    ),
                )
                session.add(risk)
        return ChangeSet("risk", "create", ())

    # ---- helpers ---------------------------------------------------------------------------

    def _require_edit(self) -> None:
        self.actor.require(Permission.EDIT_REGISTER, "change the risk register")

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)

    def _validate(self, data: RiskInput) -> None:
        problems = []
        if not data.title.strip():
            problems.append("Give the risk a title.")
        if not data.owner.strip():
            problems.append("Every risk needs an owner.")
        if data.next_review_on is None:
            problems.append("Set the next review date.")
        if data.review_frequency_months not in REVIEW_FREQUENCIES:
            problems.append("Choose how often the risk is reviewed.")
        for name, value in (
            ("Inherent likelihood", data.inherent_likelihood),
            ("Inherent impact", data.inherent_impact),
            ("Residual likelihood", data.residual_likelihood),
            ("Residual impact", data.residual_impact),
        ):
            if value not in SCALE:
                problems.append(f"{name} must be from 1 to 5.")
        if data.category_id is not None and data.category_id not in {
            c.id for c in self.categories()
        }:
            problems.append("That category no longer exists; choose another.")
        if problems:
            raise ValidationError(" ".join(problems))

    @staticmethod
    def _next_reference(session: Session, letter: str) -> str:
        references = [
            ref
            for ref in session.scalars(select(Risk.reference))
            if reference_letter(ref) == letter
        ]
        return format_reference(max(map(reference_number, references), default=0) + 1, letter)

    @staticmethod
    def _actions_by_risk(
        session: Session, risk_id: str | None, today: date
    ) -> dict[str, tuple[ActionView, ...]]:
        query = select(*RiskAction.__table__.columns).where(RiskAction.deleted.is_(False))
        if risk_id is not None:
            query = query.where(RiskAction.risk_id == risk_id)
        grouped: dict[str, list[ActionView]] = {}
        for a in session.connection().execute(query.order_by(RiskAction.due_on)):
            status = ActionStatus(a.status)
            grouped.setdefault(a.risk_id, []).append(
                ActionView(
                    a.id,
                    a.risk_id,
                    a.description,
                    a.owner,
                    a.due_on,
                    status,
                    a.completed_on,
                    a.evidence,
                    overdue=not status.finished and a.due_on < today,
                )
            )
        return {key: tuple(value) for key, value in grouped.items()}
