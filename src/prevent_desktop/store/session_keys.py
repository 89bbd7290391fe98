"""The secrets a signed-in user holds beyond the database key: their own key pair and, for a
safeguarding lead, the safeguarding private key. Unwrapped from their key slot at sign-in.

Sign-in also keeps slots current: an old (version 1) slot gains a key pair, a pending grant of
safeguarding access is moved into the lead's slot, and a user who is no longer a lead loses
the safeguarding key from their slot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.store.keyfile_lock import modify_key_file
from prevent_desktop.store.keyslots import (
    PERSONAL_KEY,
    SAFEGUARDING_KEY,
    KdfParams,
    KeyFile,
    KeySlot,
    SafeguardingGrant,
)
from prevent_desktop.store.sealing import KeyPair, open_sealed, seal

SAFEGUARDING_PUBLIC_SETTING = "safeguarding_public_key"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserSecrets:
    personal: KeyPair
    safeguarding_private: bytes | None = None
    # The site's safeguarding public key as pinned in this user's slot (empty: none yet).
    site_public: bytes = b""

    def __repr__(self) -> str:
        held = "with" if self.safeguarding_private else "without"
        return f"UserSecrets({self.personal!r}, {held} safeguarding key)"


def new_slot(
    *,
    user_id: str,
    login: str,
    passphrase: str,
    database_key: bytes,
    database_id: str,
    kdf: KdfParams,
    personal: KeyPair | None = None,
    safeguarding: bytes | None = None,
    owner_set: bool,
    site_public: bytes = b"",
) -> tuple[KeySlot, bytes, KeyPair]:
    """A version 2 slot: the slot, its key-encryption key and the user's key pair (kept when
    given, so a passphrase change does not lose what the user could read). `owner_set`: the
    user chose the passphrase themselves (see KeySlot.owner_set)."""
    slot, kek = KeySlot.create(
        user_id=user_id,
        login=login,
        passphrase=passphrase,
        database_key=database_key,
        database_id=database_id,
        kdf=kdf,
    )
    personal = personal or KeyPair.generate()
    slot = slot.with_secrets(
        kek,
        database_id,
        personal_private=personal.private,
        personal_public=personal.public,
        safeguarding=safeguarding,
        owner_set=owner_set,
        site_public=site_public,
    )
    return slot, kek, personal


def grant_to(
    key_file_path: Path, database_id: str, user_id: str, safeguarding_private: bytes, by: str
) -> KeyFile | None:
    """Seal the safeguarding key to the user's public key in the key file. None when the user
    has no slot they set themselves yet (a manager-set passphrase is known to the manager, and
    so would be the key)."""

    def add(key_file: KeyFile) -> None:
        slot = key_file.slot_for_user(user_id)
        if slot is None or not slot.personal_public or not slot.owner_set:
            return
        sealed = seal(
            slot.personal_public,
            safeguarding_private,
            SafeguardingGrant.context(database_id, user_id),
        )
        key_file.put_grant(SafeguardingGrant(user_id, sealed, by))

    updated = modify_key_file(key_file_path, add)
    return updated if updated.grant_for(user_id) else None


def revoke(key_file_path: Path, user_id: str) -> KeyFile:
    """Take the safeguarding key out of a user's slot and drop any grant waiting for them."""

    def strip(key_file: KeyFile) -> None:
        slot = key_file.slot_for_user(user_id)
        if slot is not None and slot.safeguarding is not None:
            key_file.put_slot(slot.without_safeguarding())
        key_file.remove_grant(user_id)

    return modify_key_file(key_file_path, strip)


def open_user_secrets(
    key_file: KeyFile,
    slot: KeySlot,
    kek: bytes,
    *,
    is_lead: bool,
    site_public: bytes | None,
) -> tuple[UserSecrets, KeyFile]:
    """The user's secrets, updating their slot as described in the module docstring. A grant
    is taken up only when it opens and holds the private half of `site_public` (the site's
    safeguarding public key): a grant planted by someone editing the key file is dropped."""
    database_id = key_file.database_id
    personal_private = slot.unwrap_secret(kek, database_id, PERSONAL_KEY)
    personal = KeyPair.from_private(personal_private) if personal_private else KeyPair.generate()
    safeguarding = slot.unwrap_secret(kek, database_id, SAFEGUARDING_KEY) if is_lead else None
    grant = key_file.grant_for(slot.user_id)
    if is_lead and safeguarding is None and grant is not None and personal_private:
        safeguarding = _open_grant(grant, personal, database_id, slot.user_id, site_public)
    # Trust on first use: a slot without a pin takes the site's key as it is now; a pin that
    # differs is kept, so that the difference is noticed (concern_records.cipher_for).
    pin = slot.site_public or (site_public or b"")
    wanted = slot.with_secrets(
        kek,
        database_id,
        personal_private=personal.private,
        personal_public=personal.public,
        safeguarding=safeguarding,
        site_public=pin,
    )
    slot_changes = (
        personal_private is None
        or (slot.safeguarding is None) != (safeguarding is None)
        or pin != slot.site_public
    )
    # A grant is used once: taken up, dropped as useless, or dropped because the user is no
    # longer a lead (a lead without access is granted again).
    grant_settled = grant is not None
    if slot_changes or grant_settled:

        def update(current: KeyFile) -> None:
            if current.slot_for_user(slot.user_id) == slot:
                if slot_changes:
                    current.put_slot(wanted)
                if grant_settled:
                    current.remove_grant(slot.user_id)

        key_file = modify_key_file(key_file.path, update)
    return UserSecrets(personal, safeguarding, pin), key_file


def _open_grant(
    grant: SafeguardingGrant,
    personal: KeyPair,
    database_id: str,
    user_id: str,
    site_public: bytes | None,
) -> bytes | None:
    try:
        private = open_sealed(
            personal.private, grant.sealed, SafeguardingGrant.context(database_id, user_id)
        )
    except DamagedDatabase:
        # Sealed to a key pair this slot no longer has (a reset since), or planted.
        logger.warning("A safeguarding grant that does not open was dropped")
        return None
    if site_public is None or KeyPair.from_private(private).public != site_public:
        logger.warning("A safeguarding grant for another key than the site's was dropped")
        return None
    return private
