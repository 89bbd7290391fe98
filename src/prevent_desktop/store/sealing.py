"""Safeguarding content sealed inside the (already encrypted) database.

Every user can unlock the database, so the database key alone must not reveal a concern's
details. Those fields are encrypted again, to the site's safeguarding key pair: anyone can seal
to its public key (a member of staff logging a concern), only holders of its private key read
(safeguarding leads, whose key slots wrap it). Sealing uses HPKE (RFC 9180: X25519,
HKDF-SHA256, AES-256-GCM) from `cryptography`; a lead writing with the private key at hand uses
AES-256-GCM under a key derived from it, which is about ten times cheaper to read back.

Each ciphertext is bound to a context string naming its record and field, so a blob copied
onto another record or field does not open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from prevent_desktop.errors import DamagedDatabase, KnownError

_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_SEALED = b"H1"  # HPKE to a public key
_SYMMETRIC = b"S1"  # AES-GCM under the key derived from the private key
_CONTENT_KEY_INFO = b"prevent-desktop safeguarding content key v1"


class SafeguardingLocked(KnownError):
    """The signed-in user does not hold the safeguarding key."""

    exit_code = 3


@dataclass(frozen=True)
class KeyPair:
    """An X25519 key pair as raw bytes (32 each)."""

    private: bytes
    public: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        return cls.from_private(
            X25519PrivateKey.generate().private_bytes(
                Encoding.Raw, PrivateFormat.Raw, NoEncryption()
            )
        )

    @classmethod
    def from_private(cls, private: bytes) -> KeyPair:
        key = X25519PrivateKey.from_private_bytes(private)
        return cls(private, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def __repr__(self) -> str:  # never print the private half into a log
        return f"KeyPair(public={self.public.hex()[:16]}...)"


def seal(public: bytes, plaintext: bytes, context: str) -> bytes:
    """Encrypt to a public key; only its private key opens the result."""
    return _SEALED + _SUITE.encrypt(
        plaintext, X25519PublicKey.from_public_bytes(public), info=context.encode()
    )


def open_sealed(private: bytes | X25519PrivateKey, blob: bytes, context: str) -> bytes:
    """`private` as bytes or as the key object (made once by a reader of many: loading it costs
    as much as the decryption itself)."""
    if not blob.startswith(_SEALED):
        raise _damaged(context)
    key = X25519PrivateKey.from_private_bytes(private) if isinstance(private, bytes) else private
    try:
        return _SUITE.decrypt(blob[len(_SEALED) :], key, info=context.encode())
    except (InvalidTag, ValueError):
        raise _damaged(context) from None


def _damaged(context: str) -> DamagedDatabase:
    return DamagedDatabase(
        f"Protected safeguarding data ({context.split('|')[0]}) does not decrypt: it was "
        "changed outside Prevent Desktop or belongs to another site's key. Restore a backup."
    )


class ContentCipher:
    """Seals and opens safeguarding content for one session. Without the private key it can
    still seal (log a concern) but not read."""

    def __init__(self, public: bytes, private: bytes | None) -> None:
        self.public = public
        self._private = private
        self._content_key = (
            HKDF(hashes.SHA256(), 32, salt=None, info=_CONTENT_KEY_INFO).derive(private)
            if private is not None
            else None
        )
        # Made once: a lead's concern list opens thousands of blobs (issue 9).
        try:
            self._private_key = (
                X25519PrivateKey.from_private_bytes(private) if private is not None else None
            )
        except ValueError:  # not a key at all: as a blob that does not open would say
            raise _damaged("the safeguarding key") from None
        self._aead = AESGCM(self._content_key) if self._content_key is not None else None

    @property
    def can_read(self) -> bool:
        return self._private is not None

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        if self._aead is None:
            return seal(self.public, plaintext, context)
        nonce = secrets.token_bytes(12)
        return _SYMMETRIC + nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def decrypt(self, blob: bytes, context: str, *, sealed_allowed: bool = False) -> bytes:
        """`sealed_allowed` only for fields that someone without the private key writes (a
        concern's details, logged by staff). Anyone can seal to the public key, so accepting
        sealed blobs elsewhere would let them forge what only a lead writes."""
        if self._private_key is None or self._aead is None:
            raise SafeguardingLocked(
                "Only a safeguarding lead with safeguarding access can read this."
            )
        if blob.startswith(_SEALED):
            if not sealed_allowed:
                raise _damaged(context)
            return open_sealed(self._private_key, blob, context)
        if not blob.startswith(_SYMMETRIC) or len(blob) < 2 + 12 + 16:
            raise _damaged(context)
        nonce, body = blob[2:14], blob[14:]
        try:
            return self._aead.decrypt(nonce, body, context.encode())
        except InvalidTag:
            raise _damaged(context) from None
