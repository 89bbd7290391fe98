"""Bundle files (.pdbundle): a site's records on a USB stick, encrypted and signed.

A bundle is one age-encrypted USTAR tar, so the standard `age` and `tar` tools can open it:

    records/<type>/<NNNNNN>.jsonl.gz    gzipped JSON lines        } data members, in any order,
    blobs/<sha256 of the content>       attachments, as given     } named from an allow-list
    manifest.json                       what the sender says is inside (hashes and sizes)
    manifest.sig                        64-byte Ed25519 signature of manifest.json's bytes

Reading is two passes over the file, each decrypting as a stream: `verify_bundle` checks
everything and keeps only hashes, then `read_members` decrypts again and hands over each member
after checking it against what pass 1 saw. Memory stays flat whatever the bundle's size, and a
hostile bundle (zip-slip names, gzip bombs, forged manifests) is refused before anything is
imported. Every expected failure is a BundleError whose message says what to do.
"""

from __future__ import annotations

import base64
import enum
import errno
import gzip
import hashlib
import json
import os
import re
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from prevent_desktop.errors import KnownError
from prevent_desktop.store.atomic import fsync_dir
from prevent_desktop.sync.tar_stream import (
    TAR_END,
    MemberHeader,
    TarFormatError,
    TarPushParser,
    tar_header,
    tar_padding,
)

FORMAT: Final = "prevent-desktop-bundle"
FORMAT_VERSION: Final = 1
MANIFEST_NAME: Final = "manifest.json"
SIGNATURE_NAME: Final = "manifest.sig"
# Data members must match one of these in full; callers may pass their own list.
MEMBER_NAME_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"records/[a-z][a-z0-9_]{0,47}/[0-9]{6}\.jsonl\.gz"),
    re.compile(r"blobs/[0-9a-f]{64}"),
)
# pyrage has no streaming scrypt, so passphrase bundles are decrypted in memory: cap them.
MAX_PASSPHRASE_BUNDLE_BYTES: Final = 512 * 1024 * 1024

_AGE_MAGIC = b"age-encryption.org/v1\n"
_RESERVED_KEYS = ("format", "format_version", "members", "signer")
_BLOB_PREFIX = "blobs/"
_CHUNK = 64 * 1024
# A small JSONL file can shrink more than max_ratio times (a page of near-identical rows), and
# that is harmless: the ratio only matters once the output is big enough to hurt.
_RATIO_FLOOR = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SIGNATURE_SIZE = 64
_BAD_SIGNATURE = (
    "The bundle's signature does not match: it was changed after it was signed, or it is "
    "damaged. Ask the sender for a new copy; nothing was imported."
)


