"""Restoring a backup: copy it beside the database, verify the copy fully, then swap it in
without destroying the current file."""

from __future__ import annotations

from pathlib import Path

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.services.users import actor_for
from prevent_desktop.store import backup
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import precheck_file
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.sync.device import renew_device_identity


def restore_backup(
    backup_path: Path, database_path: Path, login: str, passphrase: str
) -> Path | None:
    """Replace `database_path` with `backup_path` after a manager proves they can open the
    backup and it passes every check. Returns where the replaced file was kept, if any."""
    precheck_file(backup_path)
    with InstanceLock(database_path):
        staged = backup.stage_backup(backup_path, database_path)
        try:
            database, user_id, _kek = Database.unlock(staged, login, passphrase, migrate=False)
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
                    "it was not restored."
                )
            return backup.install_staged(staged, database_path)
        finally:
            backup.discard_staged(staged)
