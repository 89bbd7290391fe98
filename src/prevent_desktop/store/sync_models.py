"""What this laptop knows about syncing: paired devices, bundles seen, conflicts, and the audit
entries other laptops recorded. None of these tables travels as records themselves (the remote
audit entries travel in bundles by their own rule: a union, never an overwrite)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prevent_desktop.store.models import Base, UtcDateTime, new_id


class PairedDevice(Base):
    """A laptop (or head office) whose bundles this one accepts, and to which it can send."""

    __tablename__ = "paired_device"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(String(200), default="")
    # Ed25519 public key (hex) that signs its bundles, and the age recipient they are sent to.
    signing_public: Mapped[str] = mapped_column(String(64))
    age_recipient: Mapped[str] = mapped_column(String(120), default="")
    trusted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    trusted_by: Mapped[str] = mapped_column(String(64), default="")
    # The newest of its bundles applied here: older ones change nothing.
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_bundle_sha256: Mapped[str] = mapped_column(String(64), default="")
    last_imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class BundleRecord(Base):
    """Every bundle written or applied here, so the same file twice is recognised."""

    __tablename__ = "bundle_log"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    direction: Mapped[str] = mapped_column(String(8))  # "export" | "import"
    bundle_sha256: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    by_login: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="{}")


class SyncConflict(Base):
    """A version that lost to a concurrent edit made on another laptop, kept for review."""

    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    # The losing version as the bundle's JSON record (sealed fields stay sealed).
    losing_version: Mapped[str] = mapped_column(Text)
    losing_hlc: Mapped[str] = mapped_column(String(80))
    winning_hlc: Mapped[str] = mapped_column(String(80))
    from_device: Mapped[str] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolution: Mapped[str] = mapped_column(String(16), default="")  # kept | restored

    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at", "record_type"),)


class RemoteAuditEntry(Base):
    """An audit entry written on another laptop, kept in that laptop's own hash chain."""

    __tablename__ = "remote_audit_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    origin_site: Mapped[str] = mapped_column(String(36), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    user_login: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    changes: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_remote_audit_device_seq", "device_id", "seq", unique=True),)


class HeadOfficeDevice(Base):
    """A site laptop whose quarterly returns head office accepts (confirmed by fingerprint)."""

    __tablename__ = "ho_device"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    signing_public: Mapped[str] = mapped_column(String(64))
    trusted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    trusted_by: Mapped[str] = mapped_column(String(64), default="")
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)


class HeadOfficeReturn(Base):
    """One site's quarterly return as received: the newest bundle for a site and quarter
    replaces an older one. The return itself is the JSON the site sent (schema in
    services/quarterly_return.py), kept whole so head office shows exactly what was sent."""

    __tablename__ = "ho_return"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(36))
    site_name: Mapped[str] = mapped_column(String(200))
    site_code: Mapped[str] = mapped_column(String(32), default="")
    quarter: Mapped[str] = mapped_column(String(8))
    device_id: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    received_by: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_ho_return_site_quarter", "site_id", "quarter", unique=True),)
