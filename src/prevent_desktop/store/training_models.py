"""The training matrix's tables: job roles, staff, courses and completion records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevent_desktop.store.models import Base, SyncedRecord, name_id


class JobRole(SyncedRecord, Base):
    """A job role at the site; courses name the roles that must take them."""

    __tablename__ = "job_role"
    record_type = "job_role"

    name: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def natural_id(self) -> str | None:
        return name_id("job_role", self.name) if self.name else None


class StaffMember(SyncedRecord, Base):
    """Someone whose training is tracked. Need not be a user of the application."""

    __tablename__ = "staff_member"
    record_type = "staff_member"

    name: Mapped[str] = mapped_column(String(200))
    job_role: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    __table_args__ = (Index("ix_staff_member_name", "name"),)


class Course(SyncedRecord, Base):
    __tablename__ = "course"
    record_type = "course"

    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    validity_months: Mapped[int] = mapped_column(Integer, default=0)  # 0: never expires
    required_for_all: Mapped[bool] = mapped_column(Boolean, default=False)
    required_roles: Mapped[str] = mapped_column(Text, default="")  # role names, "\n"-separated
    objectives: Mapped[str] = mapped_column(String(64), default="")  # "O5", as risks cite them
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def natural_id(self) -> str | None:
        return name_id("course", self.name) if self.name else None


class TrainingCertificate(SyncedRecord, Base):
    """A certificate or register file, kept once however many completions it evidences (a
    team session's register for 300 people is one file, not 300 copies)."""

    __tablename__ = "training_certificate"
    record_type = "training_certificate"
    audit_redacted = frozenset({"content"})

    name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # In the (encrypted) database itself; read only when someone opens the certificate.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class TrainingRecord(SyncedRecord, Base):
    """One completion of a course by a member of staff."""

    __tablename__ = "training_record"
    record_type = "training_record"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff_member.id"))
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"))
    completed_on: Mapped[date] = mapped_column(Date)
    certificate_reference: Mapped[str] = mapped_column(String(200), default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    certificate_name: Mapped[str] = mapped_column(String(255), default="")
    certificate_size: Mapped[int] = mapped_column(Integer, default=0)
    certificate_id: Mapped[str | None] = mapped_column(
        ForeignKey("training_certificate.id"), nullable=True
    )

    __table_args__ = (
        Index("ix_training_record_staff_course", "staff_id", "course_id", "completed_on"),
        Index("ix_training_record_course", "course_id"),
        # The grid's latest live completion per cell, read from the index alone.
        Index("ix_training_record_live_cell", "deleted", "staff_id", "course_id", "completed_on"),
        Index("ix_training_record_certificate", "certificate_id"),
    )
