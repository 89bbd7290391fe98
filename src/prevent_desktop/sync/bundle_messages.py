"""What a bundle failure tells the user: BundleError and the wording shared by writer and reader.

Every expected failure of a bundle ends in a BundleError whose message says what happened and
what to do next. The sentences are built here, in one place, so that the writer, the checker
and the decrypting reader word the same problem the same way (and the UI can rely on them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from prevent_desktop.errors import KnownError


class BundleError(KnownError):
    """A bundle cannot be written or read; the message says why and what to do."""


class NotAddressedHere(BundleError):
    """Sealed for other keys, or with another passphrase: the app then offers to try one."""


BAD_SIGNATURE: Final = (
    "The bundle's signature does not match: it was changed after it was signed, or it is "
    "damaged. Ask the sender for a new copy; nothing was imported."
)


# The largest bundle number (or record count) taken: as record_codec's whole numbers, well
# inside SQLite's integers. Found by the hostile-bundle corpus: 2**63 crashed the import with
# OverflowError once it came to store it, and a number just below would have made every later
# bundle of that laptop look older than one already imported.
MAX_SEQUENCE: Final = 2**62


def shown(text: object, limit: int = 80) -> str:
    """A name a bundle gives (a laptop's label, a site's name) as a message quotes it: what does
    not print (line breaks, terminal escapes, direction overrides) as "?", cut to `limit`. The
    hostile-bundle corpus found these passed into messages as sent, where a label such as
    "Laptop\nTrust me" could dress up the question whether to trust a fingerprint."""
    cleaned = "".join(char if char.isprintable() else "?" for char in str(text))
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def quote(text: str, limit: int = 80) -> str:
    """`text` as a repr, cut to `limit` characters: names from a hostile file can be anything."""
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"


def not_imported(reason: str) -> str:
    """A sync bundle refused as a whole, for `reason` ("it was made on this laptop")."""
    return f"This bundle cannot be imported: {reason}. Nothing was imported."


def cannot_read(path: Path, error: OSError) -> str:
    return (
        f"Could not read {path}: {error.strerror or error}. Check that the drive is still "
        "connected and try again; nothing was imported."
    )


def damaged(detail: str) -> str:
    return (
        f"This bundle is damaged ({detail}). Copy it again from the sender's drive or ask for a "
        "new copy; nothing was imported."
    )


def tampered(detail: str) -> str:
    return (
        f"This bundle was changed after it was made ({detail}). Ask the sender for a new copy; "
        "nothing was imported."
    )


def unsafe(detail: str) -> str:
    return (
        f"This bundle contains {detail}. It may have been tampered with; ask the sender for a "
        "new copy. Nothing was imported."
    )


def too_big(detail: str) -> str:
    return (
        f"This bundle is larger than this program accepts ({detail}). Ask the sender to send "
        "it in smaller parts; nothing was imported."
    )


def bad_manifest(detail: str) -> str:
    return (
        f"This bundle's manifest is not valid ({detail}). Ask the sender for a new copy; "
        "nothing was imported."
    )


def changed_while_reading(what: str) -> str:
    return (
        f"The bundle file changed while it was being imported ({what} differs from when it "
        "was checked). Make sure nothing else is writing to the drive and import it again; "
        "nothing was imported."
    )
