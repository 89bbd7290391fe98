"""Applying a sync bundle: everything is checked first, then applied in one transaction.

Pass 1 (bundle_file.verify_bundle) decrypts and checks the whole file: structure, member names
and sizes, every hash and the signature. Then the manifest is checked against this laptop:
same site, a paired signer (or one the user has just confirmed), not a replay. Pass 2 decrypts
again and merges member by member inside one write transaction, each member's writes in one
go (record_writes, audit_merge); any problem rolls it all back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from prevent_desktop.errors import KnownError, OperationCancelled
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import CACHE_KIB
from prevent_desktop.store.models import MetaEntry, Setting, utc_now
from prevent_desktop.store.session_keys import SAFEGUARDING_PUBLIC_SETTING
from prevent_desktop.store.sync_models import BundleRecord, PairedDevice
from prevent_desktop.store.tracking import HLC_META_KEY, append_audit, bump_version
from prevent_desktop.sync import device as device_meta
from prevent_desktop.sync.audit_merge import merge_audit_entries
from prevent_desktop.sync.bundle_export import AUDIT_TYPE, BUNDLE_KIND
from prevent_desktop.sync.bundle_file import (
    BundleError,
    VerifiedBundle,
    fingerprint,
    read_members,
    verify_bundle,
)
from prevent_desktop.sync.bundle_format import holds_lone_surrogates
from prevent_desktop.sync.bundle_messages import MAX_SEQUENCE, not_imported, shown
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.sync.hlc import HlcStamp
from prevent_desktop.sync.merge import ERASABLE_TYPES, Decision, Outcome, decide
from prevent_desktop.sync.record_codec import (
    RecordError,
    RecordType,
    decode_record,
    encode_row,
    json_lines,
    parse_versions,
    record_type_named,
)
from prevent_desktop.sync.record_writes import RecordWrites, rows_by_id

# A sender's clock further ahead than this is not followed (its edits still merge by version).
MAX_CLOCK_LEAD = timedelta(days=1)
# The page cache during an import (KiB), in place of the engine's (see _larger_page_cache);
# well inside the 300 MB an import may take.
IMPORT_CACHE_KIB = 96 * 1024


class UnknownDevice(KnownError):
    """Signed by a laptop this one is not paired with; the user may confirm its fingerprint."""

    exit_code = 4

    def __init__(self, card: DeviceCard) -> None:
        self.card = card
        super().__init__(
            f"This bundle comes from a laptop this one is not paired with: “{shown(card.label)}”, "
            f"fingerprint {card.fingerprint}. Compare the fingerprint with the one that laptop "
            "shows (Sync ▸ This laptop's keys, or `prevent-desktop public-key`); if they match, "
            "import again and confirm (`--trust` on the command line). Nothing was imported."
        )


class AlreadyApplied(KnownError):
    exit_code = 0


@dataclass
class TypeSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.conflicts


@dataclass
class ImportSummary:
    origin: DeviceCard
    sequence: int
    bundle_sha256: str
    per_type: dict[str, TypeSummary] = field(default_factory=dict)
    newly_trusted: bool = False

    def as_json(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "added": s.added,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "conflicts": s.conflicts,
            }
            for name, s in sorted(self.per_type.items())
        }

    @property
    def conflicts(self) -> int:
        return sum(s.conflicts for s in self.per_type.values())


def check_signer(
    card: DeviceCard, sequence: int, *, trust: bool, known: tuple[str, str, int] | None
) -> None:
    """Whether a bundle signed by `card`'s key, number `sequence` in its series, may be
    applied. `known`: the laptop as this one knows it (label, signing key, last number
    applied); None for a laptop never seen, accepted only once the user has confirmed its
    fingerprint (`trust`)."""
    if known is None:
        if not trust:
            raise UnknownDevice(card)
        return
    label, signing_public, last_sequence = known
    if signing_public != card.signing_public:
        raise _bad(
            f"it names the laptop “{shown(label)}” but is signed by a different key (fingerprint "
            f"{card.fingerprint}, expected {fingerprint(bytes.fromhex(signing_public))}); it "
            "may be forged"
        )
    if sequence <= last_sequence:
        raise AlreadyApplied(
            f"This bundle (number {sequence} from “{shown(label)}”) is "
            + (
                "the one already imported"
                if sequence == last_sequence
                else "older than one already imported"
            )
            + "; nothing changed."
        )


def _bad(reason: str) -> BundleError:
    return BundleError(not_imported(reason))


def _audit_head(manifest: dict[str, Any]) -> tuple[int, str]:
    """The sender's audit chain head as its manifest states it: (seq, hash); (0, "") for none."""
    head = manifest.get("audit_head")
    if (
        not isinstance(head, dict)
        or type(head.get("seq")) is not int
        or not 0 <= head["seq"] <= MAX_SEQUENCE
        or not isinstance(head.get("hash"), str)
    ):
        raise _bad("its manifest does not say where its audit log ends")
    return head["seq"], head["hash"]


