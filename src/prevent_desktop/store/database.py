"""The encrypted database as one object: create, unlock, sessions, integrity, close.

Opening follows one path whatever the secret (passphrase, remembered key, recovery key): check
the file looks like ours, open it with the raw key, prove the key by reading the schema, verify
every page's HMAC, match the key file, back up and migrate if needed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from prevent_desktop.domain.threat import INITIAL_THREAT_LEVEL
from prevent_desktop.errors import DamagedDatabase, DatabaseClosed, KnownError, describe_os_error
from prevent_desktop.store import backup, schema
from prevent_desktop.store.audit import (
    ChainEntry,
    ChainHead,
    read_signed_head,
    sign_head,
    verify_chain,
)
from prevent_desktop.store.engine import build_engine, precheck_file, translate_error
from prevent_desktop.store.guess_throttle import guarded_guess
from prevent_desktop.store.keyfile_lock import modify_key_file
from prevent_desktop.store.keyslots import (
    KdfParams,
    KeyFile,
    format_recovery_key,
    kdf_for_new_slots,
    key_file_path,
    new_database_key,
)
from prevent_desktop.store.leftovers import sweep_leftovers
from prevent_desktop.store.lost_changes import check_for_lost_changes
from prevent_desktop.store.models import (
    AuditEntry,
    Base,
    MetaEntry,
    Setting,
    Site,
    ThreatLevelChange,
    User,
    synced_models,
    utc_now,
)
from prevent_desktop.store.sealing import KeyPair
from prevent_desktop.store.session_keys import (
    SAFEGUARDING_PUBLIC_SETTING,
    UserSecrets,
    new_slot,
    open_user_secrets,
)
from prevent_desktop.store.tracking import HLC_META_KEY, Tracking, attach
from prevent_desktop.sync.hlc import HlcStamp, HybridLogicalClock

DEFAULT_SETTINGS = {"auto_lock_minutes": "10"}
# Set on a laptop that joined an existing site: its starter lists come from that site.
JOINED_META_KEY = "joined_site_at"
REFERENCE_LETTER_META_KEY = "reference_letter"
# "head_office" on a head office's database (it receives sites' quarterly returns).
MODE_META_KEY = "mode"
HEAD_OFFICE_MODE = "head_office"
# Where a head office keeps the returns: a SQLAlchemy URL (PostgreSQL); unset: this file.
HEAD_OFFICE_STORE_META_KEY = "head_office_store_url"

logger = logging.getLogger(__name__)

T = TypeVar("T")

AUDIT_BATCH = 2000  # audit entries read at a time when the chain is checked


class Database:
    """An open, verified, migrated database. Use `create`, `unlock` or `open_with_key`."""

    def __init__(self, path: Path, key: bytes, key_file: KeyFile | None, engine: Engine) -> None:
        self.path = path
        self._key = key
        self.key_file = key_file
        # The signed-in user's key pair and safeguarding key; None when opened by recovery key.
        self.user_secrets: UserSecrets | None = None
        self.engine = engine
        self._writer_engine: Engine = engine.execution_options(writer=True)
        # Commits seen on this database, and reads kept until the next one (cached_read).
        self._commits = 0
        self._read_cache: dict[tuple[str, Hashable], Any] = {}
        self._read_cache_commits = 0  # the commit count the kept reads belong to
        event.listen(engine, "commit", self._count_commit)
        meta = self._read_meta()
        self.database_id = meta["database_id"]
        self.site_id = meta["site_id"]
        self.device_id = meta["device_id"]
        self.joined_site = JOINED_META_KEY in meta
        # The letter this laptop adds to the references it gives ("" on a site's first laptop).
        self.reference_letter = meta.get(REFERENCE_LETTER_META_KEY, "")
        self.head_office = meta.get(MODE_META_KEY) == HEAD_OFFICE_MODE
        last = meta.get(HLC_META_KEY)
        self.clock = HybridLogicalClock(self.device_id, HlcStamp.decode(last) if last else None)

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open_with_key(
        cls,
        path: Path,
        key: bytes,
        *,
        key_trusted: bool = False,
        migrate: bool = True,
        verify_pages: bool = True,
    ) -> Database:
        """Open with the raw database key. `key_trusted` means it came out of a key slot, so a
        decryption failure means damage rather than a wrong key. Without `verify_pages` the
        page check is left to `integrity_problems` (what `check` uses, to list every finding).
        """
        path = Path(path)
        precheck_file(path)
        engine = build_engine(path, key)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                damaged = (
                    [
                        str(row[0])
                        for row in connection.exec_driver_sql("PRAGMA cipher_integrity_check")
                    ]
                    if verify_pages
                    else []
                )
                if damaged:
                    raise DamagedDatabase(
                        f"{path} is damaged: {len(damaged)} page(s) fail their integrity check "
                        f"({damaged[0]}). Restore the latest backup."
                    )
                if schema.is_newer_than_program(connection):
                    raise KnownError(
                        f"{path} was written by a newer version of Prevent Desktop. "
                        "Install that version to open it; nothing was changed."
                    )
                needs_upgrade = schema.needs_upgrade(connection)
                has_schema = schema.current_revision(connection) is not None
            key_file = _load_key_file_if_present(path, tolerate_damage=not key_trusted)
            # Opened for use only: `check` and the verifying of a backup (without `migrate`)
            # find lost changes through integrity_problems, which lists them with the rest.
            if has_schema and migrate:
                with engine.connect() as connection:
                    check_for_lost_changes(connection, path, key, key_file)
        except KnownError:
            engine.dispose()
            raise
        except (SQLAlchemyError, DBAPIError) as error:
            engine.dispose()
            raise translate_error(error, path, key_trusted=key_trusted) from None
        if needs_upgrade:
            if not has_schema:
                engine.dispose()
                raise DamagedDatabase(f"{path} holds no Prevent Desktop data.")
            # Without `migrate` (verifying a backup before restoring it) the file is left as it
            # is; it is upgraded when it is next opened for use.
            if migrate:
                backup.make_automatic_backup(engine, path, key, reason="before-upgrade")
                with engine.begin() as connection:
                    schema.upgrade(connection)
        database = cls(path, key, key_file, engine)
        if key_file is not None and key_file.database_id != database.database_id:
            database.close()
            raise DamagedDatabase(
                f"The key file {key_file.path} belongs to a different database than {path}."
            )
        if migrate:  # opened for use, not to be checked or verified as a backup
            sweep_leftovers(path)
        return database

    @classmethod
    def unlock(
        cls,
        path: Path,
        login: str,
        passphrase: str,
        *,
        migrate: bool = True,
        verify_pages: bool = True,
        guesses_counted_for: Path | None = None,
    ) -> tuple[Database, str, bytes]:
        """Open with a user's passphrase. Returns the database, the user's id and the
        key-encryption key (what "remember on this computer" may keep). Wrong passphrases
        count towards a wait (store/guess_throttle.py) for `guesses_counted_for`: by default
        this database; a backup being restored counts them for the database it would replace."""
        path = Path(path)
        precheck_file(path)
        key_file = KeyFile.for_database(path)
        slot = key_file.slot_for_login(login)
        with guarded_guess(guesses_counted_for or path, slot.user_id, slot.login):
            kek = slot.derive_kek(passphrase)
            slot.unwrap(kek, key_file.database_id)
        opened = cls.unlock_with_kek(path, login, kek, migrate=migrate, verify_pages=verify_pages)
        return (*opened, kek)

    @classmethod
    def unlock_with_kek(
        cls,
        path: Path,
        login: str,
        kek: bytes,
        *,
        migrate: bool = True,
        verify_pages: bool = True,
    ) -> tuple[Database, str]:
        path = Path(path)
        key_file = KeyFile.for_database(path)
        slot = key_file.slot_for_login(login)
        key = slot.unwrap(kek, key_file.database_id)
        database = cls.open_with_key(
            path, key, key_trusted=True, migrate=migrate, verify_pages=verify_pages
        )
        try:
            with database.reader() as session:
                user = session.get(User, slot.user_id)
                public = session.scalar(
                    select(Setting.value).where(
                        Setting.key == SAFEGUARDING_PUBLIC_SETTING, Setting.deleted.is_(False)
                    )
                )
            # A user who is gone is refused by the caller; their slot is left as it is.
            if user is not None:
                current = database.key_file or key_file
                database.user_secrets, database.key_file = open_user_secrets(
                    current,
                    current.slot_for_user(slot.user_id) or slot,
                    kek,
                    is_lead=user.is_safeguarding_lead_or_role,
                    site_public=bytes.fromhex(public) if public else None,
                )
        except BaseException:
            database.close()
            raise
        return database, slot.user_id

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        site_name: str,
        site_code: str,
        login: str,
        display_name: str,
        passphrase: str,
        safeguarding_lead: bool,
        kdf: KdfParams | None = None,
        threat_level_date: date | None = None,
        head_office_store: str | None = None,
        head_office: bool = False,
    ) -> tuple[Database, str]:
        """A new encrypted database with its site and first manager. Never overwrites a file."""
        path, keys_path = _fresh_paths(path)
        key = new_database_key()
        database_id = str(uuid.uuid4())
        user_id = str(uuid.uuid4())
        # A first manager who is also the lead creates the site's safeguarding key; otherwise
        # it is created when the first lead is added (services/users.py).
        safeguarding = KeyPair.generate() if safeguarding_lead else None
        # The key file goes first: a database without it could only be opened by recovery key.
        secrets = _first_key_file(
            keys_path, database_id, key, user_id, login, passphrase, safeguarding, kdf
        )
        with _removed_on_failure(path, keys_path):
            _initialise(path, key, database_id, user_id=user_id)
            if head_office:
                _mark_head_office(path, key, head_office_store)
            database = cls.open_with_key(path, key, key_trusted=True)
            with database.writer(user_id=user_id, login=login) as session:
                _seed_foundation(
                    session,
                    database.site_id,
                    site_name=site_name,
                    site_code=site_code,
                    user_id=user_id,
                    login=login,
                    display_name=display_name,
                    safeguarding_lead=safeguarding_lead,
                    threat_level_date=threat_level_date or date.today(),
                )
                if safeguarding is not None:
                    session.add(
                        Setting(key=SAFEGUARDING_PUBLIC_SETTING, value=safeguarding.public.hex())
                    )
            database.user_secrets = secrets
        return database, user_id

    @classmethod
    def create_joined(
        cls,
        path: Path,
        *,
        site_id: str,
        user_id: str,
        login: str,
        passphrase: str,
        rows: list[tuple[str, dict[str, Any]]],
        safeguarding: KeyPair | None,
        reference_letter: str,
        kdf: KdfParams | None = None,
    ) -> Database:
        """A second laptop of an existing site: its own database key, device and key file,
        the site's id, and the site's records as they were on the laptop it pairs with (`rows`
        are (table, column values), inserted as they are, stamps included)."""
        path, keys_path = _fresh_paths(path)
        key = new_database_key()
        database_id = str(uuid.uuid4())
        secrets = _first_key_file(
            keys_path, database_id, key, user_id, login, passphrase, safeguarding, kdf
        )
        with _removed_on_failure(path, keys_path):
            _initialise(path, key, database_id, user_id=user_id, site_id=site_id)
            database = cls.open_with_key(path, key, key_trusted=True)
            with Session(database._writer_engine) as session, session.begin():
                tables = Base.metadata.tables
                for table_name, values in rows:
                    session.execute(tables[table_name].insert().values(**values))
                session.add(MetaEntry(key=JOINED_META_KEY, value=utc_now().isoformat()))
                session.add(MetaEntry(key=REFERENCE_LETTER_META_KEY, value=reference_letter))
            database.joined_site = True
            database.reference_letter = reference_letter
            database.user_secrets = secrets
        return database

    def close(self) -> None:
        """Drop the connections, the key and the kept reads. The engines are replaced by ones
        that refuse to connect, because the old engines' URLs still hold the key and would
        reconnect."""
        self._read_cache.clear()
        self.engine.dispose()
        self._writer_engine.dispose()
        self.engine = self._writer_engine = _closed_engine()
        self._key = b""
        self.user_secrets = None

    # ---- reads kept until the next write ---------------------------------------------------

    def _count_commit(self, connection: Any) -> None:
        if not connection.get_execution_options().get("keeps_reads"):
            self._commits += 1

    def write_local_index(self, write: Callable[[Connection], None]) -> None:
        """`write` in a transaction of its own, for this laptop's derived data that no kept
        read depends on (the concern person index): never synced, never audited (like a
        search index, it is remade from the records), and the reads kept until the next
        write (cached_read) stay kept."""
        try:
            with self._writer_engine.connect() as connection:
                connection.execution_options(keeps_reads=True)
                with connection.begin():
                    write(connection)
        except (SQLAlchemyError, DBAPIError) as error:
            raise translate_error(error, self.path, key_trusted=True) from None

    def cached_read(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave last time for the same `key` if nothing has been
        committed since. For the few whole-table reads several tabs make in turn (the
        training grid, the register): at head office each takes most of a second. Every
        commit, whatever it changed, forgets them all, so nothing stale is ever shown. The
        value is shared, so it must not be changed by its users."""
        if self._read_cache_commits != self._commits:
            self._read_cache.clear()
            self._read_cache_commits = self._commits
        if (name, key) in self._read_cache:
            return self._read_cache[(name, key)]  # type: ignore[no-any-return]
        commits = self._commits
        value = compute()
        if commits == self._commits:  # nothing was committed while it was read
            self._read_cache[(name, key)] = value
        return value

    # ---- sessions --------------------------------------------------------------------------

    @contextmanager
    def reader(self) -> Iterator[Session]:
        try:
            with Session(self.engine) as session:
                yield session
        except (SQLAlchemyError, DBAPIError) as error:
            raise translate_error(error, self.path, key_trusted=True) from None

    @contextmanager
    def writer(self, *, user_id: str | None, login: str) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error. Every change
        in it is stamped and audited; the audit head in the key file follows the commit."""
        try:
            with Session(self._writer_engine, expire_on_commit=False) as session:
                attach(session, Tracking(self.clock, self.site_id, user_id, login))
                yield session
                session.commit()
        except (SQLAlchemyError, DBAPIError) as error:
            raise translate_error(error, self.path, key_trusted=True) from None
        try:
            self.record_audit_head()
        except (KnownError, OSError):
            # The write is committed; a head left one step behind is refreshed by the next
            # write and is not mistaken for tampering. Saying "failed" now would invite a
            # retry that duplicates the record.
            logger.warning("Committed, but the audit head in the key file was not updated")

    # ---- keys ------------------------------------------------------------------------------

    @property
    def key(self) -> bytes:
        return self._key

    def recovery_key(self) -> str:
        return format_recovery_key(self._key)

    def record_audit_head(self) -> None:
        if self.key_file is None:
            return
        head = self.audit_head()
        signed = sign_head(head, self._key)
        if self.key_file.audit_head == signed:
            return

        def update(key_file: KeyFile) -> None:
            key_file.audit_head = signed

        self.key_file = modify_key_file(self.key_file.path, update)

    def audit_head(self) -> ChainHead:
        with self.reader() as session:
            row = session.execute(
                select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
            ).first()
        return ChainHead(row[0], row[1]) if row else ChainHead(0, "")

    # ---- facts and checks ------------------------------------------------------------------

    def _read_meta(self) -> dict[str, str]:
        with self.reader() as session:
            return {m.key: m.value for m in session.scalars(select(MetaEntry))}

    def sqlcipher_version(self) -> str:
        with self.engine.connect() as connection:
            return str(connection.exec_driver_sql("PRAGMA cipher_version").scalar())

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return schema.current_revision(connection)

    def counts(self) -> dict[str, int]:
        """Live (not deleted) records per record type."""
        out: dict[str, int] = {}
        with self.reader() as session:
            # A file opened without migrating (a backup being verified) may lack newer tables.
            present = set(inspect(session.connection()).get_table_names())
            for model in sorted(synced_models(), key=lambda m: m.record_type):
                if model.__tablename__ not in present:  # type: ignore[attr-defined]
                    continue
                column = model.deleted  # type: ignore[attr-defined]
                out[model.record_type] = (
                    session.scalar(
                        select(func.count()).select_from(model).where(column.is_(False))  # type: ignore[arg-type]
                    )
                    or 0
                )
            out["audit_entry"] = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return out

    def integrity_problems(self) -> list[str]:
        """Everything `check` looks at: page HMACs, SQLite's own check, foreign keys, the
        audit chain. A check that cannot finish (its pages do not decrypt) is a finding too."""

        def pragma(statement: str) -> list[str]:
            with self.engine.connect() as connection:
                return [
                    str(row[0]) if len(row) == 1 else str(tuple(row))
                    for row in connection.exec_driver_sql(statement)
                ]

        checks: list[tuple[str, Callable[[], list[str]]]] = [
            ("page check", lambda: pragma("PRAGMA cipher_integrity_check")),
            ("quick check", lambda: [r for r in pragma("PRAGMA quick_check") if r != "ok"]),
            ("foreign key check", lambda: pragma("PRAGMA foreign_key_check")),
            ("audit chain", self.audit_problems),
        ]
        problems: list[str] = []
        for label, run in checks:
            try:
                problems += [f"{label}: {finding}" for finding in run()]
            except (SQLAlchemyError, DBAPIError, KnownError) as error:
                reason = error.message if isinstance(error, KnownError) else _driver_text(error)
                problems.append(f"{label}: could not finish ({reason})")
        return problems

    def audit_problems(self) -> list[str]:
        head, head_problem = (None, "")
        if self.key_file is not None:
            head, head_problem = read_signed_head(self.key_file.audit_head, self._key)
        # Streamed in batches as rows, never all at once as objects: a head-office audit log
        # of half a million entries took `check` to 1.8 GB before (issue 9).
        query = (
            select(*AuditEntry.__table__.columns)
            .order_by(AuditEntry.seq)
            .execution_options(yield_per=AUDIT_BATCH)
        )
        with self.reader() as session:
            entries = (
                ChainEntry(
                    seq=e.seq,
                    entry_id=e.id,
                    origin_site=e.origin_site,
                    at=e.at,
                    user_id=e.user_id,
                    user_login=e.user_login,
                    action=e.action,
                    record_type=e.record_type,
                    record_id=e.record_id,
                    changes=e.changes,
                    prev_hash=e.prev_hash,
                    hash=e.hash,
                )
                for e in session.execute(query)
            )
            problems = verify_chain(entries, head)
        missing_head = self.key_file is not None and head is None and not head_problem
        if missing_head and self.audit_head().seq > 0:
            head_problem = (
                "the key file keeps no audit chain head, so entries cut off the end of "
                "the audit log could go unnoticed"
            )
        return ([head_problem] if head_problem else []) + problems


def _driver_text(error: BaseException) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    return str(original)


def _closed_engine() -> Engine:
    def refuse() -> Any:
        raise DatabaseClosed("The database is locked. Unlock it again to continue.")

    return create_engine("sqlite://", creator=refuse)


def _load_key_file_if_present(path: Path, *, tolerate_damage: bool) -> KeyFile | None:
    """A database opened with its recovery key may have lost or damaged its key file: that is
    exactly when the recovery key is needed, so it opens without one (and says so in the log).
    """
    if not key_file_path(path).exists():
        return None
    try:
        return KeyFile.for_database(path)
    except DamagedDatabase:
        if not tolerate_damage:
            raise
        logger.warning("Opened with the recovery key; the key file beside it is unreadable")
        return None


def _first_key_file(
    keys_path: Path,
    database_id: str,
    key: bytes,
    user_id: str,
    login: str,
    passphrase: str,
    safeguarding: KeyPair | None,
    kdf: KdfParams | None,
) -> UserSecrets:
    """A new database's key file with its first user's slot (they typed the passphrase
    themselves), saved; returns that user's secrets for the session."""
    slot, _kek, personal = new_slot(
        user_id=user_id,
        login=login,
        passphrase=passphrase,
        database_key=key,
        database_id=database_id,
        kdf=kdf or kdf_for_new_slots(),
        safeguarding=safeguarding.private if safeguarding else None,
        owner_set=True,
        site_public=safeguarding.public if safeguarding else b"",
    )
    KeyFile(keys_path, database_id, [slot]).save()
    return UserSecrets(
        personal,
        safeguarding.private if safeguarding else None,
        safeguarding.public if safeguarding else b"",
    )


