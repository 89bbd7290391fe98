"""Signing keys for bundles: a laptop's Ed25519 key and the fingerprint people compare aloud.

Kept apart from the bundle format because pairing and device records use these too, and they
need nothing of tar, age or manifests.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class SigningKey:
    """A laptop's Ed25519 signing key. The private bytes are kept out of repr (and so logs)."""

    private: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.private) != 32:
            raise ValueError("an Ed25519 private key is 32 bytes")

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate().private_bytes_raw())

    @property
    def public(self) -> bytes:
        return self._key().public_key().public_bytes_raw()

    def sign(self, data: bytes) -> bytes:
        return self._key().sign(data)

    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.private)


def fingerprint(public_ed25519: bytes) -> str:
    """A signing key as people compare it aloud: 'ABCD EFGH ... WXYZ'.

    The first 20 bytes (160 bits) of the key's SHA-256 in base32 (A-Z, 2-7, no look-alike
    0/1/8), as 8 groups of 4 characters. Forging a key with the same fingerprint would take
    about 2**160 tries.
    """
    if len(public_ed25519) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    text = base64.b32encode(hashlib.sha256(public_ed25519).digest()[:20]).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
