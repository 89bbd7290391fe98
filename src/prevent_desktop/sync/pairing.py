"""The pairing file that lets a second laptop join a site.

A manager on the site's laptop writes it; it is encrypted (age, scrypt) with a one-time pairing
code shown only on that laptop's screen, so the file alone on a USB stick is useless. It holds
the first laptop's device card (so the new laptop trusts its bundles), the site, its users and
settings (so someone can sign in at once), and, when a safeguarding lead makes it, the site's
safeguarding key (so that lead reads concerns on the new laptop too). Everything else arrives
with the first sync bundle.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from prevent_desktop.errors import KnownError, describe_os_error
from prevent_desktop.store.models import Setting, Site, User
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.sync.record_codec import RecordError, RecordType, decode_record

PAIRING_KIND = "prevent-desktop-pairing"
PAIRING_VERSION = 1
MAX_PAIRING_BYTES = 16 * 1024 * 1024
# No 0/O or 1/I/L: the code is read off one screen and typed on another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 6
CODE_GROUP_LENGTH = 4
# The first laptop's references carry no letter; joined laptops get these in turn.
LAPTOP_LETTERS = "BCDEFGHJKLMNPQRSTUVWXYZ"
LETTERS_SETTING = "laptop_letters_given"
TRAVELLING_MODELS: tuple[type[Site] | type[User] | type[Setting], ...] = (Site, User, Setting)


class PairingError(KnownError):
    pass


def new_pairing_code() -> str:
    """About 119 bits, in groups of four for reading aloud."""
    return "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )


def normalise_code(code: str) -> str:
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(
        letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH)
    )


@dataclass(frozen=True)
class PairingOffer:
    device: DeviceCard
    site_name: str
    records: dict[str, list[dict[str, Any]]]  # record type -> JSON records
    safeguarding_private: bytes | None
    made_by: str
    # The letter the new laptop adds to the references it gives (B, C, ...).
    laptop_letter: str


def write_pairing_file(path: Path, offer: PairingOffer, code: str) -> None:
    body = json.dumps(
        {
            "kind": PAIRING_KIND,
            "format_version": PAIRING_VERSION,
            "device": offer.device.as_json(),
            "site_name": offer.site_name,
            "records": offer.records,
            "safeguarding_private": (
                offer.safeguarding_private.hex() if offer.safeguarding_private else None
            ),
            "made_by": offer.made_by,
            "laptop_letter": offer.laptop_letter,
        },
        ensure_ascii=False,
    ).encode()
    sealed = pyrage.passphrase.encrypt(body, normalise_code(code))
    path = Path(path)
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(sealed)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise describe_os_error(error, path, "writing the pairing file") from None


def read_pairing_file(path: Path, code: str) -> PairingOffer:
    try:
        size = Path(path).stat().st_size
        if size > MAX_PAIRING_BYTES:
            raise PairingError(f"{path} is too large to be a pairing file.")
        sealed = Path(path).read_bytes()
    except OSError as error:
        raise PairingError(f"Could not read {path}: {error.strerror or error}.") from None
    try:
        body = pyrage.passphrase.decrypt(sealed, normalise_code(code))
    except Exception:  # pyrage raises several kinds for a wrong code or a foreign file
        raise PairingError(
            "The pairing code does not open this file. Check the code shown on the other "
            "laptop (it is made anew for each pairing file), or make a new pairing file."
        ) from None
    try:
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict) or data.get("kind") != PAIRING_KIND:
            raise ValueError("not a pairing file")
        if data.get("format_version") != PAIRING_VERSION:
            raise PairingError(
                "This pairing file was made by another version of Prevent Desktop. Install "
                "the same version on both laptops and make a new pairing file."
            )
        device = data["device"]
        card = DeviceCard(
            *(
                _text(device, name)
                for name in ("device_id", "site_id", "label", "signing_public", "age_recipient")
            )
        )
        records = data["records"]
        if not isinstance(records, dict):
            raise ValueError("records")
        private = data.get("safeguarding_private")
        letter = _text(data, "laptop_letter")
        if letter not in LAPTOP_LETTERS:
            raise ValueError("laptop_letter")
        return PairingOffer(
            card,
            _text(data, "site_name"),
            {name: list(records.get(name, [])) for name in _travelling_names()},
            bytes.fromhex(private) if isinstance(private, str) else None,
            _text(data, "made_by"),
            letter,
        )
    except PairingError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise PairingError(
            "This file opened with the code but is not a Prevent Desktop pairing file."
        ) from None


def decoded_rows(offer: PairingOffer) -> list[tuple[str, dict[str, Any]]]:
    """The offer's records as checked (table, values) rows, parents first."""
    rows: list[tuple[str, dict[str, Any]]] = []
    for model in TRAVELLING_MODELS:
        kind = RecordType(model.record_type, model)
        for record in offer.records.get(model.record_type, []):
            try:
                rows.append((kind.table.name, decode_record(kind, record, {})))
            except RecordError as error:
                raise PairingError(f"The pairing file is damaged ({error}).") from None
    return rows


def _travelling_names() -> list[str]:
    return [model.record_type for model in TRAVELLING_MODELS]


def _text(data: Any, name: str) -> str:
    value = data[name]
    if not isinstance(value, str) or len(value) > 500:
        raise ValueError(name)
    return value


def next_laptop_letter(given: str, own: str) -> str:
    """The first letter not yet given to a laptop of this site (`given`: "B,C")."""
    taken = set(given.split(",")) | {own}
    for letter in LAPTOP_LETTERS:
        if letter not in taken:
            return letter
    raise PairingError("This site already has as many laptops as Prevent Desktop can number.")
