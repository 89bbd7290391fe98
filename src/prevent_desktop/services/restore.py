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
