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

This module is the one other code imports; the work is done in smaller modules beside it:
bundle_keys (signing keys), bundle_format (names and manifest rules), bundle_messages (errors
and their wording), bundle_write (the writer), bundle_check (the streaming checks) and
bundle_read (the two decrypting passes).
"""

from __future__ import annotations

from prevent_desktop.sync.bundle_check import Limits, VerifiedBundle
from prevent_desktop.sync.bundle_format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEMBER_NAME_PATTERNS,
    SIGNATURE_NAME,
)
from prevent_desktop.sync.bundle_keys import SigningKey, fingerprint
from prevent_desktop.sync.bundle_messages import BundleError, NotAddressedHere
from prevent_desktop.sync.bundle_read import (
    MAX_PASSPHRASE_BUNDLE_BYTES,
    read_members,
    verify_bundle,
)
from prevent_desktop.sync.bundle_write import write_bundle

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "MAX_PASSPHRASE_BUNDLE_BYTES",
    "MEMBER_NAME_PATTERNS",
    "SIGNATURE_NAME",
    "BundleError",
    "Limits",
    "NotAddressedHere",
    "SigningKey",
    "VerifiedBundle",
    "fingerprint",
    "read_members",
    "verify_bundle",
    "write_bundle",
]
