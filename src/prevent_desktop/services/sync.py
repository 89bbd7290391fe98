"""Sync between the laptops of a site: this laptop's keys, pairing, bundles, and conflicts.

Managers move bundles and settle conflicts; conflicts about concerns are for a safeguarding
lead, like the concerns themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import KnownError, ValidationError
from prevent_desktop.services.concern_decisions import erase_children, purge_kept_versions
from prevent_desktop.services.context import Actor
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernAttachment,
    ConcernEntry,
    ConcernReferral,
    ConcernStep,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, Site, User, utc_now
from prevent_desktop.store.sync_models import PairedDevice, SyncConflict
from prevent_desktop.sync import device as device_meta
from prevent_desktop.sync.bundle_export import ExportResult, export_bundle
from prevent_desktop.sync.bundle_import import ImportSummary, import_bundle
from prevent_desktop.sync.device import DeviceCard, DeviceKeys, checked_recipient
from prevent_desktop.sync.pairing import (
    LETTERS_SETTING,
    PairingOffer,
    new_pairing_code,
    next_laptop_letter,
    write_pairing_file,
)
from prevent_desktop.sync.record_codec import (
    RecordError,
    decode_record,
    encode_row,
    record_type_named,
)

CONCERN_TYPES_PREFIX = "concern"


@dataclass(frozen=True)
class PairedView:
    device_id: str
    label: str
    fingerprint: str
    trusted_at: datetime
    last_sequence: int
    last_imported_at: datetime | None


@dataclass(frozen=True)
class ConflictView:
    id: str
    record_type: str
    record_id: str
    detected_at: datetime
    from_device: str
    losing_hlc: str
    winning_hlc: str
    resolved: bool


class SyncService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # ---- this laptop and its partners ----------------------------------------------------

    def this_device(self) -> DeviceCard:
        return self._keys().card

    def _keys(self) -> DeviceKeys:
        return device_meta.keys_for(self.database, login=self.actor.login)

    def paired_devices(self) -> list[PairedView]:
        with self.database.reader() as session:
            rows = session.scalars(select(PairedDevice).order_by(PairedDevice.label)).all()
            return [
                PairedView(
                    row.device_id,
                    row.label,
                    DeviceCard(
                        row.device_id, row.site_id, row.label, row.signing_public, ""
                    ).fingerprint,
                    row.trusted_at,
                    row.last_sequence,
                    row.last_imported_at,
                )
                for row in rows
            ]

    def make_pairing_file(self, destination: Path) -> str:
        """Write the file a new laptop joins this site with; returns the code that opens it.
        A lead's file also carries the safeguarding key, for that lead on the new laptop."""
        self.actor.require(Permission.SYNC_BUNDLES, "pair laptops")
        if self.database.joined_site:
            # The first laptop hands out the letters laptops add to references; two laptops
            # handing them out could give one letter twice.
            raise ValidationError(
                "Pair new laptops from the site's first laptop: it numbers the laptops, so "
                "that no two of them give the same references."
            )
        card = self._keys().card
        with self.database.reader() as session:
            site = session.get(Site, self.database.site_id)
            records: dict[str, list[dict[str, Any]]] = {}
            for model in (Site, User, Setting):
                kind = record_type_named(model.record_type)
                assert kind is not None
                rows = session.execute(select(kind.table)).mappings()
                records[kind.name] = [encode_row(kind, dict(row), lambda _d: None) for row in rows]
        letter = self._give_laptop_letter()
        secrets = self.database.user_secrets
        code = new_pairing_code()
        write_pairing_file(
            destination,
            PairingOffer(
                card,
                site.name if site else "",
                records,
                secrets.safeguarding_private if secrets else None,
                self.actor.login,
                letter,
            ),
            code,
        )
        return code

    def _give_laptop_letter(self) -> str:
        """Recorded in a synced setting, so that every laptop of the site knows it is taken."""
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            setting = session.scalar(select(Setting).where(Setting.key == LETTERS_SETTING))
            given = setting.value if setting is not None else ""
            letter = next_laptop_letter(given, self.database.reference_letter)
            value = ",".join(filter(None, [given, letter]))
            if setting is None:
                session.add(Setting(key=LETTERS_SETTING, value=value))
            else:
                setting.value = value
            return letter

    # ---- bundles -------------------------------------------------------------------------

    def export_to_paired(
        self,
        destination: Path,
        *,
        extra_recipients: Sequence[str] = (),
        should_cancel: Callable[[], bool] | None = None,
    ) -> ExportResult:
        """A bundle every paired laptop can open (and this one, to check what was sent).
        `extra_recipients`: age public keys of laptops of this site not paired yet; they
        import it with the fingerprint confirmed, and are paired from then on."""
        self.actor.require(Permission.SYNC_BUNDLES, "export sync bundles")
        own = self._keys().card
        with self.database.reader() as session:
            partners = session.scalars(select(PairedDevice)).all()
            recipients = [p.age_recipient for p in partners if p.age_recipient]
            recipients += [checked_recipient(text) for text in extra_recipients]
            names = [p.device_id for p in partners]
        if not recipients:
            raise ValidationError(
                "This laptop is not paired with another one yet. Pair a laptop first "
                "(Sync ▸ Pair a laptop, or `prevent-desktop pair`), or export with a passphrase."
            )
        return export_bundle(
            self.database,
            destination,
            recipients=[*recipients, own.age_recipient],
            login=self.actor.login,
            addressed_to=names,
            should_cancel=should_cancel,
        )

    def export_with_passphrase(
        self,
        destination: Path,
        passphrase: str,
        should_cancel: Callable[[], bool] | None = None,
    ) -> ExportResult:
        self.actor.require(Permission.SYNC_BUNDLES, "export sync bundles")
        if len(passphrase) < 12:
            raise ValidationError(
                "Use a bundle passphrase of at least 12 characters: the file may travel on a "
                "USB stick that gets lost."
            )
        self._keys()
        return export_bundle(
            self.database,
            destination,
            passphrase=passphrase,
            login=self.actor.login,
            should_cancel=should_cancel,
        )

    def import_bundle(
        self,
        path: Path,
        *,
        trust: bool = False,
        passphrase: str | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> ImportSummary:
        self.actor.require(Permission.SYNC_BUNDLES, "import sync bundles")
        summary = import_bundle(
            self.database,
            path,
            user_id=self.actor.user_id,
            login=self.actor.login,
            trust=trust,
            passphrase=passphrase,
            should_cancel=should_cancel,
        )
        self._erase_under_deleted_concerns()
        return summary

    def _erase_under_deleted_concerns(self) -> None:
        """A chronology entry (or step, referral, attachment) added on one laptop while the
        concern was deleted on another arrives under an erased concern: it is erased too, as
        a change of this laptop's, so the erasure travels on."""
        erased = select(Concern.id).where(Concern.deleted.is_(True))
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            affected: set[str] = set()
            for child in (ConcernEntry, ConcernStep, ConcernReferral, ConcernAttachment):
                affected.update(
                    session.scalars(
                        select(child.concern_id).where(
                            child.deleted.is_(False), child.concern_id.in_(erased)
                        )
                    )
                )
            for concern_id in affected:
                erase_children(session, concern_id)
                purge_kept_versions(session, concern_id)

    # ---- conflicts -----------------------------------------------------------------------

    def _may_see(self, record_type: str) -> bool:
        if record_type.startswith(CONCERN_TYPES_PREFIX):
            return self.actor.can(Permission.READ_CONCERNS)
        return self.actor.can(Permission.SYNC_BUNDLES)

    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictView]:
        with self.database.reader() as session:
            query = select(SyncConflict).order_by(SyncConflict.detected_at.desc())
            if not include_resolved:
                query = query.where(SyncConflict.resolved_at.is_(None))
            return [
                ConflictView(
                    c.id,
                    c.record_type,
                    c.record_id,
                    c.detected_at,
                    c.from_device,
                    c.losing_hlc,
                    c.winning_hlc,
                    c.resolved_at is not None,
                )
                for c in session.scalars(query)
                if self._may_see(c.record_type)
            ]

    def current_version(self, conflict_id: str) -> dict[str, Any] | None:
        """The record as it stands now, in the same form as the losing version."""
        with self.database.reader() as session:
            conflict = self._conflict(session, conflict_id)
            kind = record_type_named(conflict.record_type)
            if kind is None:
                return None
            row = (
                session.execute(select(kind.table).where(kind.table.c.id == conflict.record_id))
                .mappings()
                .first()
            )
            return encode_row(kind, dict(row), lambda _d: None) if row is not None else None

    def describe(self, conflict_id: str) -> str:
        """A short, human name for the record in conflict ("risk R-004: Visitors ...")."""
        version = self.current_version(conflict_id) or self.losing_version(conflict_id)
        with self.database.reader() as session:
            record_type = self._conflict(session, conflict_id).record_type
        for name in ("reference", "title", "name", "display_name", "login", "key", "label"):
            value = version.get(name)
            if isinstance(value, str) and value.strip():
                return f"{record_type.replace('_', ' ')} {value.strip()[:80]}"
        return record_type.replace("_", " ")

    def losing_version(self, conflict_id: str) -> dict[str, Any]:
        with self.database.reader() as session:
            conflict = self._conflict(session, conflict_id)
            return dict(json.loads(conflict.losing_version))

    def resolve(self, conflict_id: str, *, restore_losing: bool) -> None:
        """Keep the current version, or bring the losing one back as a new change (which then
        travels to the other laptops like any edit)."""
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            conflict = self._conflict(session, conflict_id)
            if conflict.resolved_at is not None:
                raise ValidationError("This conflict has already been settled.")
            if restore_losing:
                self._restore(session, conflict)
            conflict.resolved_at = utc_now()
            conflict.resolved_by = self.actor.login
            conflict.resolution = "restored" if restore_losing else "kept"

    def _conflict(self, session: Any, conflict_id: str) -> SyncConflict:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise KnownError("That conflict no longer exists.")
        if not self._may_see(conflict.record_type):
            what = "concerns" if conflict.record_type.startswith("concern") else "sync"
            self.actor.require(
                Permission.READ_CONCERNS if what == "concerns" else Permission.SYNC_BUNDLES,
                f"settle {what} conflicts",
            )
        return conflict  # type: ignore[no-any-return]

    def _restore(self, session: Any, conflict: SyncConflict) -> None:
        kind = record_type_named(conflict.record_type)
        if kind is None:
            raise KnownError("This version of Prevent Desktop cannot restore that record.")
        losing = json.loads(conflict.losing_version)
        if not losing:
            raise KnownError("The other version was erased with its concern; nothing to restore.")
        try:
            values = decode_record(kind, losing, {})
        except (RecordError, ValueError):
            raise KnownError("The kept version is damaged and cannot be restored.") from None
        record = session.get(kind.model, conflict.record_id)
        if record is None:
            raise KnownError("The record no longer exists; nothing to restore.")
        bookkeeping = {"id", "hlc", "versions", "origin_site", "created_at", "updated_at"}
        for name, value in values.items():
            if name not in bookkeeping:
                setattr(record, name, value)


def trust_paired_device(database: Database, card: DeviceCard, *, by_login: str) -> None:
    """Accept bundles signed by `card`'s key (a pairing file's laptop, opened by its code)."""
    with database.writer(user_id=None, login=by_login) as session:
        session.info["tracking"].importing = True
        if session.get(PairedDevice, card.device_id) is None:
            session.add(
                PairedDevice(
                    device_id=card.device_id,
                    site_id=card.site_id,
                    label=card.label,
                    signing_public=card.signing_public,
                    age_recipient=card.age_recipient,
                    trusted_at=utc_now(),
                    trusted_by=by_login,
                )
            )