class BundleError(KnownError):
    """A bundle cannot be written or read; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    max_member_bytes: int = 64 * 1024 * 1024  # stored (compressed) size of one member
    max_unpacked_member_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 100  # unpacked/stored, for .gz members
    max_members: int = 200_000
    max_manifest_bytes: int = 16 * 1024 * 1024


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


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: dict[str, Any]
    signer_public: bytes
    bundle_sha256: str
    size: int


# --- writing -------------------------------------------------------------------------------


def write_bundle(
    path: Path,
    manifest: dict[str, Any],
    members: Iterable[tuple[str, bytes]],
    *,
    signer: SigningKey,
    recipients: Sequence[str] = (),
    passphrase: str | None = None,
    member_patterns: Sequence[re.Pattern[str]] = MEMBER_NAME_PATTERNS,
) -> str:
    """Write a signed bundle to `path` atomically; returns the SHA-256 (hex) of the file.

    `members` yields (name, bytes) pairs and is consumed lazily: in recipient mode memory does
    not grow with the bundle. Names ending in .gz are gzipped here. Only ciphertext reaches the
    disk. A bad member name or a manifest using a reserved key is a ValueError (a bug); a failure
    to write is a BundleError, and leaves any existing file at `path` untouched.
    """
    if (not recipients) == (passphrase is None):
        raise ValueError("give either recipients or a passphrase, not both or neither")
    if clash := [key for key in _RESERVED_KEYS if key in manifest]:
        raise ValueError(f"the writer sets these manifest keys itself: {clash}")
    keys = [_parse_recipient(text) for text in recipients]
    pieces = _tar_pieces(manifest, members, signer, member_patterns, int(time.time()))
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    except OSError as error:
        raise _write_error(error, folder) from error
    source = _PullReader(pieces)
    try:
        with open(fd, "wb") as handle:
            sink = _HashingSink(handle)
            if passphrase is not None:
                # pyrage has no streaming API for scrypt recipients, so passphrase bundles are
                # built in memory. They are the exception (a stick without a laptop key).
                sink.write(pyrage.passphrase.encrypt(source.read_all(), passphrase))
            else:
                _encrypt_streaming(source, sink, keys)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(error, OSError) and error is not source.error:
            raise _write_error(error, folder) from error
        raise
    try:
        fsync_dir(folder)
    except OSError as error:
        raise BundleError(
            f"The bundle was written to {path}, but the drive did not confirm it was saved "
            f"({error.strerror or error}). Write the bundle again before removing the drive."
        ) from error
    return sink.hexdigest()


def _encrypt_streaming(source: _PullReader, sink: _HashingSink, keys: list[Any]) -> None:
    failure: Exception | None = None
    try:
        pyrage.encrypt_io(source, sink, keys)
    except pyrage.EncryptError as error:
        failure = error
    # pyrage wraps what our reader or writer raised into EncryptError("Type: text"), and may
    # write again after it; raise the original, so that a disk-full errno or a caller's bug
    # survives, and even if pyrage had let it pass.
    original = source.error or sink.error
    if original is not None:
        raise original
    if failure is not None:
        raise failure


def _parse_recipient(text: str) -> Any:
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except pyrage.RecipientError:
        raise BundleError(
            f"{_quote(text)} is not a laptop's bundle key (those start with age1). "
            "Check the key you were given; nothing was written."
        ) from None


def _tar_pieces(
    manifest: Mapping[str, Any],
    members: Iterable[tuple[str, bytes]],
    signer: SigningKey,
    patterns: Sequence[re.Pattern[str]],
    mtime: int,
) -> Iterator[bytes]:
    """The plaintext tar, one header or member at a time; the manifest is built on the way."""
    listed: dict[str, dict[str, Any]] = {}
    for name, raw in members:
        if not _is_allowed(name, patterns):
            raise ValueError(f"not an allowed bundle member name: {_quote(name)}")
        if name in listed:
            raise ValueError(f"member {name} given twice")
        stored = gzip.compress(raw, mtime=0) if name.endswith(".gz") else raw
        digest = hashlib.sha256(stored).hexdigest()
        if name.startswith(_BLOB_PREFIX) and name != _BLOB_PREFIX + digest:
            raise ValueError(f"{name} is not named by the SHA-256 of its content")
        listed[name] = {"sha256": digest, "size": len(stored), "unpacked": len(raw)}
        yield tar_header(name, len(stored), mtime=mtime) + stored + tar_padding(len(stored))
    full = {"format": FORMAT, "format_version": FORMAT_VERSION, **manifest}
    full["members"] = listed
    full["signer"] = {"ed25519": signer.public.hex()}
    text = json.dumps(full, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    body = text.encode("utf-8")
    for name, data in ((MANIFEST_NAME, body), (SIGNATURE_NAME, signer.sign(body))):
        yield tar_header(name, len(data), mtime=mtime) + data + tar_padding(len(data))
    yield TAR_END


class _PullReader:
    """The file-like object pyrage pulls plaintext from; holds one member at a time."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._current = memoryview(b"")
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        # Never return more than `size`: pyrage fails with "failed to write whole buffer".
        try:
            while not self._current:
                piece = next(self._pieces, None)
                if piece is None:
                    return b""
                self._current = memoryview(piece)
        except BaseException as error:
            self.error = error
            raise
        if size < 0:
            size = len(self._current)
        chunk = self._current[:size].tobytes()
        self._current = self._current[size:]
        return chunk

    def read_all(self) -> bytes:
        return b"".join(iter(self.read, b""))


