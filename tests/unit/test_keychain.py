from __future__ import annotations

import base64
import logging
import os
import uuid
from contextlib import closing

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from prevent_desktop.errors import KnownError
from prevent_desktop.store.keychain import SERVICE, Keychain
from tests.keyring_memory import MemoryKeyring

SECRET = bytes(range(256))  # not valid UTF-8: the keychain must carry arbitrary bytes


class BrokenKeyring(MemoryKeyring):
    """Raises `error` from every operation, as a locked or vanished keychain does."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class PlaintextKeyring(MemoryKeyring):
    pass


# Stands in for keyrings.alt.file.PlaintextKeyring without installing keyrings.alt.
PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_round_trip_stores_base64_under_the_database_and_casefolded_login() -> None:
    backend = MemoryKeyring()
    keychain = Keychain(backend)
    assert keychain.available()
    assert keychain.unavailable_reason() == ""

    keychain.remember("db-1", "Alice", SECRET)

    assert backend.passwords == {(SERVICE, "db-1:alice"): base64.b64encode(SECRET).decode()}
    assert keychain.recall("db-1", "ALICE") == SECRET


def test_remember_replaces_the_previous_secret() -> None:
    keychain = Keychain(MemoryKeyring())
    keychain.remember("db-1", "alice", b"old")
    keychain.remember("db-1", "alice", b"new")
    assert keychain.recall("db-1", "alice") == b"new"


def test_forget_removes_the_secret_and_is_quiet_when_nothing_is_stored() -> None:
    keychain = Keychain(MemoryKeyring())
    keychain.remember("db-1", "alice", SECRET)

    keychain.forget("db-1", "Alice")
    keychain.forget("db-1", "alice")

    assert keychain.recall("db-1", "alice") is None


def test_secrets_are_kept_apart_per_database_and_per_user() -> None:
    keychain = Keychain(MemoryKeyring())
    keychain.remember("db-1", "alice", b"a1")
    keychain.remember("db-2", "alice", b"a2")
    keychain.remember("db-1", "bob", b"b1")

    keychain.forget("db-2", "alice")

    assert keychain.recall("db-1", "alice") == b"a1"
    assert keychain.recall("db-2", "alice") is None
    assert keychain.recall("db-1", "bob") == b"b1"
    assert keychain.recall("db-2", "bob") is None


def test_a_damaged_entry_is_treated_as_nothing_remembered() -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "db-1:alice", "not base64!")
    assert Keychain(backend).recall("db-1", "alice") is None


def test_no_keychain_is_unavailable_with_a_reason_and_refuses_to_remember() -> None:
    keychain = Keychain(fail.Keyring())

    assert not keychain.available()
    assert "no system keychain" in keychain.unavailable_reason()
    with pytest.raises(KnownError, match="no system keychain"):
        keychain.remember("db-1", "alice", SECRET)
    assert keychain.recall("db-1", "alice") is None
    keychain.forget("db-1", "alice")


@pytest.mark.parametrize("backend", [null.Keyring(), PlaintextKeyring()], ids=["null", "plaintext"])
def test_null_and_file_backends_are_never_used(backend: keyring.backend.KeyringBackend) -> None:
    keychain = Keychain(backend)

    assert not keychain.available()
    assert keychain.unavailable_reason()
    with pytest.raises(KnownError):
        keychain.remember("db-1", "alice", SECRET)
    assert getattr(backend, "passwords", {}) == {}


def test_the_default_backend_is_keyrings_current_one(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)

    Keychain().remember("db-1", "alice", SECRET)

    assert (SERVICE, "db-1:alice") in backend.passwords


def test_a_broken_keyring_configuration_leaves_the_keychain_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> keyring.backend.KeyringBackend:
        raise ImportError("No module named 'nowhere'")

    monkeypatch.setattr(keyring, "get_keyring", broken)

    keychain = Keychain()

    assert not keychain.available()
    assert "could not be loaded" in keychain.unavailable_reason()


def test_a_chain_uses_only_its_first_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    weaker = MemoryKeyring()
    chained = [BrokenKeyring(keyring.errors.PasswordSetError("refused")), weaker]
    monkeypatch.setattr(chainer.ChainerBackend, "backends", chained)

    with pytest.raises(KnownError, match="refused"):
        Keychain(chainer.ChainerBackend()).remember("db-1", "alice", SECRET)
    assert weaker.passwords == {}


def test_a_chain_of_nothing_is_no_keychain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert "no system keychain" in Keychain(chainer.ChainerBackend()).unavailable_reason()


def test_a_locked_keychain_says_so_when_remembering() -> None:
    keychain = Keychain(BrokenKeyring(keyring.errors.KeyringLocked("Failed to unlock")))
    with pytest.raises(KnownError, match="locked"):
        keychain.remember("db-1", "alice", SECRET)


@pytest.mark.parametrize(
    "error",
    [
        keyring.errors.KeyringLocked("Failed to unlock the collection!"),
        keyring.errors.InitError("Failed to create the collection"),
        OSError("connection reset"),
    ],
    ids=["locked", "init", "os"],
)
def test_backend_failures_on_recall_and_forget_are_logged_not_raised(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    keychain = Keychain(BrokenKeyring(error))
    caplog.set_level(logging.DEBUG, logger="prevent_desktop.store.keychain")

    assert keychain.recall("db-1", "Alice.Smith") is None
    keychain.forget("db-1", "Alice.Smith")

    assert len(caplog.records) == 2
    assert "db-1" in caplog.text
    assert "alice.smith" not in caplog.text.casefold()  # user names are personal data


def test_dbus_failures_are_backend_errors() -> None:
    secretstorage = pytest.importorskip("secretstorage")
    error = secretstorage.exceptions.SecretServiceNotAvailableException("no bus")
    keychain = Keychain(BrokenKeyring(error))

    with pytest.raises(KnownError, match="no bus"):
        keychain.remember("db-1", "alice", SECRET)
    assert keychain.recall("db-1", "alice") is None


def test_the_secret_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    backend = MemoryKeyring()
    keychain = Keychain(backend)
    keychain.remember("db-1", "alice", b"hunter2")
    keychain.recall("db-1", "alice")
    keychain.forget("db-1", "alice")
    Keychain(BrokenKeyring(OSError("gone"))).recall("db-1", "alice")

    assert "hunter2" not in caplog.text
    assert base64.b64encode(b"hunter2").decode() not in caplog.text


def _private_secret_service() -> keyring.backend.KeyringBackend:
    """The Secret Service on the throwaway bus .ci/run starts, or skip (fail when required).

    Any other bus may be a developer's desktop session, whose keychain this test must not touch.
    """
    required = os.environ.get("PREVENT_DESKTOP_REQUIRE_KEYRING") == "1"

    def unavailable(why: str) -> None:
        if required:
            pytest.fail(f"{why}, and PREVENT_DESKTOP_REQUIRE_KEYRING=1 demands it")
        pytest.skip(why)

    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not bus or bus != os.environ.get("PREVENT_DESKTOP_TEST_BUS"):
        unavailable("not on the private session bus that .ci/run starts (see with_secret_service)")
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018 (raises when there is no Secret Service)
    except RuntimeError as error:
        unavailable(f"no Secret Service on the session bus: {error}")
    # Look without side effects: keyring itself would try to create a missing collection.
    import secretstorage

    with closing(secretstorage.dbus_init()) as bus:
        try:
            locked = secretstorage.Collection(bus).is_locked()
        except secretstorage.exceptions.SecretStorageException as error:
            unavailable(f"the Secret Service has no default collection: {error}")
        if locked:
            unavailable("the Secret Service's default collection is locked")
    return SecretService.Keyring()


@pytest.mark.keyring_integration
def test_secret_service_stores_recalls_and_forgets() -> None:
    backend = _private_secret_service()
    keychain = Keychain(backend)
    database_id = str(uuid.uuid4())
    assert keychain.available(), keychain.unavailable_reason()

    keychain.remember(database_id, "Alice", SECRET)
    try:
        assert backend.get_password(SERVICE, f"{database_id}:alice") == (
            base64.b64encode(SECRET).decode()
        )
        assert keychain.recall(database_id, "alice") == SECRET
        assert keychain.recall(database_id, "bob") is None
    finally:
        keychain.forget(database_id, "alice")

    assert keychain.recall(database_id, "alice") is None
    assert backend.get_password(SERVICE, f"{database_id}:alice") is None
