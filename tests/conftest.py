"""Shared fixtures: every test gets its own data dir and a fresh encrypted database on demand.

Key derivation uses the cheap Argon2id profile (PREVENT_DESKTOP_KDF=fast) so that the suite
stays quick; tests of the production parameters set their own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from keyring.backends import fail

from prevent_desktop import paths
from prevent_desktop.domain.roles import Role
from prevent_desktop.services.workspace import Workspace
from tests.keyring_memory import MemoryKeyring

PASSPHRASE = "river otter lantern 7"
LEAD_PASSPHRASE = "copper kettle morning 42"
STAFF_PASSPHRASE = "quiet harbour violet 19"
# What a manager gives a new user, who replaces it at their first sign-in.
TEMPORARY_PASSPHRASE = "given by the manager 2024"

# No test may reach the developer's real keychain: a plain assignment, so that a developer's
# own PYTHON_KEYRING_BACKEND does not win, and CLI subprocesses inherit it. The Secret Service
# integration test builds its own backend explicitly.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["PREVENT_DESKTOP_KDF"] = "fast"


@pytest.fixture(autouse=True)
def no_real_keychain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever keyring backend a test installs is undone; the default is "no keychain"."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """An in-memory keychain as the process default, for tests of "remember on this computer"."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    paths.set_data_dir(folder)
    yield folder
    paths.set_data_dir(None)


@pytest.fixture
def db_path(data_dir: Path) -> Path:
    return data_dir / "prevent.db"


def create_site(path: Path) -> Path:
    """A new site's database (starter register included) with one manager, sam, closed again."""
    workspace = Workspace.create_site(
        path,
        site_name="Leeds Training Centre",
        site_code="LTC",
        login="sam",
        display_name="Sam Patel",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    workspace.close()
    return path


@pytest.fixture
def created_db(db_path: Path) -> Path:
    return create_site(db_path)


@pytest.fixture
def workspace(created_db: Path) -> Iterator[Workspace]:
    """Signed in as the manager, with a safeguarding lead (dana) and a staff member (tom),
    each of whom has signed in once and chosen their own passphrase (so dana holds the site's
    safeguarding key)."""
    ws, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    add_dana_and_tom(ws)
    yield ws
    ws.close()


def add_dana_and_tom(manager: Workspace) -> None:
    for login, name, role, lead, own in (
        ("dana", "Dana Okafor", Role.SAFEGUARDING_LEAD, True, LEAD_PASSPHRASE),
        ("tom", "Tom Reed", Role.STAFF, False, STAFF_PASSPHRASE),
    ):
        add_user_with_own_passphrase(manager, login, name, role, lead, own)


def add_user_with_own_passphrase(
    manager: Workspace, login: str, name: str, role: Role, lead: bool, own: str
) -> None:
    """A manager adds the user; the user signs in once and chooses their own passphrase."""
    manager.users.add_user(
        login=login,
        display_name=name,
        role=role,
        is_safeguarding_lead=lead,
        passphrase=TEMPORARY_PASSPHRASE,
    )
    choose_own_passphrase(manager.database.path, login, own)


def choose_own_passphrase(path: Path, login: str, own: str) -> None:
    """A user's first sign-in: they replace the passphrase a manager gave them."""
    user, _kek = Workspace.sign_in(path, login, TEMPORARY_PASSPHRASE)
    user.users.change_own_passphrase(TEMPORARY_PASSPHRASE, own)
    user.close()
