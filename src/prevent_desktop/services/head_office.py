"""Head office: receives every site's quarterly return and shows the organisation's position.

A head-office database is an ordinary encrypted database (its users, key slots, recovery key
and this office's own keys) marked as head office. The returns it receives go to its store:
the same encrypted file by default, or a PostgreSQL database (a SQLAlchemy URL kept in the
encrypted file) when several staff work on the same data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import KnownError, ValidationError
from prevent_desktop.services.context import Actor
from prevent_desktop.store.database import HEAD_OFFICE_STORE_META_KEY, Database
from prevent_desktop.store.models import Base, utc_now
from prevent_desktop.store.sync_models import HeadOfficeDevice, HeadOfficeReturn
from prevent_desktop.sync import device as device_meta
from prevent_desktop.sync.bundle_file import fingerprint
from prevent_desktop.sync.bundle_import import AlreadyApplied, UnknownDevice
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.sync.quarterly_bundle import read_quarterly_bundle

STORE_TABLES = [
    Base.metadata.tables[HeadOfficeDevice.__tablename__],
    Base.metadata.tables[HeadOfficeReturn.__tablename__],
]


@dataclass(frozen=True)
class ReceivedSummary:
    site_name: str
    quarter: Quarter
    replaced: bool
    newly_trusted: bool
    origin: DeviceCard


@dataclass(frozen=True)
class SiteRow:
    site_id: str
    name: str
    code: str
    quarters: tuple[str, ...]
    last_received_at: datetime


class HeadOfficeService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor
        self._store: Engine | None = None

    # ---- the store -----------------------------------------------------------------------

    @property
    def store_url(self) -> str | None:
        with self.database.reader() as session:
            return device_meta.meta_value(session, HEAD_OFFICE_STORE_META_KEY)

    def _engine(self) -> Engine:
        if self._store is not None:
            return self._store
        url = self.store_url
        if not url:
            self._store = self.database.engine.execution_options(writer=True)
            return self._store
        self._store = check_store(url)
        return self._store

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self._engine(), expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as error:
            raise KnownError(
                f"The head-office store failed: {str(getattr(error, 'orig', error))[:200]}. "
                "Nothing was changed."
            ) from None

    def close(self) -> None:
        if self._store is not None and self.store_url:
            self._store.dispose()
        self._store = None

    # ---- receiving -----------------------------------------------------------------------

    def _require_head_office(self, doing: str) -> None:
        if not self.database.head_office:
            raise ValidationError(
                f"This is a site's database: {doing} happens at head office, in a database "
                "made with `prevent-desktop init --head-office`."
            )
        self.actor.require(Permission.SYNC_BUNDLES, doing)

    def import_return(self, path: Path, *, trust: bool = False) -> ReceivedSummary:
        self._require_head_office("importing quarterly returns")
        identity = device_meta.keys_for(self.database, login=self.actor.login).age_identity
        received = read_quarterly_bundle(path, identities=[identity])
        card = received.origin
        with self._session() as session:
            known = session.get(HeadOfficeDevice, card.device_id)
            if known is None and not trust:
                raise UnknownDevice(card)
            if known is not None and known.signing_public != card.signing_public:
                raise KnownError(
                    f"This return names the laptop “{known.label}” but is signed by a different "
                    f"key (fingerprint {card.fingerprint}, expected "
                    f"{fingerprint(bytes.fromhex(known.signing_public))}); it may be forged. "
                    "Nothing was imported."
                )
            if known is not None and received.sequence <= known.last_sequence:
                raise AlreadyApplied(
                    f"This return (number {received.sequence} from “{known.label}”) is "
                    "not newer than one already imported from that laptop; nothing changed."
                )
            existing = session.scalar(
                select(HeadOfficeReturn).where(
                    HeadOfficeReturn.site_id == card.site_id,
                    HeadOfficeReturn.quarter == str(received.quarter),
                )
            )
            if existing is not None and existing.made_at > str(received.payload.get("made_at")):
                raise AlreadyApplied(
                    f"Head office already holds a later return for {existing.site_name}, "
                    f"{received.quarter.label}; nothing changed."
                )
            newly_trusted = known is None
            if known is None:
                known = HeadOfficeDevice(
                    device_id=card.device_id,
                    site_id=card.site_id,
                    label=card.label,
                    signing_public=card.signing_public,
                    trusted_at=utc_now(),
                    trusted_by=self.actor.login,
                )
                session.add(known)
            known.last_sequence = received.sequence
            site = received.payload["site"]
            values = {
                "site_name": site["name"][:200],
                "site_code": site["code"][:32],
                "device_id": card.device_id,
                "sequence": received.sequence,
                "bundle_sha256": received.verified.bundle_sha256,
                "made_at": str(received.payload.get("made_at", ""))[:40],
                "received_at": utc_now(),
                "received_by": self.actor.login,
                "payload": json.dumps(received.payload, ensure_ascii=False),
            }
            if existing is None:
                session.add(
                    HeadOfficeReturn(site_id=card.site_id, quarter=str(received.quarter), **values)
                )
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
        return ReceivedSummary(
            values["site_name"], received.quarter, existing is not None, newly_trusted, card
        )

    # ---- the position --------------------------------------------------------------------

    def sites(self) -> list[SiteRow]:
        self._require_head_office("viewing sites' returns")
        with self._session() as session:
            rows = session.execute(
                select(
                    HeadOfficeReturn.site_id,
                    HeadOfficeReturn.site_name,
                    HeadOfficeReturn.site_code,
                    HeadOfficeReturn.quarter,
                    HeadOfficeReturn.received_at,
                ).order_by(HeadOfficeReturn.site_name, HeadOfficeReturn.quarter)
            ).all()
        grouped: dict[str, SiteRow] = {}
        for site_id, name, code, quarter, received_at in rows:
            before = grouped.get(site_id)
            grouped[site_id] = SiteRow(
                site_id,
                name,
                code,
                (*(before.quarters if before else ()), quarter),
                max(received_at, before.last_received_at) if before else received_at,
            )
        return sorted(grouped.values(), key=lambda row: row.name.casefold())

    def returns(self, quarter: Quarter) -> list[dict[str, Any]]:
        """Every site's return for `quarter`, by site name."""
        self._require_head_office("viewing sites' returns")
        with self._session() as session:
            payloads = session.scalars(
                select(HeadOfficeReturn.payload)
                .where(HeadOfficeReturn.quarter == str(quarter))
                .order_by(HeadOfficeReturn.site_name)
            ).all()
        return [json.loads(payload) for payload in payloads]

    def identity_text(self) -> str:
        """This office's age identity, for safe keeping (managers, after their passphrase)."""
        self._require_head_office("writing out the head-office identity")
        self.actor.require(Permission.VIEW_RECOVERY_KEY, "write out the head-office identity")
        return device_meta.keys_for(self.database, login=self.actor.login).age_identity


def check_store(url: str) -> Engine:
    """An engine on the head-office store at `url`, its tables made if missing."""
    engine: Engine | None = None
    try:
        engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as connection:
            HeadOfficeReturn.metadata.create_all(connection, tables=STORE_TABLES)
    except (SQLAlchemyError, ImportError, ValueError) as error:
        if engine is not None:
            engine.dispose()
        raise KnownError(
            f"Cannot reach the head-office store ({_safe_url(url)}): "
            f"{str(getattr(error, 'orig', error))[:200]}. Check that the database server "
            "is running and the address is right; nothing was created."
        ) from None
    return engine


def write_secret_file(path: Path, text: str) -> None:
    """A new file only its owner can read; never overwrites."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KnownError(f"{path} already exists; choose a new file name.") from None
    except OSError as error:
        raise KnownError(f"Cannot write {path}: {error.strerror or error}.") from None
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text + "\n")


def _safe_url(url: str) -> str:
    """The store's address without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL: say nothing of it
        return "the configured address"
