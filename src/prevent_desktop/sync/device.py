"""This laptop's own keys for bundles: an Ed25519 key that signs what it sends and an age
identity that opens what is sent to it. Both are made on first use and kept in the encrypted
database's meta table, which never travels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pyrage import x25519
from sqlalchemy import select
from sqlalchemy.orm import Session

from prevent_desktop.errors import ValidationError
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import MetaEntry, Site
from prevent_desktop.sync.bundle_file import SigningKey, fingerprint

SIGNING_META_KEY = "device_signing_key"
AGE_META_KEY = "device_age_identity"
LABEL_META_KEY = "device_label"
SEQUENCE_META_KEY = "bundle_sequence"
LAST_BUNDLE_META_KEY = "bundle_last_sha256"


@dataclass(frozen=True)
class DeviceCard:
    """What another laptop needs to know about this one: shown, sent and compared."""

    device_id: str
    site_id: str
    label: str
    signing_public: str  # hex
    age_recipient: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(bytes.fromhex(self.signing_public))

    def as_json(self) -> dict[str, str]:
        return {
            "device_id": self.device_id,
            "site_id": self.site_id,
            "label": self.label,
            "signing_public": self.signing_public,
            "age_recipient": self.age_recipient,
        }


@dataclass(frozen=True)
class DeviceKeys:
    device_id: str
    site_id: str
    label: str
    signing: SigningKey
    age_identity: str

    def __repr__(self) -> str:  # never print the private halves into a log
        return f"DeviceKeys(device_id={self.device_id!r})"

    @property
    def card(self) -> DeviceCard:
        return DeviceCard(
            self.device_id,
            self.site_id,
            self.label,
            self.signing.public.hex(),
            str(x25519.Identity.from_str(self.age_identity).to_public()),
        )


def meta_value(session: Session, key: str) -> str | None:
    return session.scalar(select(MetaEntry.value).where(MetaEntry.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    session.merge(MetaEntry(key=key, value=value))


def device_keys(
    session: Session, *, device_id: str, site_id: str, default_label: str
) -> DeviceKeys:
    """This laptop's keys, made (inside the caller's transaction) if it has none yet."""
    signing_hex = meta_value(session, SIGNING_META_KEY)
    identity = meta_value(session, AGE_META_KEY)
    label = meta_value(session, LABEL_META_KEY)
    if signing_hex is None or identity is None:
        signing = SigningKey.generate()
        identity = str(x25519.Identity.generate())
        set_meta(session, SIGNING_META_KEY, signing.private.hex())
        set_meta(session, AGE_META_KEY, identity)
    else:
        signing = SigningKey(bytes.fromhex(signing_hex))
    if label is None:
        label = default_label
        set_meta(session, LABEL_META_KEY, label)
    return DeviceKeys(device_id, site_id, label, signing, identity)


def keys_for(database: Database, *, login: str) -> DeviceKeys:
    """This laptop's keys, made on first use in a transaction of their own."""
    with database.writer(user_id=None, login=login) as session:
        session.info["tracking"].importing = True  # meta only: nothing to stamp or audit
        site = session.get(Site, database.site_id)
        label = f"{site.name if site else 'Site'} laptop {database.device_id[:8]}"
        return device_keys(
            session, device_id=database.device_id, site_id=database.site_id, default_label=label
        )


def checked_recipient(text: str) -> str:
    """A laptop's or head office's public key as typed or pasted, or a clear refusal."""
    try:
        return str(x25519.Recipient.from_str(text.strip()))
    except Exception:  # pyrage raises its own error kinds for a malformed key
        raise ValidationError(
            f"{text.strip()[:70]!r} is not a public key: they begin with age1 and are 62 "
            "characters long. Copy it again from where it is shown."
        ) from None


def renew_device_identity(session: Session) -> None:
    """Make this database a new laptop to the others: a new device id and, on first use,
    new keys. For a restored backup: its old numbers and audit entries were already sent,
    so carrying on as the same laptop would repeat them. The others confirm the new
    fingerprint once."""
    session.merge(MetaEntry(key="device_id", value=str(uuid.uuid4())))
    for key in (
        SIGNING_META_KEY,
        AGE_META_KEY,
        LABEL_META_KEY,
        SEQUENCE_META_KEY,
        LAST_BUNDLE_META_KEY,
    ):
        entry = session.get(MetaEntry, key)
        if entry is not None:
            session.delete(entry)
