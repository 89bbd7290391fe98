"""Restoring a backup: copy it beside the database, verify the copy fully, then swap it in
without destroying the current file."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.uk_date import uk_date_time
from prevent_desktop.errors import DamagedDatabase, ValidationError
from prevent_desktop.services.users import actor_for
from prevent_desktop.store import backup
from prevent_desktop.store.audit import CUT_OFF_END
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import precheck_file
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.store.lost_changes import lost_changes
from prevent_desktop.store.models import utc_now
from prevent_desktop.store.tracking import append_audit
from prevent_desktop.sync.device import renew_device_identity


def restore_backup(
    backup_path: Path,
    database_path: Path,
    login: str,
    passphrase: str,
    *,
    take_instance_lock: bool = True,
) -> Path | None:
    """Replace `database_path` with `backup_path` after a manager proves they can open the
    backup and it passes every check. Returns where the replaced file was kept, if any. The
    running app already holds the database's instance lock, so it passes
    `take_instance_lock=False`."""
    precheck_file(backup_path)
    with InstanceLock(database_path) if take_instance_lock else nullcontext():
        staged = backup.stage_backup(backup_path, database_path)
        try:
            database, user_id, _kek = Database.unlock(
                staged, login, passphrase, migrate=False, guesses_counted_for=database_path
            )
            try:
                actor_for(database, user_id).require(Permission.RESTORE_BACKUP, "restore backups")
                problems = database.integrity_problems()
                if not problems:
                    with database.writer(user_id=user_id, login=login) as session:
                        session.info["tracking"].importing = True  # meta only
                        renew_device_identity(session)
            finally:
                database.close()
            if problems:
                raise DamagedDatabase(
                    f"The backup {backup_path} fails its checks ({problems[0]}); "
                    "it was not restored. Try an older one: `prevent-desktop restore --backup "
                    f"FILE` with another file from {backup_path.parent}."
                )
            return backup.install_staged(staged, database_path)
        finally:
            backup.discard_staged(staged)


@dataclass(frozen=True)
class RestoreOffer:
    """The latest automatic backup, offered when a database will not open."""

    backup: Path
    made: str  # when, in UK local form ("26/11/2026 13:02"), or "" if its name does not say

    def advice(self, database: Path) -> str:
        when = f" of {self.made}" if self.made else ""
        return (
            f"The latest automatic backup{when} is {self.backup}. A manager can restore it "
            f"(changes made since are lost; the damaged file is kept): `prevent-desktop "
            f'restore --db {database} --latest`, or "Restore the backup" in the app.'
        )


def restore_offer(database: Path) -> RestoreOffer | None:
    """The newest automatic backup with its key file, or None if there is none."""
    latest = backup.latest_automatic_backup(database)
    if latest is None:
        return None
    made = backup.made_at(latest)
    return RestoreOffer(latest, uk_date_time(made.astimezone()) if made else "")


@dataclass(frozen=True)
class _LostEntries:
    """What the audit entry for accepting lost changes names as its record."""

    id: str
    record_type: str = "lost_changes"


def accept_lost_changes(
    database_path: Path,
    *,
    login: str = "",
    passphrase: str = "",
    recovery_key: bytes | None = None,
) -> tuple[int, int]:
    """Go on with a database that lost its latest commits (store/lost_changes.py) when neither
    its journal nor a backup can bring them back. A manager (by passphrase, or anyone holding
    the recovery key, which only managers are shown) accepts the loss; everything else must
    pass `check` first. It is audited, and the laptop becomes a new laptop to the others, as
    a restored backup does: the lost commits' bundle numbers and audit entries may have been
    sent already, and repeating them would stop its sync. Returns (the database's last
    entry, the key file's old head)."""
    precheck_file(database_path)
    with InstanceLock(database_path):
        if recovery_key is not None:
            database = Database.open_with_key(database_path, recovery_key, migrate=False)
            user_id, who = None, "recovery key"
        else:
            database, user_id, _kek = Database.unlock(
                database_path, login, passphrase, migrate=False
            )
        try:
            if user_id is not None:
                actor = actor_for(database, user_id)
                actor.require(Permission.RESTORE_BACKUP, "accept lost changes")
                who = actor.login
            with database.engine.connect() as connection:
                found = lost_changes(connection, database.key, database.key_file)
            if found is None:
                raise ValidationError(f"{database_path} has lost no changes; nothing to do.")
            last, head = found[0], found[1].seq
            others = [p for p in database.integrity_problems() if CUT_OFF_END not in p]
            if others:
                raise DamagedDatabase(
                    f"{database_path} has other damage too ({others[0]}); restore a backup."
                )
            lost = f"{last + 1}-{head}"
            with database.writer(user_id=user_id, login=who) as session:
                tracking = session.info["tracking"]
                tracking.importing = True  # meta only: the entry below is the one audit
                renew_device_identity(session)
                changes = {"lost_entries": lost, "last_kept": last}
                append_audit(
                    session, tracking, utc_now(), [("accept", _LostEntries(lost), changes)]
                )
            # The writer has recorded the new head in the key file: it opens normally again.
            return last, head
        finally:
            database.close()
