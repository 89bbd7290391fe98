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


@pytest.fixture
def created_db(db_path: Path) -> Path:
    """A new site's database (starter register included) with one manager, sam, closed again."""
    workspace = Workspace.create_site(
        db_path,
        site_name="Leeds Training Centre",
        site_code="LTC",
        login="sam",
        display_name="Sam Patel",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    workspace.close()
    return db_path


@pytest.fixture
def workspace(created_db: Path) -> Iterator[Workspace]:
    """Signed in as the manager, with a safeguarding lead (dana) and a staff member (tom)."""
    ws, _kek = Workspace.sign_in(created_db, "sam", PASSPHRASE)
    ws.users.add_user(
        login="dana",
        display_name="Dana Okafor",
        role=Role.SAFEGUARDING_LEAD,
        is_safeguarding_lead=True,
        passphrase=LEAD_PASSPHRASE,
    )
    ws.users.add_user(
        login="tom",
        display_name="Tom Reed",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        passphrase=STAFF_PASSPHRASE,
    )
    yield ws
    ws.close()
