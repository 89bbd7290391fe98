"""The safeguarding recovery key: the way back to the concern log when no lead can sign in.

The safeguarding private key lives only in leads' key slots. Should the site's only lead
forget their passphrase (or leave without handing over), every concern's details would be
lost. So the database also keeps the private key wrapped (AES-256-GCM) under a second,
random-looking key derived from it, the safeguarding recovery key, which a lead prints and
locks away. It is not the database's recovery key: a manager holding that one still cannot
read concerns.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import PermissionDenied, ValidationError, WrongKey
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.users import UserService
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import format_recovery_key, parse_recovery_key
from prevent_desktop.store.models import Setting, User
from prevent_desktop.store.sealing import KeyPair
from prevent_desktop.store.session_keys import (
    SAFEGUARDING_PUBLIC_SETTING,
    UserSecrets,
    grant_to,
)

RECOVERY_WRAP_SETTING = "safeguarding_recovery_wrap"
_INFO = b"prevent-desktop safeguarding recovery key v1"


def recovery_key_for(safeguarding_private: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=_INFO).derive(safeguarding_private)


def _associated_data(public_hex: str) -> bytes:
    return f"safeguarding-recovery|{public_hex}".encode()


class SafeguardingRecovery:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    def _held(self) -> bytes:
        secrets_ = self.database.user_secrets
        if (
            not self.actor.can(Permission.READ_CONCERNS)
            or secrets_ is None
            or secrets_.safeguarding_private is None
        ):
            raise PermissionDenied(
                "Only a safeguarding lead who holds safeguarding access can see the "
                "safeguarding recovery key."
            )
        return secrets_.safeguarding_private

    def ensure_wrapped(self) -> bool:
        """Store the wrap if this database has none yet (a lead signing in does this). True
        when it was written now."""
        private = self._held()
        with self.database.reader() as session:
            present = session.scalar(select(Setting.id).where(Setting.key == RECOVERY_WRAP_SETTING))
            public_hex = session.scalar(
                select(Setting.value).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING)
            )
        if present is not None or public_hex is None:
            return False
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(recovery_key_for(private)).encrypt(
            nonce, private, _associated_data(public_hex)
        )
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            session.add(Setting(key=RECOVERY_WRAP_SETTING, value=(nonce + wrapped).hex()))
        return True

    def show(self, passphrase: str) -> str:
        """The key for printing, after the lead re-enters their passphrase."""
        private = self._held()
        UserService(self.database, self.actor).verify_own_passphrase(passphrase)
        self.ensure_wrapped()
        return format_recovery_key(recovery_key_for(private))

    def restore(self, recovery_text: str) -> ChangeSet:
        """A lead without access proves the safeguarding recovery key: the key is granted to
        them (taken into their slot at their next sign-in) and usable at once."""
        if not self.actor.can(Permission.READ_CONCERNS):
            raise PermissionDenied(
                "Only a safeguarding lead can restore safeguarding access; a manager must make "
                "you a lead first."
            )
        recovery = parse_recovery_key(recovery_text)
        with self.database.reader() as session:
            wrap_hex = session.scalar(
                select(Setting.value).where(Setting.key == RECOVERY_WRAP_SETTING)
            )
            public_hex = session.scalar(
                select(Setting.value).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING)
            )
            user = session.get(User, self.actor.user_id)
        if not wrap_hex or not public_hex or user is None:
            raise ValidationError(
                "This database keeps no safeguarding recovery key: no lead has signed in since "
                "it was set up. Ask a lead who holds access to grant it to you instead."
            )
        raw = bytes.fromhex(wrap_hex)
        try:
            private = AESGCM(recovery).decrypt(raw[:12], raw[12:], _associated_data(public_hex))
        except InvalidTag:
            raise WrongKey(
                "That is not this site's safeguarding recovery key (check for typing errors; "
                "it is not the database recovery key)."
            ) from None
        if KeyPair.from_private(private).public.hex() != public_hex:
            raise WrongKey("That safeguarding recovery key belongs to a different key pair.")
        key_file = self.database.key_file
        if key_file is None:
            raise ValidationError("Open the database with a passphrase, not its recovery key.")
        updated = grant_to(
            key_file.path, self.database.database_id, self.actor.user_id, private, "recovery key"
        )
        if updated is not None:
            self.database.key_file = updated
        held = self.database.user_secrets
        if held is not None:
            self.database.user_secrets = UserSecrets(held.personal, private, held.site_public)
        return ChangeSet("user", "update", (self.actor.user_id,))
