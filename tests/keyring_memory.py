"""An in-memory keyring backend so tests never touch a real keychain."""

from __future__ import annotations

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):  # type: ignore[misc]
    """Passwords in a dict. Pass an instance to `Keychain(backend=...)` or `keyring.set_keyring`."""

    # Importing this module registers the class with keyring; not being viable keeps keyring's
    # own backend detection from ever choosing it behind a test's back.
    viable = False
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("No such password") from None
