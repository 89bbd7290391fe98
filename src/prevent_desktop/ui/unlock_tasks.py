"""What the unlock window asks the database worker to do. No Qt here: these run on the worker.

A remembered sign-in is tried only when asked (at start-up); one that no longer fits (the
passphrase changed, the user was removed) is forgotten rather than retried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prevent_desktop.errors import KnownError, UnknownUser, WrongPassphrase
from prevent_desktop.store.engine import precheck_file
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.keyslots import KeyFile

# The services are imported by the tasks that use them, not with this module: reading who can
# sign in then needs only the key file, so the user list shows while they are still loading.
if TYPE_CHECKING:
    from prevent_desktop.services.restore import RestoreOffer
    from prevent_desktop.services.workspace import Workspace

logger = logging.getLogger(__name__)


@dataclass
class Inspection:
    """What the window needs before anyone types: who can sign in, and whether a remembered
    sign-in has already opened the database."""

    logins: list[str]
    database_id: str
    remembered: set[str] = field(default_factory=set)
    workspace: Workspace | None = None


@dataclass
class AccessReset:
    """A manager given a new passphrase with the recovery key. `login` is spelt as the key
    file has it; `kept_key_file` is where an unreadable key file was moved aside, if one was."""

    login: str
    kept_key_file: Path | None = None


@dataclass
class SignIn:
    workspace: Workspace
    kek: bytes
    keychain_problem: str = ""


def inspect_database(
    db_path: Path, keychain: Keychain, preferred: str | None, try_remembered: bool
) -> Inspection:
    """Runs on the worker. Raises the KnownError of a missing or damaged database or key file."""
    precheck_file(db_path)
    key_file = KeyFile.for_database(db_path)
    inspection = Inspection(key_file.logins(), key_file.database_id)
    if keychain.available():
        inspection.remembered = {
            login
            for login in inspection.logins
            if keychain.recall(inspection.database_id, login) is not None
        }
    if not try_remembered or not inspection.remembered:
        return inspection
    login = preferred if preferred in inspection.remembered else sorted(inspection.remembered)[0]
    kek = keychain.recall(inspection.database_id, login)
    if kek is None:
        return inspection
    from prevent_desktop.services.workspace import Workspace

    try:
        # The page check runs beside the session instead (app.py, store/page_check.py).
        inspection.workspace = Workspace.sign_in_with_kek(db_path, login, kek, verify_pages=False)
    except (WrongPassphrase, UnknownUser):
        # The passphrase was changed or the user removed since it was remembered.
        logger.info("A remembered sign-in no longer fits; it has been forgotten")
        keychain.forget(inspection.database_id, login)
        inspection.remembered.discard(login)
    return inspection


def sign_in(
    db_path: Path, login: str, passphrase: str, keychain: Keychain, remember: bool | None
) -> SignIn:
    """Runs on the worker. `remember` None leaves the keychain alone (it is unavailable)."""
    from prevent_desktop.services.workspace import Workspace

    # The page check runs beside the session instead (app.py, store/page_check.py).
    workspace, kek = Workspace.sign_in(db_path, login, passphrase, verify_pages=False)
    result = SignIn(workspace, kek)
    database_id = workspace.database.database_id
    try:
        if remember:
            keychain.remember(database_id, workspace.actor.login, kek)
        elif remember is False:
            keychain.forget(database_id, workspace.actor.login)
    except KnownError as error:  # the sign-in stands; only remembering it failed
        result.keychain_problem = error.message
    except BaseException:
        workspace.close()
        raise
    return result


def reset_with_recovery_key(
    db_path: Path, recovery_key: bytes, login: str, new_passphrase: str
) -> AccessReset:
    """Runs on the worker (Argon2 for the new slot is slow). Raises the KnownError of a wrong
    recovery key, an unknown or non-manager user, a weak passphrase or a database open
    elsewhere; nothing is changed then."""
    from prevent_desktop.services.access import reset_access
    from prevent_desktop.services.workspace import logins

    # The app holds this database's instance lock for the whole session (app._run).
    kept = reset_access(db_path, recovery_key, login, new_passphrase, take_instance_lock=False)
    wanted = login.strip().casefold()
    try:
        spelt = next((known for known in logins(db_path) if known.casefold() == wanted), None)
    except KnownError:  # the reset stands; only the list for the window could not be read
        spelt = None
    return AccessReset(spelt or login.strip(), kept)


def find_restore_offer(db_path: Path) -> RestoreOffer | None:
    """Runs on the worker: the latest automatic backup, for a database that will not open."""
    from prevent_desktop.services.restore import restore_offer

    return restore_offer(db_path)


def restore_latest_backup(
    db_path: Path, offer: RestoreOffer, login: str, passphrase: str
) -> Path | None:
    """Runs on the worker. Verifies the backup fully before swapping it in; returns where the
    replaced (damaged) file was kept. The app holds the instance lock for its session."""
    from prevent_desktop.services.restore import restore_backup

    return restore_backup(offer.backup, db_path, login, passphrase, take_instance_lock=False)