def _card(manifest: dict[str, Any]) -> DeviceCard:
    origin = manifest.get("origin")
    fields = ("device_id", "site_id", "label", "signing_public", "age_recipient")
    if not isinstance(origin, dict) or not all(
        isinstance(origin.get(name), str) and len(origin[name]) <= 200 for name in fields
    ):
        raise _bad("its manifest does not say which laptop made it")
    # The label is only shown, never compared: cleaned here, so that the trust question, the
    # command line and the list of paired laptops show no line breaks or direction overrides.
    card = DeviceCard(*(origin[name] for name in fields))
    return replace(card, label=shown(card.label, limit=200))


def import_bundle(
    database: Database,
    path: Path,
    *,
    user_id: str | None,
    login: str,
    trust: bool = False,
    passphrase: str | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Check `path` in full, then merge it in one transaction. `should_cancel` is asked
    between members: yes rolls everything back (OperationCancelled)."""
    identities = (
        [] if passphrase is not None else [device_meta.keys_for(database, login=login).age_identity]
    )
    verified = verify_bundle(path, identities=identities, passphrase=passphrase)
    manifest = verified.manifest
    if manifest.get("kind") != BUNDLE_KIND:
        raise _bad("it is not a sync bundle between laptops of a site")
    card = _card(manifest)
    sequence = manifest.get("sequence")
    counts = manifest.get("counts")
    if (
        not isinstance(sequence, int)
        or isinstance(sequence, bool)
        or not 1 <= sequence <= MAX_SEQUENCE
    ):
        raise _bad("its sequence number is missing or not a valid number")
    if not isinstance(counts, dict) or not all(
        # Bounded: found by the hostile-bundle corpus, a count of 10**4000 made the message
        # that quotes it 4,000 characters long.
        isinstance(k, str) and type(v) is int and 0 <= v <= MAX_SEQUENCE
        for k, v in counts.items()
    ):
        raise _bad("its record counts are missing or not valid")
    audit_head = _audit_head(manifest)
    if card.signing_public != verified.signer_public.hex():
        raise _bad("it is signed by another key than the one its manifest names")
    if card.device_id == database.device_id:
        raise _bad("it was made on this laptop")
    if card.site_id != database.site_id:
        raise _bad(
            f"it comes from another site ({shown(manifest['origin'].get('site_name', '?'))}). "
            "Only laptops of one site sync; head office imports site exports instead"
        )
    with database.reader() as session:
        if session.scalar(
            select(BundleRecord.id).where(
                BundleRecord.direction == "import",
                BundleRecord.bundle_sha256 == verified.bundle_sha256,
            )
        ):
            raise AlreadyApplied("This bundle was already imported; nothing changed.")
        paired = session.get(PairedDevice, card.device_id)
        check_signer(
            card,
            sequence,
            trust=trust,
            known=(paired.label, paired.signing_public, paired.last_sequence) if paired else None,
        )
    summary = ImportSummary(card, sequence, verified.bundle_sha256, newly_trusted=paired is None)
    try:
        with database.writer(user_id=user_id, login=login) as session:
            tracking = session.info["tracking"]
            tracking.importing = True
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            applier = _Applier(session, database, card, summary, should_cancel)
            try:
                with _larger_page_cache(session):
                    read_members(
                        path,
                        verified,
                        applier.on_member,
                        identities=identities,
                        passphrase=passphrase,
                    )
                    applier.finish(counts, audit_head)
            except IntegrityError as error:
                # Caught here, inside the transaction: the writer would otherwise report it
                # as an unexpected database error.
                raise _bad(
                    f"its records break this database's rules ({str(error.orig)[:120]})"
                ) from None
            _remember(session, card, verified, sequence, login, summary)
            tracking.importing = False
            append_audit(
                session,
                tracking,
                utc_now(),
                [("import", _BundleRef(summary), summary.as_json())],
            )
            tracking.importing = True
            session.flush()
    except RecordError as error:
        raise _bad(str(error)) from None
    return summary


@contextmanager
def _larger_page_cache(session: Session) -> Iterator[None]:
    """A larger page cache for the import's one long transaction, given back before it
    commits. The import looks up and writes rows all over the file, and SQLCipher decrypts
    every page it reads into the cache again: with the engine's cache a large site's import
    took an eighth longer. Memory stays bounded (IMPORT_CACHE_KIB), whatever the bundle."""
    session.execute(text(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        # Pages above the engine's size are freed as the commit makes them clean. Should
        # the connection be failing, the error that brought us here is the one to report.
        with suppress(SQLAlchemyError):
            session.execute(text(f"PRAGMA cache_size = -{CACHE_KIB}"))


@dataclass(frozen=True)
class _BundleRef:
    """What the audit entry for an import names as its record."""

    summary: ImportSummary
    record_type: str = "bundle"

    @property
    def id(self) -> str:
        return self.summary.bundle_sha256[:36]


class _Applier:
    def __init__(
        self,
        session: Session,
        database: Database,
        card: DeviceCard,
        summary: ImportSummary,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        self.should_cancel = should_cancel
        self.session = session
        self.database = database
        self.card = card
        self.summary = summary
        self.blobs: dict[str, bytes] = {}
        self.latest: HlcStamp | None = None
        self.own_head: tuple[int, str] = (0, "")  # the sender's last audit entry in the bundle
        self.now = utc_now()

    def on_member(self, name: str, data: bytes) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise OperationCancelled("Cancelled: nothing was imported.")
        if name.startswith("blobs/"):
            self.blobs[name.removeprefix("blobs/")] = data
            return
        parts = name.split("/")
        if len(parts) != 3 or parts[0] != "records":
            raise _bad(f"it holds an unexpected member {name!r:.80}")
        try:
            text = data.decode("utf-8")
            rows = json_lines(text)
        except (UnicodeDecodeError, ValueError, RecursionError):
            # RecursionError: found by the hostile-bundle corpus, a line of 100,000 nested
            # brackets escaped as a bug (the manifest's parser already caught it).
            raise _bad(f"member {name!r:.80} is not JSON lines") from None
        if holds_lone_surrogates(text, rows):
            # Found by the hostile-bundle corpus: a record or audit entry with "\ud800" in a
            # text field crashed the import with UnicodeEncodeError instead of refusing it.
            raise _bad(f"member {name!r:.80} holds text that is not valid Unicode")
        if parts[1] == AUDIT_TYPE:
            self._apply_audit(rows)
        else:
            kind = record_type_named(parts[1])
            if kind is None:
                raise _bad(
                    f"it holds records of a kind this version does not know ({parts[1]!r:.40})"
                )
            self._apply_records(kind, rows)
        self.blobs.clear()

    # ---- synced records ------------------------------------------------------------------

    def _apply_records(self, kind: RecordType, rows: list[Any]) -> None:
        incoming = [decode_record(kind, row, self.blobs) for row in rows]
        if kind.name == "setting":
            self._keep_site_key(incoming)
        table = kind.table
        ids = [values["id"] for values in incoming]
        if len(set(ids)) != len(ids):
            raise _bad(f"it holds the same {kind.name} record twice")
        # What deciding needs of the local rows; a conflict, which keeps one side whole, is
        # decided again on the whole row (rare, and most rows are not read whole at all).
        local = {
            record_id: {"id": record_id, "hlc": hlc, "deleted": bool(deleted), "versions": versions}
            for record_id, hlc, deleted, versions in rows_by_id(
                self.session.connection(), table, ("id", "hlc", "deleted", "versions"), ids
            )
        }
        tally = self.summary.per_type.setdefault(kind.name, TypeSummary())
        writes = RecordWrites(table)
        for values in incoming:
            mine = local.get(values["id"])
            decision = _decide(kind, mine, values)
            if decision.outcome is Outcome.CONFLICT:
                mine = self._whole_row(table, values["id"])
                decision = _decide(kind, mine, values)
            self._write(kind, values["id"], decision, mine is None, writes)
            setattr(tally, decision.outcome.value, getattr(tally, decision.outcome.value) + 1)
        if incoming:
            # Stamps are fixed-width text (checked by decode_record), so the latest text is
            # the latest stamp: one decode per member instead of one per record.
            stamp = HlcStamp.decode(max(values["hlc"] for values in incoming))
            if self.latest is None or stamp > self.latest:
                self.latest = stamp
        writes.apply(self.session)

    def _whole_row(self, table: Table, record_id: str) -> dict[str, Any]:
        row = self.session.execute(select(table).where(table.c.id == record_id)).mappings().one()
        return dict(row)

    def _keep_site_key(self, incoming: list[dict[str, Any]]) -> None:
        """The site's safeguarding public key never changes by sync: staff seal concerns to
        it, so a bundle carrying another one (a laptop set up apart, or a planted key) is
        refused whole."""
        for values in incoming:
            if values["key"] != SAFEGUARDING_PUBLIC_SETTING:
                continue
            mine = self.session.scalar(
                select(Setting.value).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING)
            )
            if mine is not None and (values["value"] != mine or values["deleted"]):
                raise _bad(
                    "it carries a different safeguarding key than this laptop's, so concerns "
                    "would be sealed to two keys. The laptops were set up apart, or the "
                    "bundle was tampered with; ask your safeguarding lead"
                )

    def _write(
        self,
        kind: RecordType,
        record_id: str,
        decision: Decision,
        is_new: bool,
        writes: RecordWrites,
    ) -> None:
        if decision.write is not None and decision.restamp:
            # A merged version of this laptop's making: stamped after both sides' stamps.
            self.database.clock.observe(HlcStamp.decode(decision.winner_hlc))
            stamp = self.database.clock.now()
            self.session.merge(MetaEntry(key=HLC_META_KEY, value=stamp.encode()))
            decision = replace(
                decision,
                write={
                    **decision.write,
                    "hlc": stamp.encode(),
                    "versions": bump_version(decision.write["versions"], stamp.device),
                    "updated_at": self.now,
                },
            )
        if decision.write is not None:
            if is_new:
                writes.insert(decision.write)
            else:
                writes.update(record_id, {k: v for k, v in decision.write.items() if k != "id"})
        if kind.name in ERASABLE_TYPES and decision.write and decision.write.get("deleted"):
            # Erased here now: any version kept earlier for review goes too.
            writes.forget_conflicts.append(record_id)
        if decision.outcome is Outcome.CONFLICT and decision.loser is not None:
            loser = encode_row(kind, decision.loser, lambda _data: None)
            writes.conflicts.append(
                {
                    "record_type": kind.name,
                    "record_id": record_id,
                    "losing_version": json.dumps(loser, ensure_ascii=False),
                    "losing_hlc": decision.loser["hlc"],
                    "winning_hlc": decision.winner_hlc,
                    "from_device": self.card.device_id,
                    "detected_at": self.now,
                }
            )

    # ---- audit entries: a union, each laptop's chain kept as it was written --------------

    def _apply_audit(self, rows: list[Any]) -> None:
        tally = self.summary.per_type.setdefault(AUDIT_TYPE, TypeSummary())
        added, unchanged = merge_audit_entries(
            self.session, rows, signer=self.card.device_id, this_device=self.database.device_id
        )
        for row in rows:  # each checked by merge_audit_entries
            if row["device_id"] == self.card.device_id and row["seq"] > self.own_head[0]:
                self.own_head = (row["seq"], row["hash"])
        tally.added += added
        tally.unchanged += unchanged

    # ---- after the last member -----------------------------------------------------------

    def _check_references(self) -> None:
        """Foreign keys are checked at commit (deferred, since rows arrive parents first but a
        record may point at one later in its own table); asking now gives a clear message."""
        for name, tally in self.summary.per_type.items():
            kind = record_type_named(name)
            if kind is None or not (tally.added or tally.updated or tally.conflicts):
                continue
            broken = self.session.execute(
                text(f'PRAGMA foreign_key_check("{kind.table.name}")')
            ).first()
            if broken is not None:
                raise _bad(
                    f"its {name} records refer to records it does not hold (the rules of this "
                    "database would be broken)"
                )

    def finish(self, counts: dict[str, int], audit_head: tuple[int, str]) -> None:
        self._check_references()
        if audit_head != self.own_head:
            # The manifest's audit head went unchecked until the hostile-bundle corpus fed it
            # other numbers: the sender's own entries must end where its signed manifest says.
            raise _bad(
                "its audit log does not end where its signed manifest says (the log was cut "
                "or changed on the way)"
            )
        for name, expected in counts.items():
            got = self.summary.per_type.get(name, TypeSummary()).total
            if got != expected:
                raise _bad(f"it holds {got} {name} records where its manifest says {expected}")
        for name, tally in self.summary.per_type.items():
            if name not in counts and tally.total:
                raise _bad(f"its manifest does not count its {name} records")
        if self.latest is not None:
            ceiling = int((self.now + MAX_CLOCK_LEAD).timestamp() * 1000)
            if self.latest.wall_ms <= ceiling:
                stamp = self.database.clock.observe(self.latest)
                self.session.merge(MetaEntry(key=HLC_META_KEY, value=stamp.encode()))


def _decide(kind: RecordType, mine: dict[str, Any] | None, values: dict[str, Any]) -> Decision:
    return decide(
        kind.name,
        mine,
        values,
        parse_versions(mine["versions"]) if mine else {},
        parse_versions(values["versions"]),
    )


def _remember(
    session: Session,
    card: DeviceCard,
    verified: VerifiedBundle,
    sequence: int,
    login: str,
    summary: ImportSummary,
) -> None:
    now = utc_now()
    paired = session.get(PairedDevice, card.device_id)
    if paired is None:
        paired = PairedDevice(
            device_id=card.device_id,
            site_id=card.site_id,
            label=card.label,
            signing_public=card.signing_public,
            age_recipient=card.age_recipient,
            trusted_at=now,
            trusted_by=login,
        )
        session.add(paired)
    paired.age_recipient = card.age_recipient or paired.age_recipient
    paired.label = card.label or paired.label
    paired.last_sequence = sequence
    paired.last_bundle_sha256 = verified.bundle_sha256
    paired.last_imported_at = now
    session.add(
        BundleRecord(
            direction="import",
            bundle_sha256=verified.bundle_sha256,
            device_id=card.device_id,
            sequence=sequence,
            at=now,
            by_login=login,
            summary=json.dumps(summary.as_json(), sort_keys=True),
        )
    )
