"""Who holds the safeguarding key, and how it passes from lead to lead.

Rules, all for the same reason (whoever knows a passphrase can unwrap what its slot holds):
- the key is only ever granted to a slot whose passphrase its owner chose themselves, never
  to one a manager set (a new user, a reset); such a user is asked to choose their own first;
- only a lead who holds the key grants it, after a manager has made the recipient a lead;
- the site's key pair is made in the first lead's own session, never in a manager's;
- removing the last holder is refused unless the manager says they know the consequence (only
  the safeguarding recovery key can then restore access).
"""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from prevent_desktop.errors import KnownError, PermissionDenied, ValidationError
from prevent_desktop.services.context import Actor
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import KeyFile
from prevent_desktop.store.models import Setting, User
from prevent_desktop.store.sealing import KeyPair
from prevent_desktop.store.session_keys import (
    SAFEGUARDING_PUBLIC_SETTING,
    UserSecrets,
    grant_to,
)

HELD, GRANTED, AWAITING, OWN_PASSPHRASE = "held", "granted", "awaiting", "own_passphrase"


class LastSafeguardingHolder(ValidationError):
    """The change would leave nobody holding the safeguarding key."""


def current_key_file(database: Database) -> KeyFile | None:
    """The key file as it is on disk now: another session may have changed it."""
    key_file = database.key_file
    if key_file is not None:
        with contextlib.suppress(KnownError):
            key_file = KeyFile.load(key_file.path)
    return key_file


def access_state(user: User, key_file: KeyFile | None) -> str:
    """For leads: held, granted (taken up at next sign-in), own_passphrase (must choose their
    own passphrase before it can be granted) or awaiting (a lead must grant it)."""
    if not user.is_safeguarding_lead_or_role or key_file is None:
        return ""
    slot = key_file.slot_for_user(user.id)
    if slot is not None and slot.safeguarding is not None:
        return HELD
    if key_file.grant_for(user.id) is not None:
        return GRANTED
    if slot is not None and not slot.owner_set:
        return OWN_PASSPHRASE
    return AWAITING


class SafeguardingAccess:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    def _key_file(self) -> KeyFile:
        key_file = current_key_file(self.database)
        if key_file is None:
            raise ValidationError("Open the database with a passphrase, not its recovery key.")
        return key_file

    def _site_public(self) -> str | None:
        with self.database.reader() as session:
            return session.scalar(
                select(Setting.value).where(
                    Setting.key == SAFEGUARDING_PUBLIC_SETTING, Setting.deleted.is_(False)
                )
            )

    def grant(self, user_id: str, name: str) -> None:
        secrets = self.database.user_secrets
        if secrets is None or secrets.safeguarding_private is None:
            raise PermissionDenied(
                "Only a safeguarding lead who holds safeguarding access can grant it."
            )
        slot = self._key_file().slot_for_user(user_id)
        if slot is None:
            raise ValidationError(
                f"{name} has no passphrase on this database yet; reset it, then grant access."
            )
        if not slot.owner_set:
            raise ValidationError(
                f"{name} is still using a passphrase a manager set. Ask them to sign in and "
                "choose their own (Account > Change my passphrase); then grant access."
            )
        updated = grant_to(
            self._key_file().path,
            self.database.database_id,
            user_id,
            secrets.safeguarding_private,
            self.actor.login,
        )
        if updated is not None:
            self.database.key_file = updated

    def offer_to_new_lead(self, user_id: str) -> None:
        """A user just made a lead gets the key at once when the signed-in user holds it and
        the new lead chose their own passphrase; otherwise they wait for a grant."""
        secrets = self.database.user_secrets
        slot = self._key_file().slot_for_user(user_id)
        if (
            secrets is not None
            and secrets.safeguarding_private is not None
            and slot is not None
            and slot.owner_set
        ):
            updated = grant_to(
                self._key_file().path,
                self.database.database_id,
                user_id,
                secrets.safeguarding_private,
                self.actor.login,
            )
            if updated is not None:
                self.database.key_file = updated

    def ensure_site_key(self, *, is_lead: bool) -> bool:
        """Called at every sign-in. A lead with their own passphrase on a site that has no
        safeguarding key yet makes it, so that concerns can be logged. True when made now."""
        secrets = self.database.user_secrets
        if not is_lead or secrets is None or self.database.key_file is None:
            return False
        if self._site_public() is not None:
            return False
        if self.database.joined_site:
            # Only the site's first laptop makes the key: two laptops making one each before
            # they sync would leave concerns sealed to two keys. A joined laptop receives it
            # with the pairing file or the first bundle.
            return False
        key_file = self._key_file()
        slot = key_file.slot_for_user(self.actor.user_id)
        if slot is None or not slot.owner_set:
            return False
        if secrets.safeguarding_private is not None:
            # The setting went missing while this lead holds the key: publish its public half
            # again rather than making a new key that nobody's earlier concerns are sealed to.
            self._publish(KeyPair.from_private(secrets.safeguarding_private).public)
            return False
        pair = KeyPair.generate()
        # The grant goes first: a public key published without anyone holding its private
        # half would make every concern logged from then on unreadable.
        updated = grant_to(
            key_file.path, self.database.database_id, self.actor.user_id, pair.private, "setup"
        )
        if updated is None:
            return False
        self.database.key_file = updated
        self._publish(pair.public)
        self.database.user_secrets = UserSecrets(secrets.personal, pair.private, pair.public)
        return True

    def _publish(self, public: bytes) -> None:
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            session.add(Setting(key=SAFEGUARDING_PUBLIC_SETTING, value=public.hex()))

    def check_not_last_holder(self, user_id: str, name: str, *, force: bool) -> None:
        """Refuse to take the key away from its only holder, unless `force`."""
        if force:
            return
        key_file = self._key_file()
        holders = {s.user_id for s in key_file.slots if s.safeguarding is not None}
        holders |= {g.user_id for g in key_file.grants}
        if holders == {user_id}:
            raise LastSafeguardingHolder(
                f"{name} is the only person holding safeguarding access. Without it nobody can "
                "read the concern log's details. Make another lead and let them be granted "
                "access first, or check that the safeguarding recovery key has been printed "
                "and is kept safe, then confirm."
            )
