"""Head office: receives every site's quarterly return and shows the organisation's position.

A head-office database is an ordinary encrypted database (its users, key slots, recovery key
and this office's own keys) marked as head office. The returns it receives go to its store:
the same encrypted file by default, or a PostgreSQL database (a SQLAlchemy URL kept in the
encrypted file) when several staff work on the same data.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import make_url
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
from prevent_desktop.sync.bundle_import import AlreadyApplied, check_signer
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
        keys = device_meta.keys_for(self.database, login=self.actor.login)
        received = read_quarterly_bundle(path, identities=[keys.age_identity])
        card = received.origin
        quarter = str(received.quarter)
        with self._session() as session:
            known = session.get(HeadOfficeDevice, card.device_id)
            # The series number guards each quarter's return (below), not the laptop's
            # whole series: a site may send Q3 after Q4.
            check_signer(
                card,
                received.sequence,
                trust=trust,
                known=(known.label, known.signing_public, 0) if known else None,
            )
            if known is not None and known.site_id != card.site_id:
                raise KnownError(
                    f"This return names another site than the one the laptop “{known.label}” "
                    "was accepted for; it may be forged. Nothing was imported."
                )
            existing = session.scalar(
                select(HeadOfficeReturn).where(
                    HeadOfficeReturn.site_id == card.site_id, HeadOfficeReturn.quarter == quarter
                )
            )
            if existing is not None and (
                existing.bundle_sha256 == received.verified.bundle_sha256
                or (existing.device_id == card.device_id and received.sequence <= existing.sequence)
            ):
                raise AlreadyApplied(
                    f"Head office already holds this or a later return from that laptop for "
                    f"{existing.site_name}, {received.quarter.label}; nothing changed."
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
            known.last_sequence = max(known.last_sequence or 0, received.sequence)
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
                "payload": seal_payload(received.payload, keys.card.age_recipient),
            }
            if existing is None:
                session.add(HeadOfficeReturn(site_id=card.site_id, quarter=quarter, **values))
            else:
                # The latest received replaces the earlier one (a corrected return).
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
        identity = device_meta.keys_for(self.database, login=self.actor.login).age_identity
        return [open_payload(payload, identity) for payload in payloads]

    def identity_text(self) -> str:
        """This office's age identity, for safe keeping (managers, after their passphrase)."""
        self._require_head_office("writing out the head-office identity")
        self.actor.require(Permission.VIEW_RECOVERY_KEY, "write out the head-office identity")
        return device_meta.keys_for(self.database, login=self.actor.login).age_identity


def seal_payload(payload: dict[str, Any], recipient: str) -> str:
    """A return as kept in the store: encrypted to head office's own key, so that the store
    (a PostgreSQL server, its backups) never holds a return in clear."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    sealed = pyrage.encrypt(body, [x25519.Recipient.from_str(recipient)])
    return base64.b64encode(sealed).decode("ascii")


def open_payload(stored: str, identity: str) -> dict[str, Any]:
    try:
        body = pyrage.decrypt(base64.b64decode(stored), [x25519.Identity.from_str(identity)])
        payload = json.loads(body.decode("utf-8"))
    except Exception:  # pyrage, base64 and json each raise their own kinds
        raise KnownError(
            "A stored return does not open with head office's key: the store was changed "
            "outside Prevent Desktop, or belongs to another head office. Import the return again."
        ) from None
    if not isinstance(payload, dict):
        raise KnownError("A stored return is damaged. Import it again.")
    return payload


def check_store(url: str) -> Engine:
    """An engine on the head-office store at `url`, its tables made if missing."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception:  # a malformed URL
        backend = ""
    if backend != "postgresql":
        raise KnownError(
            "The head-office store must be a PostgreSQL database "
            "(postgresql+psycopg://user:password@host/name); without one, returns are kept in "
            "the encrypted file. Nothing was created."
        )
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
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL: say nothing of it
        return "the configured address"
