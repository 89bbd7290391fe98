"""Checking a bundle's plaintext tar as it streams past: order, names, sizes, hashes, signature.

The Checker sits behind the tar push parser and keeps hashes, not contents, so that a bundle of
any size is checked in flat memory; the Inflater gunzips members as they arrive and stops a
gzip bomb before it unpacks. Both passes of the reader (verify, then read) use the same checks.
"""

from __future__ import annotations

import enum
import hashlib
import re
import tarfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from prevent_desktop.sync.bundle_format import (
    BLOB_PREFIX,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    entry,
    is_allowed,
    parse_manifest,
)
from prevent_desktop.sync.bundle_messages import (
    BAD_SIGNATURE,
    BundleError,
    changed_while_reading,
    damaged,
    quote,
    tampered,
    too_big,
    unsafe,
)
from prevent_desktop.sync.tar_stream import MemberHeader, TarFormatError, TarPushParser

_CHUNK = 64 * 1024  # the most one zlib step may unpack
# A small JSONL file can shrink more than max_ratio times (a page of near-identical rows), and
# that is harmless: the ratio only matters once the output is big enough to hurt.
_RATIO_FLOOR = 1024 * 1024
_SIGNATURE_SIZE = 64


@dataclass(frozen=True)
class Limits:
    max_member_bytes: int = 64 * 1024 * 1024  # stored (compressed) size of one member
    max_unpacked_member_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 100  # unpacked/stored, for .gz members
    max_members: int = 200_000
    max_manifest_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: dict[str, Any]
    signer_public: bytes
    bundle_sha256: str
    size: int


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


class Checker:
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
            raise BundleError(damaged(str(error))) from None
        if self._manifest is None:
            raise BundleError(damaged("it has no manifest"))
        if self._signer is None:
            raise BundleError(
                "This bundle is not signed, so nobody can say who made it. Ask the sender for "
                "a new copy; nothing was imported."
            )

    def _start(self, header: MemberHeader) -> None:
        name = header.name
        if header.typeflag not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise BundleError(unsafe(f"an entry that is not a plain file ({quote(name)})"))
        limit = self._limits.max_member_bytes
        if self._phase is _Phase.SIGNED:
            raise BundleError(tampered(f"{quote(name)} comes after the signature"))
        if name == MANIFEST_NAME:
            limit = self._limits.max_manifest_bytes
            if self._phase is not _Phase.DATA:
                raise BundleError(tampered("it has two manifests"))
        elif name == SIGNATURE_NAME:
            if self._phase is not _Phase.MANIFEST:
                raise BundleError(tampered("its signature does not follow the manifest"))
            if header.size != _SIGNATURE_SIZE:
                raise BundleError(BAD_SIGNATURE)
        elif self._phase is not _Phase.DATA:
            raise BundleError(tampered(f"{quote(name)} comes after the manifest"))
        elif not is_allowed(name, self._patterns):
            raise BundleError(unsafe(f"an entry with a name that is not allowed ({quote(name)})"))
        elif name in self._seen:
            raise BundleError(tampered(f"it contains {name} twice"))
        elif len(self._seen) >= self._limits.max_members:
            raise BundleError(too_big(f"it has more than {self._limits.max_members} members"))
        if header.size > limit:
            raise BundleError(
                too_big(f"{quote(name)} is {header.size} bytes; the limit is {limit}")
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
            self._manifest = parse_manifest(self._manifest_bytes)
            self._phase = _Phase.MANIFEST
            return
        if member.name == SIGNATURE_NAME:
            self._check_signature(bytes(member.kept or b""))
            self._phase = _Phase.SIGNED
            return
        digest = member.hash.hexdigest()
        if member.name.startswith(BLOB_PREFIX) and member.name != BLOB_PREFIX + digest:
            raise BundleError(tampered(f"member {member.name} does not match its hash"))
        if member.inflater is not None:
            unpacked, content = member.inflater.finish()
        else:
            unpacked, content = member.size, bytes(member.kept or b"")
        self._seen[member.name] = (digest, member.size, unpacked)
        if self._expected is not None and self._on_member is not None:
            listed = self._expected.manifest["members"].get(member.name)
            if listed is None or entry(listed) != self._seen[member.name]:
                raise BundleError(changed_while_reading(f"member {member.name}"))
            self._on_member(member.name, content)

    def _check_signature(self, signature: bytes) -> None:
        manifest = self.manifest()
        signer = bytes.fromhex(manifest["signer"]["ed25519"])
        try:
            Ed25519PublicKey.from_public_bytes(signer).verify(signature, self._manifest_bytes)
        except (InvalidSignature, ValueError):
            raise BundleError(BAD_SIGNATURE) from None
        self._signer = signer
        listed: dict[str, Any] = manifest["members"]
        for name, seen in self._seen.items():
            if name not in listed:
                raise BundleError(tampered(f"member {name} is not listed in its manifest"))
            if entry(listed[name]) != seen:
                raise BundleError(tampered(f"member {name} does not match its hash"))
        for name in listed:
            if name not in self._seen:
                raise BundleError(
                    f"This bundle is incomplete (member {quote(name)} is listed in its manifest "
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
                    raise BundleError(damaged(f"member {self._name} is not valid gzip"))
                # max_length caps each step's output, so a bomb never allocates its full size.
                out = self._zlib.decompress(data, _CHUNK)
                self._count(out)
                data = self._zlib.unconsumed_tail or self._zlib.unused_data
                while len(out) == _CHUNK and not data and not self._zlib.eof:
                    out = self._zlib.decompress(b"", _CHUNK)  # drain output zlib still holds
                    self._count(out)
        except zlib.error:
            raise BundleError(damaged(f"member {self._name} is not valid gzip")) from None

    def finish(self) -> tuple[int, bytes]:
        if not self._zlib.eof:
            raise BundleError(damaged(f"member {self._name} is cut short"))
        return self.unpacked, bytes(self._kept or b"")

    def _count(self, out: bytes) -> None:
        self.unpacked += len(out)
        if self.unpacked > self._max:
            raise BundleError(too_big(f"{self._name} unpacks to more than {self._max} bytes"))
        if self.unpacked > self._max_by_ratio:
            raise BundleError(
                f"This bundle's member {self._name} expands more than {self._ratio} times when "
                "unpacked, which normal records never do (compression ratio too high). It may "
                "be a deliberate trap; nothing was imported."
            )
        if self._kept is not None:
            self._kept += out
