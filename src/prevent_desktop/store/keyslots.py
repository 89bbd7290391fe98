"""Key slots: each user's passphrase wraps the one random database key.

The sidecar file `<database>.keys` holds one slot per user: Argon2id turns the passphrase into a
key-encryption key (parameters and salt stored with the slot), and AES-256-GCM wraps the database
key with it. Changing a passphrase rewrites one slot; the database itself is never re-encrypted.
The file also keeps the head of the audit hash chain, so that cutting entries off the end of the
chain is noticed.

Version 2 slots also wrap, under the same key-encryption key, the user's own X25519 key pair
(staff read back what they reported; leads receive safeguarding access sealed to it) and, for
safeguarding leads, the site's safeguarding private key (see store/sealing.py). Grants of that
key to a new lead wait in the file, sealed to the new lead's public key, until they sign in.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from prevent_desktop.errors import DamagedDatabase, UnknownUser, WrongKey, WrongPassphrase
from prevent_desktop.store.atomic import write_atomic

KEY_FILE_SUFFIX = ".keys"
KEY_FILE_FORMAT = "prevent-desktop-keyslots"
KEY_FILE_VERSION = 2
DATABASE_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults make one guess cost at least half a second on a 2-core
    machine: 0.63-0.73 s on the one that runs the tests, where time_cost 3 took 0.42-0.59 s
    and 4 took 0.51-0.62 s (tests/unit/test_guess_throttle.py measures it at every run).
    Older, cheaper slots are strengthened at their owner's next sign-in."""

    time_cost: int = 5
    memory_kib: int = 256 * 1024
    parallelism: int = 4

    def weaker_than(self, other: KdfParams) -> bool:
        return self.time_cost < other.time_cost or self.memory_kib < other.memory_kib

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        if data.get("name") != "argon2id":
            raise ValueError("unsupported key derivation")
        params = cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))
        # An edited key file must not make us allocate terabytes or loop for hours.
        if not (
            1 <= params.time_cost <= 64
            and 1 <= params.parallelism <= 64
            and 8 * params.parallelism <= params.memory_kib <= 4 * 1024 * 1024
        ):
            raise ValueError("key derivation parameters out of range")
        return params


DEFAULT_KDF = KdfParams()
# Cheap parameters for the test suite only; never below Argon2's own minimums.
FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
KDF_ENVIRONMENT_VARIABLE = "PREVENT_DESKTOP_KDF"


def kdf_for_new_slots() -> KdfParams:
    """Production cost unless the test suite asked for the cheap profile."""
    if os.environ.get(KDF_ENVIRONMENT_VARIABLE) == "fast":
        return FAST_KDF
    return DEFAULT_KDF


def derive_key_encryption_key(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class WrappedSecret:
    """A secret wrapped by the slot's key-encryption key for one purpose."""

    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, str]:
        return {"nonce": _b64(self.nonce), "wrapped": _b64(self.wrapped)}

    @classmethod
    def from_json(cls, data: Any) -> WrappedSecret | None:
        if data is None:
            return None
        return cls(_unb64(data["nonce"]), _unb64(data["wrapped"]))


PERSONAL_KEY = "personal"
SAFEGUARDING_KEY = "safeguarding"


