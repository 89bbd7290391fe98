"""USTAR tar as a stream: headers to write, and a push parser to read.

Bundles are decrypted by pyrage, which *pushes* plaintext pieces at us; `tarfile` wants to
*pull* from a file. Rather than buffer the whole plaintext, this parser takes the pieces as
they come and reports each member's header and data through callbacks. It holds at most one
512-byte header block; member data is passed on as it arrives, never collected.
"""

from __future__ import annotations

import enum
import tarfile
from collections.abc import Callable
from dataclasses import dataclass

BLOCK = tarfile.BLOCKSIZE
# Two zero blocks close a tar archive.
TAR_END = bytes(2 * BLOCK)


class TarFormatError(ValueError):
    """The stream is not a well-formed tar archive (the message says where it broke)."""


@dataclass(frozen=True)
class MemberHeader:
    name: str
    size: int
    typeflag: bytes


def tar_header(name: str, size: int, *, mtime: int = 0) -> bytes:
    """The 512-byte USTAR header of a regular file. Raises ValueError if `name` is too long."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = mtime
    info.type = tarfile.REGTYPE
    return info.tobuf(tarfile.USTAR_FORMAT, encoding="utf-8", errors="strict")


def tar_padding(size: int) -> bytes:
    """Zero bytes that bring a member's data up to a whole number of blocks."""
    return bytes(-size % BLOCK)


class _State(enum.Enum):
    HEADER = enum.auto()
    DATA = enum.auto()
    PADDING = enum.auto()
    END = enum.auto()  # one zero block seen; the second must follow
    TRAILER = enum.auto()  # archive closed; only zero padding may follow


class TarPushParser:
    """Feed with `write(piece)` in any sized pieces, then `close()` at the end of the stream.

    Calls `on_start(header)`, then `on_data(chunk)` zero or more times, then `on_end()` for
    each member. Raises TarFormatError on a damaged header, data after the end marker, or a
    stream that stops early. Exceptions raised by the callbacks propagate unchanged.
    """

    def __init__(
        self,
        on_start: Callable[[MemberHeader], None],
        on_data: Callable[[bytes], None],
        on_end: Callable[[], None],
    ) -> None:
        self._on_start = on_start
        self._on_data = on_data
        self._on_end = on_end
        self._state = _State.HEADER
        self._block = bytearray()
        self._size = 0  # of the current member
        self._remaining = 0  # of the current member's data, or of its padding
        self._consumed = 0  # bytes of the stream taken so far, for error messages

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        pos = 0
        while pos < len(view):
            if self._state is _State.TRAILER:
                if not _all_zero(view[pos:]):
                    raise TarFormatError(
                        f"data after the end of the archive, near byte {self._consumed}"
                    )
                take = len(view) - pos
            elif self._state in (_State.DATA, _State.PADDING):
                take = min(self._remaining, len(view) - pos)
                if self._state is _State.DATA:
                    self._on_data(view[pos : pos + take].tobytes())
                elif not _all_zero(view[pos : pos + take]):
                    # Writers pad with zeros; anything else there is damage, or a hidden payload.
                    raise TarFormatError(f"non-zero padding near byte {self._consumed}")
                self._remaining -= take
            else:
                take = min(BLOCK - len(self._block), len(view) - pos)
                self._block += view[pos : pos + take]
            pos += take
            self._consumed += take
            if self._state in (_State.DATA, _State.PADDING) and self._remaining == 0:
                self._next_after_data()
            elif len(self._block) == BLOCK:
                block = bytes(self._block)
                self._block.clear()
                self._take_block(block)
        return len(view)

    def close(self) -> None:
        """Say the stream has ended; raises TarFormatError if the archive was not complete."""
        if self._state is not _State.TRAILER:
            raise TarFormatError(f"the archive stops early, after {self._consumed} bytes")

    def _take_block(self, block: bytes) -> None:
        where = self._consumed - BLOCK
        if self._state is _State.END:
            if not _all_zero(block):
                raise TarFormatError(f"a damaged end marker at byte {where}")
            self._state = _State.TRAILER
            return
        if _all_zero(block):
            self._state = _State.END
            return
        try:
            info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
        except UnicodeDecodeError:
            # Said plainly: the hostile-bundle corpus found the codec's own words ("'utf-8'
            # codec can't decode byte 0xff in position 23: invalid start byte") in the message.
            raise TarFormatError(
                f"a damaged header at byte {where} (a name that is not UTF-8 text)"
            ) from None
        except (tarfile.HeaderError, ValueError) as error:
            raise TarFormatError(f"a damaged header at byte {where} ({error})") from None
        if info.size < 0:
            raise TarFormatError(f"a header with a negative size at byte {where}")
        self._on_start(MemberHeader(info.name, info.size, info.type))
        self._size = self._remaining = info.size
        self._state = _State.DATA
        if info.size == 0:
            self._next_after_data()

    def _next_after_data(self) -> None:
        if self._state is _State.DATA:
            self._on_end()
            self._remaining = -self._size % BLOCK
            self._state = _State.PADDING
        if self._state is _State.PADDING and self._remaining == 0:
            self._state = _State.HEADER


def _all_zero(data: bytes | memoryview) -> bool:
    # bytes.count runs in C; any() over a large run of trailing zeros would not.
    return bytes(data).count(0) == len(data)