def _mark_head_office(path: Path, key: bytes, store_url: str | None) -> None:
    engine = build_engine(path, key)
    try:
        with Session(engine) as session, session.begin():
            session.add(MetaEntry(key=MODE_META_KEY, value=HEAD_OFFICE_MODE))
            if store_url:
                session.add(MetaEntry(key=HEAD_OFFICE_STORE_META_KEY, value=store_url))
    finally:
        engine.dispose()


def _fresh_paths(path: Path) -> tuple[Path, Path]:
    path = Path(path).expanduser().resolve()
    keys_path = key_file_path(path)
    for existing in (path, keys_path):
        if existing.exists():
            raise KnownError(
                f"{existing} already exists. Choose another file name; nothing was overwritten."
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise describe_os_error(error, path.parent, "creating the data folder") from None
    return path, keys_path


@contextmanager
def _removed_on_failure(path: Path, keys_path: Path) -> Iterator[None]:
    """A half-made database is removed with its key file, and the error said plainly."""
    try:
        yield
    except BaseException as error:
        for leftover in [*backup.database_files(path), keys_path]:
            leftover.unlink(missing_ok=True)
        if isinstance(error, SQLAlchemyError | DBAPIError):
            raise translate_error(error, path, key_trusted=True) from None
        if isinstance(error, OSError):
            raise describe_os_error(error, path, "creating the database") from None
        raise


def _initialise(
    path: Path, key: bytes, database_id: str, *, user_id: str, site_id: str | None = None
) -> None:
    # Encrypted or not, the file is nobody else's business on a shared computer.
    path.touch(mode=0o600, exist_ok=False)
    engine = build_engine(path, key)
    try:
        with engine.begin() as connection:
            schema.upgrade(connection)
        with Session(engine) as session, session.begin():
            for meta_key, value in {
                "database_id": database_id,
                "site_id": site_id or str(uuid.uuid4()),
                "device_id": str(uuid.uuid4()),
            }.items():
                session.add(MetaEntry(key=meta_key, value=value))
    finally:
        engine.dispose()


def _seed_foundation(
    session: Session,
    site_id: str,
    *,
    site_name: str,
    site_code: str,
    user_id: str,
    login: str,
    display_name: str,
    safeguarding_lead: bool,
    threat_level_date: date,
) -> None:
    session.add(Site(id=site_id, name=site_name, code=site_code))
    session.add(
        User(
            id=user_id,
            login=login,
            display_name=display_name,
            role="manager",
            is_safeguarding_lead=safeguarding_lead,
            active=True,
        )
    )
    session.flush()  # the user row must exist before rows that refer to it
    for setting_key, value in DEFAULT_SETTINGS.items():
        session.add(Setting(key=setting_key, value=value))
    session.add(
        ThreatLevelChange(
            level=INITIAL_THREAT_LEVEL.value,
            effective_on=threat_level_date,
            set_by_user_id=user_id,
            note="Level stated in the organisation's Prevent strategy at setup.",
        )
    )