@dataclass(frozen=True)
class KeySlot:
    user_id: str
    login: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    # Version 2: the user's key pair (public in clear, private wrapped) and, for safeguarding
    # leads, the safeguarding private key.
    personal_public: bytes = b""
    personal_private: WrappedSecret | None = None
    safeguarding: WrappedSecret | None = None
    # True when the user chose this passphrase themselves; False when a manager set it (a new
    # user, a reset). Safeguarding access is only ever granted to an owner-set slot: whoever
    # set the passphrase could unwrap anything sealed to the slot's key pair.
    owner_set: bool = False
    # The site's safeguarding public key as this user first saw it. Bound into the secrets'
    # associated data, so only this user's passphrase can change it: a key swapped in the
    # database later is refused when they come to seal a concern to it.
    site_public: bytes = b""

    def _secret_data(self, database_id: str, purpose: str) -> bytes:
        public = self.personal_public.hex()
        prefix = "prevent-desktop-slot-secret-v1"
        owner = "owner" if self.owner_set else "assigned"
        site = self.site_public.hex()
        return f"{prefix}|{database_id}|{self.user_id}|{purpose}|{public}|{owner}|{site}".encode()

    def wrap_secret(
        self, kek: bytes, database_id: str, purpose: str, secret: bytes
    ) -> WrappedSecret:
        nonce = secrets.token_bytes(12)
        data = self._secret_data(database_id, purpose)
        return WrappedSecret(nonce, AESGCM(kek).encrypt(nonce, secret, data))

    def unwrap_secret(self, kek: bytes, database_id: str, purpose: str) -> bytes | None:
        wrapped = self.personal_private if purpose == PERSONAL_KEY else self.safeguarding
        if wrapped is None:
            return None
        try:
            return AESGCM(kek).decrypt(
                wrapped.nonce, wrapped.wrapped, self._secret_data(database_id, purpose)
            )
        except InvalidTag:
            raise DamagedDatabase(
                f"The key slot of {self.login!r} in the key file is damaged. A manager can "
                "reset this user's passphrase."
            ) from None

    def with_secrets(
        self,
        kek: bytes,
        database_id: str,
        *,
        personal_private: bytes,
        personal_public: bytes,
        safeguarding: bytes | None,
        owner_set: bool | None = None,
        site_public: bytes | None = None,
    ) -> KeySlot:
        """This slot also holding the user's key pair and, if given, the safeguarding key."""
        base = replace(
            self,
            personal_public=personal_public,
            owner_set=self.owner_set if owner_set is None else owner_set,
            site_public=self.site_public if site_public is None else site_public,
        )
        return replace(
            base,
            personal_private=base.wrap_secret(kek, database_id, PERSONAL_KEY, personal_private),
            safeguarding=(
                base.wrap_secret(kek, database_id, SAFEGUARDING_KEY, safeguarding)
                if safeguarding is not None
                else None
            ),
        )

    def without_safeguarding(self) -> KeySlot:
        return replace(self, safeguarding=None)

    def _associated_data(self, database_id: str) -> bytes:
        # Binds the wrapped key to this database, this user and these parameters, so a slot
        # copied into another key file, or edited to weaken its parameters, fails to open.
        params = json.dumps(self.kdf.to_json(), sort_keys=True)
        return f"prevent-desktop-slot-v1|{database_id}|{self.user_id}|{params}".encode()

    @classmethod
    def create(
        cls,
        *,
        user_id: str,
        login: str,
        passphrase: str,
        database_key: bytes,
        database_id: str,
        kdf: KdfParams,
    ) -> tuple[KeySlot, bytes]:
        """A new slot, and the key-encryption key (what "remember me" keeps in the keychain)."""
        salt = secrets.token_bytes(16)
        kek = derive_key_encryption_key(passphrase, salt, kdf)
        return cls.from_kek(
            user_id=user_id,
            login=login,
            kek=kek,
            salt=salt,
            kdf=kdf,
            database_key=database_key,
            database_id=database_id,
        ), kek

    @classmethod
    def from_kek(
        cls,
        *,
        user_id: str,
        login: str,
        kek: bytes,
        salt: bytes,
        kdf: KdfParams,
        database_key: bytes,
        database_id: str,
    ) -> KeySlot:
        nonce = secrets.token_bytes(12)
        unsealed = cls(user_id, login, kdf, salt, nonce, b"")
        wrapped = AESGCM(kek).encrypt(nonce, database_key, unsealed._associated_data(database_id))
        return cls(user_id, login, kdf, salt, nonce, wrapped)

    def derive_kek(self, passphrase: str) -> bytes:
        return derive_key_encryption_key(passphrase, self.salt, self.kdf)

    def unwrap(self, kek: bytes, database_id: str) -> bytes:
        """The database key, or WrongPassphrase when the key-encryption key does not fit."""
        try:
            key = AESGCM(kek).decrypt(
                self.nonce, self.wrapped_key, self._associated_data(database_id)
            )
        except InvalidTag:
            raise WrongPassphrase(f"Wrong passphrase for user {self.login!r}.") from None
        if len(key) != DATABASE_KEY_BYTES:
            raise WrongPassphrase(f"Wrong passphrase for user {self.login!r}.")
        return key

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "user_id": self.user_id,
            "login": self.login,
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }
        if self.personal_private is not None:
            out["personal_public"] = _b64(self.personal_public)
            out["personal_private"] = self.personal_private.to_json()
        if self.safeguarding is not None:
            out["safeguarding"] = self.safeguarding.to_json()
        out["owner_set"] = self.owner_set
        if self.site_public:
            out["site_public"] = _b64(self.site_public)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeySlot:
        return cls(
            user_id=str(data["user_id"]),
            login=str(data["login"]),
            kdf=KdfParams.from_json(data["kdf"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped_key=_unb64(data["wrapped_key"]),
            personal_public=_unb64(data.get("personal_public", "")),
            personal_private=WrappedSecret.from_json(data.get("personal_private")),
            safeguarding=WrappedSecret.from_json(data.get("safeguarding")),
            owner_set=bool(data.get("owner_set", False)),
            site_public=_unb64(data.get("site_public", "")),
        )


@dataclass(frozen=True)
class SafeguardingGrant:
    """The safeguarding private key sealed to a new lead's public key by an existing lead (or,
    for the very first lead, by whoever created the key). Moved into their slot at sign-in."""

    user_id: str
    sealed: bytes
    granted_by: str

    @staticmethod
    def context(database_id: str, user_id: str) -> str:
        return f"safeguarding-grant|{database_id}|{user_id}"

    def to_json(self) -> dict[str, str]:
        return {"user_id": self.user_id, "sealed": _b64(self.sealed), "granted_by": self.granted_by}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SafeguardingGrant:
        return cls(str(data["user_id"]), _unb64(data["sealed"]), str(data["granted_by"]))


def key_file_path(database: Path) -> Path:
    return database.with_name(database.name + KEY_FILE_SUFFIX)


@dataclass
class KeyFile:
    """The sidecar file: the database's id, one slot per user and the audit chain head."""

    path: Path
    database_id: str
    slots: list[KeySlot] = field(default_factory=list)
    audit_head: dict[str, Any] | None = None
    grants: list[SafeguardingGrant] = field(default_factory=list)

    @classmethod
    def for_database(cls, database: Path) -> KeyFile:
        return cls.load(key_file_path(database), database)

    @classmethod
    def load(cls, path: Path, database: Path | None = None) -> KeyFile:
        what = f" for {database}" if database is not None else ""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DamagedDatabase(
                f"The key file {path}{what} is missing. Put the .keys file from the same backup "
                "back beside the database, or open it with the recovery key."
            ) from None
        except OSError as error:
            raise DamagedDatabase(f"Cannot read the key file {path}: {error.strerror}.") from None
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
                raise ValueError("not a key file")
            if int(data.get("version", 0)) > KEY_FILE_VERSION:
                raise DamagedDatabase(
                    f"The key file {path} was written by a newer Prevent Desktop. "
                    "Update this program to open it."
                )
            return cls(
                path=path,
                database_id=str(data["database_id"]),
                slots=[KeySlot.from_json(slot) for slot in list(data["slots"])],
                audit_head=data.get("audit_head"),
                grants=[SafeguardingGrant.from_json(g) for g in list(data.get("grants", []))],
            )
        except DamagedDatabase:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise DamagedDatabase(
                f"The key file {path}{what} is damaged. Restore it from a backup, or open the "
                "database with the recovery key."
            ) from None

    def save(self) -> None:
        data = {
            "format": KEY_FILE_FORMAT,
            "version": KEY_FILE_VERSION,
            "database_id": self.database_id,
            "slots": [slot.to_json() for slot in self.slots],
            "audit_head": self.audit_head,
            "grants": [grant.to_json() for grant in self.grants],
        }
        payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        write_atomic(self.path, payload, doing="saving the key file")

    def logins(self) -> list[str]:
        return [slot.login for slot in self.slots]

    def slot_for_login(self, login: str) -> KeySlot:
        wanted = login.strip().casefold()
        for slot in self.slots:
            if slot.login.casefold() == wanted:
                return slot
        raise UnknownUser(f"No user called {login!r} can unlock {self.path.name[:-5]}.")

    def slot_for_user(self, user_id: str) -> KeySlot | None:
        return next((slot for slot in self.slots if slot.user_id == user_id), None)

    def put_slot(self, slot: KeySlot) -> None:
        """Add or replace the user's slot. A slot of another user id under the same login (left
        by an add that failed half way) is dropped, so a login always means one slot."""
        login = slot.login.casefold()
        self.slots = [
            s for s in self.slots if s.user_id == slot.user_id or s.login.casefold() != login
        ]
        # Replace in place: the first slot stays the first manager's, the CLI's default user.
        for index, existing in enumerate(self.slots):
            if existing.user_id == slot.user_id:
                self.slots[index] = slot
                return
        self.slots.append(slot)

    def remove_slot(self, user_id: str) -> None:
        self.slots = [s for s in self.slots if s.user_id != user_id]
        self.remove_grant(user_id)

    def grant_for(self, user_id: str) -> SafeguardingGrant | None:
        return next((g for g in self.grants if g.user_id == user_id), None)

    def put_grant(self, grant: SafeguardingGrant) -> None:
        self.grants = [g for g in self.grants if g.user_id != grant.user_id] + [grant]

    def remove_grant(self, user_id: str) -> None:
        self.grants = [g for g in self.grants if g.user_id != user_id]


def new_database_key() -> bytes:
    return secrets.token_bytes(DATABASE_KEY_BYTES)


def format_recovery_key(key: bytes) -> str:
    """The raw database key as 16 groups of 4 hex digits: easy to copy by hand from paper."""
    hexkey = key.hex().upper()
    return "-".join(hexkey[i : i + 4] for i in range(0, len(hexkey), 4))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(ch for ch in text if ch not in " -\t\r\n")
    if cleaned.lower().startswith("x'") and cleaned.endswith("'"):
        cleaned = cleaned[2:-1]
    try:
        key = bytes.fromhex(cleaned)
    except ValueError:
        key = b""
    if len(key) != DATABASE_KEY_BYTES:
        raise WrongKey(
            "That is not a recovery key: it should be 64 hexadecimal digits "
            "(0-9, A-F), usually written in groups of four."
        )
    return key