class _HashingSink:
    """Writes ciphertext to the file, hashing it on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._hash = hashlib.sha256()
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is not None:  # pyrage flushes after an error: write nothing more
            raise self.error
        try:
            self._handle.write(data)
        except OSError as error:
            self.error = error
            raise
        self._hash.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _write_error(error: OSError, folder: Path) -> BundleError:
    start = f"Could not write the bundle to {folder}"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return BundleError(
            f"{start}: no space left on the device. Free some space or choose another drive; "
            "nothing was changed."
        )
    if error.errno == errno.EROFS:
        return BundleError(
            f"{start}: the drive is read-only. Check the USB stick's lock switch or choose "
            "another drive; nothing was changed."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return BundleError(
            f"{start}: you do not have permission to write there. Choose another folder; "
            "nothing was changed."
        )
    if error.errno == errno.ENOENT:
        return BundleError(
            f"{start}: the folder does not exist (was the drive removed?). Choose another "
            "folder; nothing was changed."
        )
    return BundleError(f"{start}: {error.strerror or error}. Try again; nothing was changed.")


# --- reading -------------------------------------------------------------------------------


def verify_bundle(
    path: Path,
    *,
    identities: Sequence[str] = (),
    passphrase: str | None = None,
    limits: Limits = Limits(),
    member_patterns: Sequence[re.Pattern[str]] = MEMBER_NAME_PATTERNS,
) -> VerifiedBundle:
    """Pass 1: decrypt and check the whole bundle without keeping its contents.

    Returns the signed manifest and the signer's public key; whether to trust that signer is
    the caller's decision. Raises BundleError on anything wrong.
    """
    checker = _Checker(limits, member_patterns, expected=None, on_member=None)
    digest, size = _decrypt_into(path, checker, identities, passphrase)
    return VerifiedBundle(checker.manifest(), checker.signer(), digest, size)


def read_members(
    path: Path,
    verified: VerifiedBundle,
    on_member: Callable[[str, bytes], None],
    *,
    identities: Sequence[str] = (),
    passphrase: str | None = None,
    limits: Limits = Limits(),
    member_patterns: Sequence[re.Pattern[str]] = MEMBER_NAME_PATTERNS,
) -> None:
    """Pass 2: decrypt again and call `on_member(name, unpacked_bytes)` for each data member.

    Each member is checked against `verified` before it is handed over. The file may have
    changed since pass 1, so a BundleError can come after some calls: apply the members in one
    transaction and roll back if this raises. Exceptions from `on_member` propagate unchanged.
    """
    checker = _Checker(limits, member_patterns, expected=verified, on_member=on_member)
    digest, _size = _decrypt_into(path, checker, identities, passphrase)
    if digest != verified.bundle_sha256:
        raise BundleError(_changed_while_reading("the file as a whole"))


class _Phase(enum.Enum):
    DATA = enum.auto()
    MANIFEST = enum.auto()
    SIGNED = enum.auto()


@dataclass
class _OpenMember:
    name: str
    size: int
    hash: hashlib._Hash = field(default_factory=hashlib.sha256)
    kept: bytearray | None = None
    inflater: _Inflater | None = None


class _Checker:
    """Checks members as the tar parser reports them. Keeps hashes, not contents, except the
    member being handed to `on_member` (pass 2) and the bounded manifest and signature."""

    def __init__(
        self,
        limits: Limits,
        patterns: Sequence[re.Pattern[str]],
        *,
        expected: VerifiedBundle | None,
        on_member: Callable[[str, bytes], None] | None,
    ) -> None:
        self._limits = limits
        self._patterns = patterns
        self._expected = expected
        self._on_member = on_member
        self._phase = _Phase.DATA
        self._seen: dict[str, tuple[str, int, int]] = {}
        self._open: _OpenMember | None = None
        self._manifest: dict[str, Any] | None = None
        self._manifest_bytes = b""
        self._signer: bytes | None = None
        self.parser = TarPushParser(self._start, self._data, self._end)

    def manifest(self) -> dict[str, Any]:
        assert self._manifest is not None  # finish() checked it
        return self._manifest

    def signer(self) -> bytes:
        assert self._signer is not None
        return self._signer

    def finish(self) -> None:
        try:
            self.parser.close()
        except TarFormatError as error:
            raise BundleError(_damaged(str(error))) from None
        if self._manifest is None:
            raise BundleError(_damaged("it has no manifest"))
        if self._signer is None:
            raise BundleError(
                "This bundle is not signed, so nobody can say who made it. Ask the sender for "
                "a new copy; nothing was imported."
            )

    def _start(self, header: MemberHeader) -> None:
        name = header.name
        if header.typeflag not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise BundleError(_unsafe(f"an entry that is not a plain file ({_quote(name)})"))
        limit = self._limits.max_member_bytes
        if self._phase is _Phase.SIGNED:
            raise BundleError(_tampered(f"{_quote(name)} comes after the signature"))
        if name == MANIFEST_NAME:
            limit = self._limits.max_manifest_bytes
            if self._phase is not _Phase.DATA:
                raise BundleError(_tampered("it has two manifests"))
        elif name == SIGNATURE_NAME:
            if self._phase is not _Phase.MANIFEST:
                raise BundleError(_tampered("its signature does not follow the manifest"))
            if header.size != _SIGNATURE_SIZE:
                raise BundleError(_BAD_SIGNATURE)
        elif self._phase is not _Phase.DATA:
            raise BundleError(_tampered(f"{_quote(name)} comes after the manifest"))
        elif not _is_allowed(name, self._patterns):
            raise BundleError(_unsafe(f"an entry with a name that is not allowed ({_quote(name)})"))
        elif name in self._seen:
            raise BundleError(_tampered(f"it contains {name} twice"))
        elif len(self._seen) >= self._limits.max_members:
            raise BundleError(_too_big(f"it has more than {self._limits.max_members} members"))
        if header.size > limit:
            raise BundleError(
                _too_big(f"{_quote(name)} is {header.size} bytes; the limit is {limit}")
            )
        member = _OpenMember(name, header.size)
        if name.endswith(".gz"):
            keep = self._on_member is not None
            member.inflater = _Inflater(name, header.size, self._limits, keep)
        elif self._on_member is not None or name in (MANIFEST_NAME, SIGNATURE_NAME):
            member.kept = bytearray()
        self._open = member

    def _data(self, chunk: bytes) -> None:
        member = self._open
        assert member is not None  # the parser calls _start first
        member.hash.update(chunk)
        if member.inflater is not None:
            member.inflater.feed(chunk)
        elif member.kept is not None:
            member.kept += chunk

    def _end(self) -> None:
        member = self._open
        assert member is not None
        self._open = None
        if member.name == MANIFEST_NAME:
            self._manifest_bytes = bytes(member.kept or b"")
            self._manifest = _parse_manifest(self._manifest_bytes)
            self._phase = _Phase.MANIFEST
            return
        if member.name == SIGNATURE_NAME:
            self._check_signature(bytes(member.kept or b""))
            self._phase = _Phase.SIGNED
            return
        digest = member.hash.hexdigest()
        if member.name.startswith(_BLOB_PREFIX) and member.name != _BLOB_PREFIX + digest:
            raise BundleError(_tampered(f"member {member.name} does not match its hash"))
        if member.inflater is not None:
            unpacked, content = member.inflater.finish()
        else:
            unpacked, content = member.size, bytes(member.kept or b"")
        self._seen[member.name] = (digest, member.size, unpacked)
        if self._expected is not None and self._on_member is not None:
            listed = self._expected.manifest["members"].get(member.name)
            if listed is None or _entry(listed) != self._seen[member.name]:
                raise BundleError(_changed_while_reading(f"member {member.name}"))
            self._on_member(member.name, content)

    def _check_signature(self, signature: bytes) -> None:
        manifest = self.manifest()
        signer = bytes.fromhex(manifest["signer"]["ed25519"])
        try:
            Ed25519PublicKey.from_public_bytes(signer).verify(signature, self._manifest_bytes)
        except (InvalidSignature, ValueError):
            raise BundleError(_BAD_SIGNATURE) from None
        self._signer = signer
        listed: dict[str, Any] = manifest["members"]
        for name, seen in self._seen.items():
            if name not in listed:
                raise BundleError(_tampered(f"member {name} is not listed in its manifest"))
            if _entry(listed[name]) != seen:
                raise BundleError(_tampered(f"member {name} does not match its hash"))
        for name in listed:
            if name not in self._seen:
                raise BundleError(
                    f"This bundle is incomplete (member {_quote(name)} is listed in its manifest "
                    "but missing). Ask the sender for a new copy; nothing was imported."
                )


class _Inflater:
    """Gunzips a member as it arrives, refusing it as soon as the output grows too large."""

    def __init__(self, name: str, stored_size: int, limits: Limits, keep: bool) -> None:
        self._name = name
        self._zlib = zlib.decompressobj(wbits=31)  # gzip framing; checks the CRC and length
        self._max = limits.max_unpacked_member_bytes
        self._ratio = limits.max_ratio
        self._max_by_ratio = max(limits.max_ratio * stored_size, _RATIO_FLOOR)
        self._kept = bytearray() if keep else None
        self.unpacked = 0

    def feed(self, data: bytes) -> None:
        try:
            while data:
                if self._zlib.eof:  # anything after the gzip stream's end
                    raise BundleError(_damaged(f"member {self._name} is not valid gzip"))
                # max_length caps each step's output, so a bomb never allocates its full size.
                out = self._zlib.decompress(data, _CHUNK)
                self._count(out)
                data = self._zlib.unconsumed_tail or self._zlib.unused_data
                while len(out) == _CHUNK and not data and not self._zlib.eof:
                    out = self._zlib.decompress(b"", _CHUNK)  # drain output zlib still holds
                    self._count(out)
        except zlib.error:
            raise BundleError(_damaged(f"member {self._name} is not valid gzip")) from None

    def finish(self) -> tuple[int, bytes]:
        if not self._zlib.eof:
            raise BundleError(_damaged(f"member {self._name} is cut short"))
        return self.unpacked, bytes(self._kept or b"")

    def _count(self, out: bytes) -> None:
        self.unpacked += len(out)
        if self.unpacked > self._max:
            raise BundleError(_too_big(f"{self._name} unpacks to more than {self._max} bytes"))
        if self.unpacked > self._max_by_ratio:
            raise BundleError(
                f"This bundle's member {self._name} expands more than {self._ratio} times when "
                "unpacked, which normal records never do (compression ratio too high). It may "
                "be a deliberate trap; nothing was imported."
            )
        if self._kept is not None:
            self._kept += out


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(_bad_manifest("it is not valid UTF-8 JSON")) from None
    if not isinstance(value, dict):
        raise BundleError(_bad_manifest("it is not a JSON object"))
    if value.get("format") != FORMAT:
        raise BundleError(
            "This is not a Prevent Desktop bundle (its manifest names another format). Choose "
            "the .pdbundle file the sender gave you; nothing was imported."
        )
    version = value.get("format_version")
    if type(version) is not int or version < 1:
        raise BundleError(_bad_manifest("its format_version is not a version number"))
    if version > FORMAT_VERSION:
        raise BundleError(
            f"This bundle was made by a newer version of Prevent Desktop (bundle format "
            f"{version}; this program reads format {FORMAT_VERSION}): update this program, then "
            "import the bundle again. Nothing was imported."
        )
    signer = value.get("signer")
    if not isinstance(signer, dict) or not _is_hex64(signer.get("ed25519")):
        raise BundleError(_bad_manifest("it does not name its signer's key"))
    members = value.get("members")
    if not isinstance(members, dict) or not all(_is_entry(entry) for entry in members.values()):
        raise BundleError(_bad_manifest("its list of members is malformed"))
    return value


def _reject_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _is_hex64(value: object) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def _is_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and _is_hex64(entry.get("sha256"))
        and all(type(entry.get(key)) is int for key in ("size", "unpacked"))
    )


def _entry(listed: Mapping[str, Any]) -> tuple[str, int, int]:
    return (listed["sha256"], listed["size"], listed["unpacked"])


def _is_allowed(name: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    # Checked on top of the patterns, so that a caller's looser pattern still cannot let
    # through a path that escapes the folder it is extracted into.
    parts = name.split("/")
    safe = (
        name.isascii()
        and name.isprintable()
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
        and name not in (MANIFEST_NAME, SIGNATURE_NAME)
    )
    return safe and any(pattern.fullmatch(name) for pattern in patterns)


# --- decrypting ----------------------------------------------------------------------------


def _decrypt_into(
    path: Path, checker: _Checker, identities: Sequence[str], passphrase: str | None
) -> tuple[str, int]:
    """Decrypt `path` into the checker's parser; returns the file's SHA-256 and size."""
    if (not identities) == (passphrase is None):
        raise ValueError("give either identities or a passphrase, not both or neither")
    keys = [_parse_identity(text) for text in identities]
    try:
        handle = path.open("rb")
    except OSError as error:
        raise BundleError(_cannot_read(path, error)) from error
    with handle:
        try:
            magic = handle.read(len(_AGE_MAGIC))
            handle.seek(0)
        except OSError as error:
            raise BundleError(_cannot_read(path, error)) from error
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
                raise BundleError(_cannot_read(path, source.error)) from source.error
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
                raise BundleError(_damaged(str(error))) from None
        except BaseException as error:
            self.error = error
            raise


def _decrypt_failure(error: Exception) -> BundleError:
    text = str(error)
    if text in ("No matching keys found", "Decryption failed"):
        return BundleError(
            "This bundle is not addressed to this laptop (or the passphrase is wrong), so it "
            "cannot be opened. Check the passphrase, or ask the sender to make the bundle for "
            "this laptop; nothing was imported."
        )
    return BundleError(
        "This bundle is damaged or incomplete: its encrypted data does not check out "
        f"({text.splitlines()[0] if text else type(error).__name__}). Copy it again from the "
        "sender's drive or ask for a new copy; nothing was imported."
    )


# --- messages ------------------------------------------------------------------------------


def _quote(text: str, limit: int = 80) -> str:
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"


def _cannot_read(path: Path, error: OSError) -> str:
    return (
        f"Could not read {path}: {error.strerror or error}. Check that the drive is still "
        "connected and try again; nothing was imported."
    )


def _damaged(detail: str) -> str:
    return (
        f"This bundle is damaged ({detail}). Copy it again from the sender's drive or ask for a "
        "new copy; nothing was imported."
    )


def _tampered(detail: str) -> str:
    return (
        f"This bundle was changed after it was made ({detail}). Ask the sender for a new copy; "
        "nothing was imported."
    )


def _unsafe(detail: str) -> str:
    return (
        f"This bundle contains {detail}. It may have been tampered with; ask the sender for a "
        "new copy. Nothing was imported."
    )


def _too_big(detail: str) -> str:
    return (
        f"This bundle is larger than this program accepts ({detail}). Ask the sender to send "
        "it in smaller parts; nothing was imported."
    )


def _bad_manifest(detail: str) -> str:
    return (
        f"This bundle's manifest is not valid ({detail}). Ask the sender for a new copy; "
        "nothing was imported."
    )


def _changed_while_reading(what: str) -> str:
    return (
        f"The bundle file changed while it was being imported ({what} differs from when it "
        "was checked). Make sure nothing else is writing to the drive and import it again; "
        "nothing was imported."
    )
