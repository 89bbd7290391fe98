"""The incident plan tab's tables: contacts, plans and their steps, and the logs of live
incidents and drills."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevent_desktop.store.models import Base, SyncedRecord, UtcDateTime


class Contact(SyncedRecord, Base):
    __tablename__ = "incident_contact"
    record_type = "incident_contact"

    key: Mapped[str] = mapped_column(String(64), default="")  # the seed's key, for links
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    phone_other: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    local: Mapped[bool] = mapped_column(Boolean, default=False)  # the site fills it in
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class IncidentPlan(SyncedRecord, Base):
    __tablename__ = "incident_plan"
    record_type = "incident_plan"

    title: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    owner: Mapped[str] = mapped_column(String(200), default="")
    incident_lead: Mapped[str] = mapped_column(String(200), default="")
    deputy: Mapped[str] = mapped_column(String(200), default="")
    security_lead: Mapped[str] = mapped_column(String(200), default="")
    last_reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_review_on: Mapped[date] = mapped_column(Date)
    drill_every_months: Mapped[int] = mapped_column(Integer, default=0)
    contact_ids: Mapped[str] = mapped_column(Text, default="")  # "\n"-separated
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class PlanStep(SyncedRecord, Base):
    __tablename__ = "incident_plan_step"
    record_type = "incident_plan_step"

    plan_id: Mapped[str] = mapped_column(ForeignKey("incident_plan.id"), index=True)
    phase: Mapped[str] = mapped_column(String(24))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)


class IncidentLog(SyncedRecord, Base):
    """A live incident or a drill, run from a plan. Its steps are copied in at the start, so
    later edits to the plan never rewrite what was done."""

    __tablename__ = "incident_log"
    record_type = "incident_log"

    plan_id: Mapped[str] = mapped_column(ForeignKey("incident_plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    plan_title: Mapped[str] = mapped_column(String(200))
    plan_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_by_name: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_by_name: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")


class LogStep(SyncedRecord, Base):
    __tablename__ = "incident_log_step"
    record_type = "incident_log_step"

    log_id: Mapped[str] = mapped_column(ForeignKey("incident_log.id"), index=True)
    phase: Mapped[str] = mapped_column(String(24))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    done_by_name: Mapped[str] = mapped_column(String(200), default="")


class LogNote(SyncedRecord, Base):
    """A timestamped note in an incident or drill log. Append-only."""

    __tablename__ = "incident_log_note"
    record_type = "incident_log_note"

    log_id: Mapped[str] = mapped_column(ForeignKey("incident_log.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    author_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
