"""Local users: adding, deactivating, resetting and changing passphrases.

A user's passphrase lives only as their key slot in the key file; the database row says who
they are and whether they are active. Deactivating removes the slot, so a departed member of
staff cannot unlock the file with their old passphrase.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.passphrase import assess
from prevent_desktop.domain.roles import Permission, Role
from prevent_desktop.errors import (
    UnknownUser,
    ValidationError,
    WrongPassphrase,
)
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.safeguarding_access import (
    SafeguardingAccess,
    access_state,
    current_key_file,
)
from prevent_desktop.store import guess_throttle
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyfile_lock import modify_key_file
from prevent_desktop.store.keyslots import KeyFile, KeySlot, kdf_for_new_slots
from prevent_desktop.store.models import User, utc_now
from prevent_desktop.store.sealing import KeyPair
from prevent_desktop.store.session_keys import (
    new_slot,
    revoke,
)


@dataclass(frozen=True)
class UserView:
    id: str
    login: str
    display_name: str
    role: Role
    is_safeguarding_lead: bool
    active: bool
    has_passphrase: bool
    # For leads: "held" (in their slot), "granted" (taken up at their next sign-in) or
    # "awaiting" (an existing lead must grant it). Empty for everyone else.
    safeguarding_access: str = ""


def actor_for(database: Database, user_id: str) -> Actor:
    """The signed-in user, refused when deactivated or removed."""
    with database.reader() as session:
        user = session.get(User, user_id)
        if user is None or user.deleted or not user.active:
            raise UnknownUser("This user has been deactivated. Ask a manager to reactivate you.")
        return Actor(
            user.id, user.login, user.display_name, Role(user.role), user.is_safeguarding_lead
        )


def check_passphrase_policy(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise ValidationError("Passphrase too weak: " + " ".join(strength.problems))


def validate_login(login: str) -> str:
    cleaned = login.strip()
    if not cleaned or len(cleaned) > 64 or any(c.isspace() for c in cleaned) or ":" in cleaned:
        raise ValidationError(
            "A user name needs 1 to 64 characters with no spaces or colons, e.g. 'j.smith'."
        )
    return cleaned


class UserService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor
        self._safeguarding = SafeguardingAccess(database, actor)

    def list_users(self) -> list[UserView]:
        key_file = current_key_file(self.database)
        with_slot = {slot.user_id for slot in key_file.slots} if key_file else set()
        with self.database.reader() as session:
            users = session.scalars(
                select(User).where(User.deleted.is_(False)).order_by(User.display_name)
            ).all()
            return [
                UserView(
                    u.id,
                    u.login,
                    u.display_name,
                    Role(u.role),
                    u.is_safeguarding_lead,
                    u.active,
                    u.id in with_slot,
                    access_state(u, key_file),
                )
                for u in users
            ]

    def must_choose_own_passphrase(self) -> bool:
        """True while the signed-in user still has the passphrase a manager set for them."""
        key_file = self.database.key_file
        slot = key_file.slot_for_user(self.actor.user_id) if key_file else None
        return slot is not None and not slot.owner_set

    def add_user(
        self,
        *,
        login: str,
        display_name: str,
        role: Role,
        is_safeguarding_lead: bool,
        passphrase: str,
    ) -> ChangeSet:
        """A new user with their own key slot. Managers only."""
        self.actor.require(Permission.MANAGE_USERS, "add users")
        login = validate_login(login)
        if not display_name.strip():
            raise ValidationError("Give the user's full name.")
        check_passphrase_policy(passphrase)
        with self.database.reader() as session:
            taken = session.scalar(
                select(User.id).where(
                    func.lower(User.login) == login.lower(), User.deleted.is_(False)
                )
            )
        if taken:
            raise ValidationError(f"The user name {login!r} is already taken.")
        user = User(
            login=login,
            display_name=display_name.strip(),
            role=role.value,
            is_safeguarding_lead=is_safeguarding_lead,
            active=True,
        )
        with self._writer() as session:
            session.add(user)
        # The slot is written only once the user's row is committed: a failed commit must not
        # leave a slot for nobody. Should the slot fail instead, the user is listed without a
        # passphrase and a manager resets it.
        self._put_slot(user.id, login, passphrase, owner_set=False)
        return ChangeSet("user", "create", (user.id,))

    def set_active(
        self, user_id: str, active: bool, *, force_last_holder: bool = False
    ) -> ChangeSet:
        """Deactivate (removing their key slot) or reactivate a user. Managers only."""
        self.actor.require(Permission.MANAGE_USERS, "deactivate or reactivate users")
        if not active and user_id == self.actor.user_id:
            raise ValidationError("You cannot deactivate yourself; ask another manager.")
        if not active:
            self._check_not_last_holder(user_id, force_last_holder)
        with self._writer() as session:
            user = self._get(session, user_id)
            if not active and user.role == Role.MANAGER.value:
                self._ensure_other_active_manager(session, user_id)
            user.active = active
        if not active:
            self._remove_slot(user_id)
        return ChangeSet("user", "update", (user_id,))

    def update_user(
        self,
        user_id: str,
        *,
        display_name: str,
        role: Role,
        is_safeguarding_lead: bool,
        force_last_holder: bool = False,
    ) -> ChangeSet:
        self.actor.require(Permission.MANAGE_USERS, "change users' roles")
        if not display_name.strip():
            raise ValidationError("Give the user's full name.")
        if not (is_safeguarding_lead or role is Role.SAFEGUARDING_LEAD):
            self._check_not_last_holder(user_id, force_last_holder)
        with self._writer() as session:
            user = self._get(session, user_id)
            if user.role == Role.MANAGER.value and role is not Role.MANAGER:
                self._ensure_other_active_manager(session, user_id)
            was_lead = user.is_safeguarding_lead_or_role
            user.display_name = display_name.strip()
            user.role = role.value
            user.is_safeguarding_lead = is_safeguarding_lead
            is_lead = user.is_safeguarding_lead_or_role
        if is_lead and not was_lead:
            self._safeguarding.offer_to_new_lead(user_id)
        elif was_lead and not is_lead:
            self.database.key_file = revoke(self._key_file().path, user_id)
        return ChangeSet("user", "update", (user_id,))

    def grant_safeguarding_access(self, user_id: str) -> ChangeSet:
        """A lead who holds the safeguarding key passes it to another lead. The approval is
        theirs to give: a manager can make someone a lead, but only a lead hands over the key."""
        with self.database.reader() as session:
            user = self._get(session, user_id)
            if not user.active or not user.is_safeguarding_lead_or_role:
                raise ValidationError(
                    f"{user.display_name} is not an active safeguarding lead; a manager must "
                    "make them one first."
                )
            name = user.display_name
        self._safeguarding.grant(user_id, name)
        return ChangeSet("user", "update", (user_id,))

    def reset_passphrase(
        self, user_id: str, new_passphrase: str, *, force_last_holder: bool = False
    ) -> ChangeSet:
        """A manager sets a new passphrase for someone who forgot theirs. The user chooses
        their own at their next sign-in; a lead is then granted access again by another lead
        (their old key pair and safeguarding key went with the forgotten passphrase)."""
        self.actor.require(Permission.MANAGE_USERS, "reset other users' passphrases")
        check_passphrase_policy(new_passphrase)
        with self.database.reader() as session:
            user = self._get(session, user_id)
            if not user.active:
                raise ValidationError(f"{user.display_name} is deactivated; reactivate them first.")
            login = user.login
        if user_id != self.actor.user_id:
            self._check_not_last_holder(user_id, force_last_holder)
        self._put_slot(user_id, login, new_passphrase, owner_set=user_id == self.actor.user_id)
        self._audit_passphrase_change(user_id)
        return ChangeSet("user", "update", (user_id,))

    def change_own_passphrase(self, current: str, new_passphrase: str) -> bytes:
        """Any user changes their own passphrase after proving the current one. Returns the new
        key-encryption key, for a keychain that remembers it."""
        self.verify_own_passphrase(current)
        check_passphrase_policy(new_passphrase)
        held = self.database.user_secrets
        # A passphrase a manager set may have let them unwrap this user's key pair: choosing
        # one's own starts a fresh pair (nothing sealed to the old one can be trusted).
        keep = held is not None and not self.must_choose_own_passphrase()
        kek = self._put_slot(
            self.actor.user_id,
            self.actor.login,
            new_passphrase,
            owner_set=True,
            personal=held.personal if held and keep else None,
            safeguarding=held.safeguarding_private if held and keep else None,
            site_public=held.site_public if held else b"",
        )
        assert kek is not None  # put unconditionally: only `replacing` can leave it unput
        self._audit_passphrase_change(self.actor.user_id)
        # A lead who has just chosen their own passphrase on a site without a safeguarding
        # key makes it now.
        self.ensure_safeguarding_key()
        return kek

    def strengthen_own_slot(self, passphrase: str) -> bytes | None:
        """Re-wrap the signed-in user's slot at today's Argon2id cost if an older version made
        it cheaper; everything it holds is kept. Called right after a sign-in with
        `passphrase`. Returns the new key-encryption key, or None if the slot was as strong."""
        key_file = self.database.key_file
        slot = key_file.slot_for_user(self.actor.user_id) if key_file else None
        held = self.database.user_secrets
        if slot is None or held is None or not slot.kdf.weaker_than(kdf_for_new_slots()):
            return None
        return self._put_slot(
            self.actor.user_id,
            slot.login,
            passphrase,
            owner_set=slot.owner_set,
            personal=held.personal,
            safeguarding=held.safeguarding_private,
            site_public=held.site_public,
            replacing=slot,
        )

    def verify_own_passphrase(self, passphrase: str) -> None:
        key_file = KeyFile.load(self._key_file().path)
        slot = key_file.slot_for_user(self.actor.user_id)
        if slot is None:
            raise WrongPassphrase("You have no passphrase slot on this database.")
        # Re-entering a passphrase (to see the recovery key, say) is a guess like any other.
        with guess_throttle.guarded_guess(self.database.path, slot.user_id, slot.login):
            slot.unwrap(slot.derive_kek(passphrase), key_file.database_id)

    # ---- helpers -------------------------------------------------------------------------

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)

    def _key_file(self) -> KeyFile:
        if self.database.key_file is None:
            raise ValidationError(
                "This database was opened with its recovery key and has no key file; "
                "passphrases cannot be managed until one is restored."
            )
        return self.database.key_file

    def _put_slot(
        self,
        user_id: str,
        login: str,
        passphrase: str,
        *,
        owner_set: bool,
        personal: KeyPair | None = None,
        safeguarding: bytes | None = None,
        site_public: bytes | None = None,
        replacing: KeySlot | None = None,
    ) -> bytes | None:
        """`site_public` None: the site key as the acting user pinned it, so that a new
        user's slot trusts the key the manager's own slot trusts, not whatever the database
        holds at the user's first sign-in (a key planted there would be pinned). With
        `replacing`, the slot is only put in place of that very slot: if another process
        changed it meanwhile (a manager's reset), theirs stands and None is returned."""
        if site_public is None:
            held = self.database.user_secrets
            site_public = held.site_public if held is not None else b""
        key_file = self._key_file()
        slot, kek, _personal = new_slot(
            owner_set=owner_set,
            site_public=site_public,
            user_id=user_id,
            login=login,
            passphrase=passphrase,
            database_key=self.database.key,
            database_id=key_file.database_id,
            kdf=kdf_for_new_slots(),
            personal=personal,
            safeguarding=safeguarding,
        )

        stood = False

        def put(kf: KeyFile) -> None:
            nonlocal stood
            if replacing is not None and kf.slot_for_user(user_id) != replacing:
                stood = True
                return
            kf.put_slot(slot)
            if personal is None:
                kf.remove_grant(user_id)  # sealed to the old key pair: useless now

        self.database.key_file = modify_key_file(key_file.path, put)
        if stood:
            return None
        guess_throttle.clear(self.database.path, user_id)  # a new passphrase starts a new count
        return kek

    def ensure_safeguarding_key(self) -> bool:
        return self._safeguarding.ensure_site_key(is_lead=self.actor.can(Permission.READ_CONCERNS))

    def _check_not_last_holder(self, user_id: str, force: bool) -> None:
        with self.database.reader() as session:
            name = self._get(session, user_id).display_name
        self._safeguarding.check_not_last_holder(user_id, name, force=force)

    def _remove_slot(self, user_id: str) -> None:
        key_file = self._key_file()
        self.database.key_file = modify_key_file(key_file.path, lambda kf: kf.remove_slot(user_id))

    def _audit_passphrase_change(self, user_id: str) -> None:
        # The slot lives outside the database; this column puts the change in the audit log.
        with self._writer() as session:
            self._get(session, user_id).passphrase_changed_at = utc_now()

    @staticmethod
    def _get(session: Session, user_id: str) -> User:
        user = session.get(User, user_id)
        if user is None or user.deleted:
            raise UnknownUser("That user no longer exists.")
        return user

    @staticmethod
    def _ensure_other_active_manager(session: Session, user_id: str) -> None:
        others = session.scalar(
            select(User.id).where(
                User.id != user_id,
                User.role == Role.MANAGER.value,
                User.active.is_(True),
                User.deleted.is_(False),
            )
        )
        if others is None:
            raise ValidationError("There must always be at least one active manager.")
