"""Writing a bundle: stream the plaintext tar through age into a temporary file, then rename it.

The tar is produced one member at a time and pulled by pyrage as it encrypts, so in recipient
mode memory does not grow with the bundle, and only ciphertext ever reaches the disk. The
manifest is built on the way and signed last; see bundle_file for the layout.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

import pyrage

from prevent_desktop.store.atomic import fsync_dir
from prevent_desktop.sync.bundle_format import (
    BLOB_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEMBER_NAME_PATTERNS,
    SIGNATURE_NAME,
    is_allowed,
)
from prevent_desktop.sync.bundle_keys import SigningKey
from prevent_desktop.sync.bundle_messages import BundleError, quote
from prevent_desktop.sync.tar_stream import TAR_END, tar_header, tar_padding

_RESERVED_KEYS = ("format", "format_version", "members", "signer")
# zlib's own default: level 9 took half as long again for 1% smaller records.
GZIP_LEVEL = 6


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
            f"{quote(text)} is not a laptop's bundle key (those start with age1). "
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
        if not is_allowed(name, patterns):
            raise ValueError(f"not an allowed bundle member name: {quote(name)}")
        if name in listed:
            raise ValueError(f"member {name} given twice")
        stored = (
            gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0) if name.endswith(".gz") else raw
        )
        digest = hashlib.sha256(stored).hexdigest()
        if name.startswith(BLOB_PREFIX) and name != BLOB_PREFIX + digest:
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
