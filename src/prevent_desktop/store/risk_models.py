"""The risk register's tables: categories, risks, their actions and their review history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevent_desktop.store.models import Base, SyncedRecord, UtcDateTime, name_id


class RiskCategory(SyncedRecord, Base):
    __tablename__ = "risk_category"
    record_type = "risk_category"

    name: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def natural_id(self) -> str | None:
        return name_id("risk_category", self.name) if self.name else None


class Risk(SyncedRecord, Base):
    __tablename__ = "risk"
    record_type = "risk"

    reference: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(32))
    objectives: Mapped[str] = mapped_column(String(64), default="")  # "O1,O3"
    category_id: Mapped[str | None] = mapped_column(ForeignKey("risk_category.id"), nullable=True)
    owner: Mapped[str] = mapped_column(String(200))
    inherent_likelihood: Mapped[int] = mapped_column(Integer)
    inherent_impact: Mapped[int] = mapped_column(Integer)
    controls: Mapped[str] = mapped_column(Text, default="")
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_impact: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    review_frequency_months: Mapped[int] = mapped_column(Integer, default=3)
    next_review_on: Mapped[date] = mapped_column(Date)
    last_reviewed_by: Mapped[str] = mapped_column(String(200), default="")
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_risk_reference", "reference"),)


class RiskAction(SyncedRecord, Base):
    __tablename__ = "risk_action"
    record_type = "risk_action"

    risk_id: Mapped[str] = mapped_column(ForeignKey("risk.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    evidence: Mapped[str] = mapped_column(Text, default="")


class RiskReview(SyncedRecord, Base):
    """One review of a risk: append-only, so the history an inspector sees is never rewritten."""

    __tablename__ = "risk_review"
    record_type = "risk_review"

    risk_id: Mapped[str] = mapped_column(ForeignKey("risk.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reviewed_by_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reviewer_name: Mapped[str] = mapped_column(String(200))
    inherent_before: Mapped[int] = mapped_column(Integer)
    residual_before: Mapped[int] = mapped_column(Integer)
    inherent_after: Mapped[int] = mapped_column(Integer)
    residual_after: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
