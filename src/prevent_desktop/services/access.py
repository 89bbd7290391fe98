"""Getting back in with the recovery key: a manager whose passphrase is lost, or a database
whose key file is lost or damaged, is given a new passphrase slot."""

from __future__ import annotations

import os
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import UnknownUser, ValidationError
from prevent_desktop.services.users import check_passphrase_policy
from prevent_desktop.store import guess_throttle
from prevent_desktop.store.audit import sign_head
from prevent_desktop.store.database import Database
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.store.keyfile_lock import modify_key_file
from prevent_desktop.store.keyslots import KeyFile, kdf_for_new_slots, key_file_path
from prevent_desktop.store.models import User, utc_now
from prevent_desktop.store.session_keys import new_slot


def reset_access(
    path: Path,
    recovery_key: bytes,
    login: str,
    new_passphrase: str,
    *,
    take_instance_lock: bool = True,
) -> Path | None:
    """Give the active manager `login` a new passphrase, proven by the recovery key. A missing
    or unreadable key file is replaced by a new one (the unreadable one is kept beside it,
    renamed); other users' slots in a readable key file stay as they are. Returns where an
    unreadable key file was kept, if there was one. The running app already holds the
    instance lock for its database, so it passes `take_instance_lock=False`."""
    check_passphrase_policy(new_passphrase)
    with InstanceLock(path) if take_instance_lock else nullcontext():
        database = Database.open_with_key(path, recovery_key)
        try:
            with database.reader() as session:
                user = session.scalar(
                    select(User).where(
                        func.lower(User.login) == login.strip().lower(), User.deleted.is_(False)
                    )
                )
                if user is None or not user.active:
                    raise UnknownUser(f"There is no active user called {login!r}.")
                if user.role != Role.MANAGER.value:
                    raise ValidationError(
                        f"{user.display_name} is not a manager. Reset access for a manager, "
                        "who can then reset everyone else."
                    )
                user_id, user_login = user.id, user.login
            kept = None
            key_file = database.key_file
            keys_path = key_file_path(path)
            if key_file is None:
                if keys_path.exists():
                    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
                    kept = keys_path.with_name(f"{keys_path.name}.unreadable-{stamp}")
                    os.replace(keys_path, kept)
                key_file = KeyFile(keys_path, database.database_id)
            slot, _kek, _personal = new_slot(
                user_id=user_id,
                login=user_login,
                passphrase=new_passphrase,
                database_key=database.key,
                database_id=database.database_id,
                kdf=kdf_for_new_slots(),
                owner_set=True,  # the manager proving the recovery key types it themselves
            )
            head = sign_head(database.audit_head(), database.key)

            def update(kf: KeyFile) -> None:
                kf.put_slot(slot)
                kf.remove_grant(user_id)  # sealed to the key pair the lost slot had
                kf.audit_head = head

            if database.key_file is None:
                update(key_file)
                key_file.save()
            else:
                key_file = modify_key_file(keys_path, update)
            database.key_file = key_file
            guess_throttle.clear(path, user_id)  # a new passphrase starts a new count
            with database.writer(user_id=user_id, login=user_login) as session:
                changed = session.get(User, user_id)
                assert changed is not None
                changed.passphrase_changed_at = utc_now()
            return kept
        finally:
            database.close()
