"""The bundle layout both sides agree on: member names, the allow-list, the manifest's shape.

The writer and the reader each check names and the manifest against these rules; keeping the
rules in one module means a bundle this program writes is always one it will accept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from prevent_desktop.sync.bundle_messages import BundleError, bad_manifest

FORMAT: Final = "prevent-desktop-bundle"
FORMAT_VERSION: Final = 1
MANIFEST_NAME: Final = "manifest.json"
SIGNATURE_NAME: Final = "manifest.sig"
# Data members must match one of these in full; callers may pass their own list.
MEMBER_NAME_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"records/[a-z][a-z0-9_]{0,47}/[0-9]{6}\.jsonl\.gz"),
    re.compile(r"blobs/[0-9a-f]{64}"),
)
BLOB_PREFIX: Final = "blobs/"

_HEX64 = re.compile(r"[0-9a-f]{64}")
# A JSON escape of a UTF-16 surrogate: valid JSON, but alone it names no character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def is_allowed(name: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """Whether `name` may be a data member: safe as a path, and matching one of `patterns`."""
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


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The manifest's JSON object, once its format, version, signer and members check out."""
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(bad_manifest("it is not valid UTF-8 JSON")) from None
    if holds_lone_surrogates(text, value):
        # Found by the hostile-bundle corpus: a label such as "\ud800" passed every check and
        # then crashed the import with UnicodeEncodeError when SQLite was asked to store it.
        raise BundleError(bad_manifest("it holds text that is not valid Unicode"))
    if not isinstance(value, dict):
        raise BundleError(bad_manifest("it is not a JSON object"))
    if value.get("format") != FORMAT:
        raise BundleError(
            "This is not a Prevent Desktop bundle (its manifest names another format). Choose "
            "the .pdbundle file the sender gave you; nothing was imported."
        )
    version = value.get("format_version")
    if type(version) is not int or version < 1:
        raise BundleError(bad_manifest("its format_version is not a version number"))
    if version > FORMAT_VERSION:
        raise BundleError(
            f"This bundle was made by a newer version of Prevent Desktop (bundle format "
            f"{version}; this program reads format {FORMAT_VERSION}): update this program, then "
            "import the bundle again. Nothing was imported."
        )
    signer = value.get("signer")
    if not isinstance(signer, dict) or not _is_hex64(signer.get("ed25519")):
        raise BundleError(bad_manifest("it does not name its signer's key"))
    members = value.get("members")
    if not isinstance(members, dict) or not all(_is_entry(entry) for entry in members.values()):
        raise BundleError(bad_manifest("its list of members is malformed"))
    return value


def holds_lone_surrogates(text: str, value: Any) -> bool:
    """Whether `value`, parsed from the JSON `text`, holds a UTF-16 surrogate that is not one
    of a pair ("\\ud800"): such a string cannot be encoded as UTF-8, so it can be neither
    stored nor shown. Our writer never escapes non-ASCII, so a genuine bundle costs one regex
    search; only text with surrogate escapes is checked in full."""
    if "\\u" not in text or _SURROGATE_ESCAPE.search(text) is None:
        return False
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return True
    return False


def entry(listed: Mapping[str, Any]) -> tuple[str, int, int]:
    """A manifest's member entry as (sha256, stored size, unpacked size), to compare with."""
    return (listed["sha256"], listed["size"], listed["unpacked"])


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
