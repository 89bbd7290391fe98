"""Reading a bundle: two passes, each decrypting the file as a stream into the Checker.

`verify_bundle` checks everything and keeps only hashes; `read_members` decrypts again and hands
over each member after checking it against what the first pass saw. Hashing the ciphertext on
the way in lets pass 2 notice a file that changed between the passes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Final

import pyrage

from prevent_desktop.sync.bundle_check import Checker, Limits, VerifiedBundle
from prevent_desktop.sync.bundle_format import MEMBER_NAME_PATTERNS
from prevent_desktop.sync.bundle_messages import (
    BundleError,
    NotAddressedHere,
    cannot_read,
    changed_while_reading,
    damaged,
)
from prevent_desktop.sync.tar_stream import TarFormatError, TarPushParser

# pyrage has no streaming scrypt, so passphrase bundles are decrypted in memory: cap them.
MAX_PASSPHRASE_BUNDLE_BYTES: Final = 512 * 1024 * 1024

_AGE_MAGIC = b"age-encryption.org/v1\n"
_CHUNK = 64 * 1024
# One shared default: Limits is frozen, so callers cannot change it under each other.
_DEFAULT_LIMITS = Limits()


def verify_bundle(
    path: Path,
    *,
    identities: Sequence[str] = (),
    passphrase: str | None = None,
    limits: Limits = _DEFAULT_LIMITS,
    member_patterns: Sequence[re.Pattern[str]] = MEMBER_NAME_PATTERNS,
) -> VerifiedBundle:
    """Pass 1: decrypt and check the whole bundle without keeping its contents.

    Returns the signed manifest and the signer's public key; whether to trust that signer is
    the caller's decision. Raises BundleError on anything wrong.
    """
    checker = Checker(limits, member_patterns, expected=None, on_member=None)
    digest, size = _decrypt_into(path, checker, identities, passphrase)
    return VerifiedBundle(checker.manifest(), checker.signer(), digest, size)


def read_members(
    path: Path,
    verified: VerifiedBundle,
    on_member: Callable[[str, bytes], None],
    *,
    identities: Sequence[str] = (),
    passphrase: str | None = None,
    limits: Limits = _DEFAULT_LIMITS,
    member_patterns: Sequence[re.Pattern[str]] = MEMBER_NAME_PATTERNS,
) -> None:
    """Pass 2: decrypt again and call `on_member(name, unpacked_bytes)` for each data member.

    Each member is checked against `verified` before it is handed over. The file may have
    changed since pass 1, so a BundleError can come after some calls: apply the members in one
    transaction and roll back if this raises. Exceptions from `on_member` propagate unchanged.
    """
    checker = Checker(limits, member_patterns, expected=verified, on_member=on_member)
    digest, _size = _decrypt_into(path, checker, identities, passphrase)
    if digest != verified.bundle_sha256:
        raise BundleError(changed_while_reading("the file as a whole"))


def _decrypt_into(
    path: Path, checker: Checker, identities: Sequence[str], passphrase: str | None
) -> tuple[str, int]:
    """Decrypt `path` into the checker's parser; returns the file's SHA-256 and size."""
    if (not identities) == (passphrase is None):
        raise ValueError("give either identities or a passphrase, not both or neither")
    keys = [_parse_identity(text) for text in identities]
    try:
        handle = path.open("rb")
    except OSError as error:
        raise BundleError(cannot_read(path, error)) from error
    with handle:
        try:
            magic = handle.read(len(_AGE_MAGIC))
            handle.seek(0)
        except OSError as error:
            raise BundleError(cannot_read(path, error)) from error
        if magic != _AGE_MAGIC:
            raise BundleError(
                f"{path.name} is not a Prevent Desktop bundle (it is not an encrypted bundle "
                "file). Choose the .pdbundle file the sender gave you; nothing was imported."
            )
        source = _HashingReader(handle)
        sink = _PlaintextSink(checker.parser)
        try:
            if passphrase is not None:
                _decrypt_passphrase(path, source, sink, passphrase)
            else:
                pyrage.decrypt_io(source, sink, keys)
            if sink.error is not None:
                raise sink.error
            source.drain()  # so that the digest covers the whole file
        except BaseException as error:
            # What our reader or writer raised comes first: pyrage may have rewrapped it.
            if sink.error is not None:
                raise sink.error from None
            if source.error is not None:
                raise BundleError(cannot_read(path, source.error)) from source.error
            if isinstance(error, pyrage.DecryptError | OSError):
                raise _decrypt_failure(error) from None
            raise
    checker.finish()
    return source.hexdigest(), source.size


def _parse_identity(text: str) -> Any:
    try:
        return pyrage.x25519.Identity.from_str(text)
    except pyrage.IdentityError:
        raise ValueError("not an age X25519 identity (AGE-SECRET-KEY-1...)") from None


def _decrypt_passphrase(
    path: Path, source: _HashingReader, sink: _PlaintextSink, passphrase: str
) -> None:
    ciphertext = source.read(MAX_PASSPHRASE_BUNDLE_BYTES + 1)
    if len(ciphertext) > MAX_PASSPHRASE_BUNDLE_BYTES:
        raise BundleError(
            f"{path.name} is too large to open with a passphrase (over "
            f"{MAX_PASSPHRASE_BUNDLE_BYTES // (1024 * 1024)} MB). Ask the sender to make it for "
            "this laptop's key instead; nothing was imported."
        )
    # In memory: pyrage cannot stream scrypt-protected files (see MAX_PASSPHRASE_BUNDLE_BYTES).
    plaintext = pyrage.passphrase.decrypt(ciphertext, passphrase)
    del ciphertext
    for start in range(0, len(plaintext), _CHUNK):
        sink.write(plaintext[start : start + _CHUNK])


class _HashingReader:
    """The ciphertext file as pyrage reads it, hashed and counted on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._hash = hashlib.sha256()
        self.size = 0
        self.error: OSError | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._handle.read(size)
        except OSError as error:
            self.error = error
            raise
        self._hash.update(data)
        self.size += len(data)
        return data

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _PlaintextSink:
    """Where pyrage writes plaintext: straight into the tar parser, nothing kept."""

    def __init__(self, parser: TarPushParser) -> None:
        self._parser = parser
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        # After an error pyrage still flushes what it holds before reporting it: swallow that,
        # since the parser is past use, and keep the first error for _decrypt_into to raise.
        if self.error is not None:
            return len(data)
        try:
            try:
                return self._parser.write(data)
            except TarFormatError as error:
                raise BundleError(damaged(str(error))) from None
        except BaseException as error:
            self.error = error
            raise


def _decrypt_failure(error: Exception) -> BundleError:
    text = str(error)
    if text in ("No matching keys found", "Decryption failed"):
        return NotAddressedHere(
            "This bundle is not addressed to this laptop (or the passphrase is wrong), so it "
            "cannot be opened. Check the passphrase, or ask the sender to make the bundle for "
            "this laptop; nothing was imported."
        )
    return BundleError(
        "This bundle is damaged or incomplete: its encrypted data does not check out "
        f"({text.splitlines()[0] if text else type(error).__name__}). Copy it again from the "
        "sender's drive or ask for a new copy; nothing was imported."
    )
