"""The foundation's tables. Later issues add their own modules of models on the same Base.

Every record that travels between laptops inherits SyncedRecord: a UUID, the site it was made
at, the hybrid logical clock stamp of its last change and a deleted flag (a tombstone, so that
deletes travel too). The stamps and the audit entries are filled in by the session hooks in
store/tracking.py, never by hand.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Date, Dialect, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

SETTING_NAMESPACE = uuid.UUID("6d0c5f7e-5a51-4f3e-9a52-0c3f8d2a6b11")


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as fixed-width UTC ISO text: they sort as text and read back
    exactly as written (the audit chain hashes them)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(str(value))


class Base(DeclarativeBase):
    pass


class SyncedRecord:
    """Columns every travelling record has. Tracked by store/tracking.py."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    origin_site: Mapped[str] = mapped_column(String(36), default="")
    hlc: Mapped[str] = mapped_column(String(80), default="", index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The record's version vector, {device: number of changes made there}, as compact JSON.
    # Comparing two vectors tells a plain update (one includes the other) from edits made on
    # two laptops without seeing each other (neither does): those go on the Conflicts list.
    versions: Mapped[str] = mapped_column(Text, default="{}")

    # Columns whose values the audit log records only as "changed", never in full.
    audit_redacted: frozenset[str] = frozenset()
    # A short name for the audit log and for counts ("user", "risk", ...).
    record_type: str = ""

    # Whether a natural id must be used even when a record already has it (a setting: its key
    # is unique, so the id is never taken by another). Otherwise a taken id (a renamed record
    # kept it) falls back to a random one.
    natural_id_strict: bool = False

    def natural_id(self) -> str | None:
        """An id derived from the record's content, for records that two laptops may create
        independently and that must still be one record (a setting; a course, role, category
        or user of the same name). None: a random id."""
        return None


def name_id(record_type: str, *parts: str) -> str:
    """The natural id of a record known by its name: the same on every laptop of a site."""
    key = "|".join(part.strip().casefold() for part in parts)
    return str(uuid.uuid5(SETTING_NAMESPACE, f"{record_type}:{key}"))


class MetaEntry(Base):
    """This database's own facts (its id, this device's id, the last clock stamp). Never synced."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Site(SyncedRecord, Base):
    __tablename__ = "site"
    record_type = "site"

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(32))


class User(SyncedRecord, Base):
    """A person who signs in. Their passphrase slot lives in the key file, not here."""

    __tablename__ = "app_user"
    record_type = "user"

    login: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    is_safeguarding_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    passphrase_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (Index("ix_app_user_login", "login"),)

    def natural_id(self) -> str | None:
        # The same login added on two laptops before they sync is one person.
        return name_id("user", self.login) if self.login else None

    @property
    def is_safeguarding_lead_or_role(self) -> bool:
        """Holds the lead's role either as their main role or alongside it."""
        return self.is_safeguarding_lead or self.role == "safeguarding_lead"


# The report logo's setting: base64 of the PNG or JPEG file, exactly as chosen.
REPORT_LOGO_SETTING = "report_logo"


class Setting(SyncedRecord, Base):
    __tablename__ = "setting"
    record_type = "setting"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)

    natural_id_strict = True

    # Settings whose value the audit log records only as "changed". The report logo is up to
    # 700,000 characters of base64: copied into its audit entries (twice, before and after) it
    # would swell every bundle, and another laptop refuses an audit entry over 100,000.
    LARGE_VALUE_KEYS: ClassVar[frozenset[str]] = frozenset({REPORT_LOGO_SETTING})

    @property
    def audit_redacted(self) -> frozenset[str]:  # type: ignore[override]  # per record here
        return frozenset({"value"}) if self.key in self.LARGE_VALUE_KEYS else frozenset()

    def natural_id(self) -> str | None:
        # One setting key is one record on every laptop of the site, however it came about.
        return str(uuid.uuid5(SETTING_NAMESPACE, self.key))


class ThreatLevelChange(SyncedRecord, Base):
    """One change of the national threat level. The newest one in effect is current."""

    __tablename__ = "threat_level_change"
    record_type = "threat_level"

    level: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date] = mapped_column(Date)
    set_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """An append-only, hash-chained log of every create, update and delete."""

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
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


def synced_models() -> list[type[SyncedRecord]]:
    """Every mapped class that travels between laptops, for counts and for bundles."""
    return [
        mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, SyncedRecord)
    ]


# Each tab's models live in their own module on the same Base; importing them here means
# anything that imports the models (migrations, counts, bundles) sees every table.
from prevent_desktop.store import concern_models as _concern_models  # noqa: E402, F401
from prevent_desktop.store import incident_models as _incident_models  # noqa: E402, F401
from prevent_desktop.store import risk_models as _risk_models  # noqa: E402, F401
from prevent_desktop.store import sync_models as _sync_models  # noqa: E402, F401
from prevent_desktop.store import training_models as _training_models  # noqa: E402, F401
