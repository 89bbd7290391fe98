"""The "remember on this computer" option: a secret kept in the system keychain.

The keychain is optional. When the computer has no usable keychain (a headless Linux box with
no Secret Service, or only a plaintext/file backend from keyrings.alt), `Keychain.available()`
is False and `unavailable_reason()` says why, so the UI can disable the option honestly
instead of quietly writing secrets to a file.
"""

from __future__ import annotations

import base64
import binascii
import logging

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

from prevent_desktop.errors import KnownError

logger = logging.getLogger(__name__)

SERVICE = "Prevent Desktop"

# Backends that exist in keyring's registry but give no real protection: a file on disk
# (keyrings.alt's plaintext and "encrypted" file keyrings, keyrings.cryptfile) is exactly
# the plaintext-on-disk this application promises never to write.
_FILE_BACKEND_MODULES = ("keyrings.alt", "keyrings.cryptfile")


def _backend_errors() -> tuple[type[BaseException], ...]:
    """Exceptions a keychain backend raises for environmental reasons rather than bugs."""
    errors: list[type[BaseException]] = [keyring.errors.KeyringError, OSError]
    try:  # Linux only: D-Bus failures surface from secretstorage/jeepney unwrapped
        from jeepney.wrappers import DBusErrorResponse  # type: ignore[import-untyped]
        from secretstorage.exceptions import SecretStorageException
    except ImportError:
        pass
    else:
        errors += [SecretStorageException, DBusErrorResponse]
    return tuple(errors)


_BACKEND_ERRORS = _backend_errors()


class KeychainError(KnownError):
    """The keychain refused or failed to store a secret."""


class Keychain:
    """Secrets remembered per database and user in the system keychain."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend, self._reason = _usable_backend(backend)

    def available(self) -> bool:
        return self._backend is not None

    def unavailable_reason(self) -> str:
        """Why the option is disabled, for the user; empty when the keychain is available."""
        return self._reason

    def remember(self, database_id: str, login: str, secret: bytes) -> None:
        backend = self._backend
        if backend is None:
            raise KeychainError(self._reason)
        encoded = base64.b64encode(secret).decode("ascii")
        try:
            backend.set_password(SERVICE, _account(database_id, login), encoded)
        except keyring.errors.KeyringLocked as error:
            raise KeychainError(
                "The system keychain is locked, so your sign-in was not remembered. Unlock "
                "the keychain (for example by signing in to your desktop again) and try again."
            ) from error
        except _BACKEND_ERRORS as error:
            raise KeychainError(
                f"The system keychain ({_backend_name(backend)}) could not store your "
                f"sign-in: {str(error) or type(error).__name__}. Your sign-in was not remembered; "
                "you can still sign in with your passphrase."
            ) from error

    def recall(self, database_id: str, login: str) -> bytes | None:
        """The remembered secret, or None when nothing is remembered or it cannot be read."""
        if self._backend is None:
            return None
        try:
            encoded = self._backend.get_password(SERVICE, _account(database_id, login))
        except _BACKEND_ERRORS:
            # The login is left out of the log on purpose: user names are personal data.
            logger.warning(
                "Could not read the keychain for database %s", database_id, exc_info=True
            )
            return None
        if encoded is None:
            return None
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            logger.warning("Ignoring a damaged keychain entry for database %s", database_id)
            return None

    def forget(self, database_id: str, login: str) -> None:
        if self._backend is None:
            return
        try:
            self._backend.delete_password(SERVICE, _account(database_id, login))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was remembered
        except _BACKEND_ERRORS:
            logger.warning(
                "Could not remove a keychain entry for database %s", database_id, exc_info=True
            )


_NO_KEYCHAIN = (
    "This computer has no system keychain that Prevent Desktop can use (such as GNOME "
    "Keyring, KWallet, macOS Keychain or Windows Credential Manager), so it cannot "
    "remember your sign-in. You can still sign in normally."
)


def _usable_backend(
    backend: keyring.backend.KeyringBackend | None,
) -> tuple[keyring.backend.KeyringBackend | None, str]:
    """The backend to use and an empty reason, or None and why there is none."""
    if backend is None:
        try:
            backend = keyring.get_keyring()
        except Exception:  # a broken keyring configuration must not stop the app starting
            logger.warning("Could not load the keyring backend", exc_info=True)
            return None, (
                "The system keychain could not be loaded, so Prevent Desktop cannot "
                "remember your sign-in on this computer. You can still sign in normally."
            )
    if isinstance(backend, chainer.ChainerBackend):
        # Writes go to the first chained backend; judge and use that one alone so a failure
        # there can never fall through to a weaker backend further down the chain.
        chained = list(backend.backends)
        if not chained:
            return None, _NO_KEYCHAIN
        backend = chained[0]
    reason = _reason_unusable(backend)
    return (None, reason) if reason else (backend, "")


def _account(database_id: str, login: str) -> str:
    return f"{database_id}:{login.casefold()}"


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return str(getattr(backend, "name", type(backend).__name__))


def _reason_unusable(backend: keyring.backend.KeyringBackend) -> str:
    """A user-facing sentence when `backend` must not be used, else an empty string."""
    if isinstance(backend, fail.Keyring):
        return _NO_KEYCHAIN
    if isinstance(backend, null.Keyring):
        return (
            "Keychain use is turned off on this computer (the keyring is set to its null "
            "backend), so Prevent Desktop cannot remember your sign-in."
        )
    if type(backend).__module__.startswith(_FILE_BACKEND_MODULES):
        return (
            f"The only keychain available here ({_backend_name(backend)}) keeps secrets in "
            "a file rather than a protected system keychain, so Prevent Desktop will not use "
            "it to remember your sign-in."
        )
    return ""
