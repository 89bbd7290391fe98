"""The quarterly return as a bundle: one site's return for one quarter, for head office.

Same envelope as a sync bundle (age-encrypted to head office's public key, signed by the
laptop that made it, numbered in that laptop's series), but it carries a single member: the
return's JSON (services/quarterly_return.py). Head office checks it all before storing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.store.database import Database
from prevent_desktop.sync import device as device_meta
from prevent_desktop.sync.bundle_export import ExportResult, envelope, record_export
from prevent_desktop.sync.bundle_file import (
    BundleError,
    VerifiedBundle,
    read_members,
    verify_bundle,
    write_bundle,
)
from prevent_desktop.sync.bundle_messages import MAX_SEQUENCE, shown
from prevent_desktop.sync.device import DeviceCard

QUARTERLY_KIND = "quarterly"
RETURN_MEMBER = "records/quarterly_return/000001.jsonl.gz"
RETURN_SCHEMA = 1
MAX_RETURN_BYTES = 200 * 1024 * 1024


def write_quarterly_bundle(
    database: Database,
    destination: Path,
    payload: dict[str, Any],
    *,
    recipient: str,
    login: str,
) -> ExportResult:
    keys = device_meta.keys_for(database, login=login)
    with database.reader() as session:
        manifest = {
            **envelope(session, database, keys, QUARTERLY_KIND),
            "quarter": payload["quarter"],
            "concern_policy": payload.get("concern_policy", ""),
            "counts": {"quarterly_return": 1},
        }
    body = (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    digest = write_bundle(
        destination, manifest, [(RETURN_MEMBER, body)], signer=keys.signing, recipients=[recipient]
    )
    sequence = int(manifest["sequence"])
    record_export(
        database, login=login, sequence=sequence, digest=digest, counts=manifest["counts"]
    )
    return ExportResult(destination, sequence, digest, manifest["counts"])


@dataclass(frozen=True)
class ReceivedReturn:
    origin: DeviceCard
    verified: VerifiedBundle
    sequence: int
    quarter: Quarter
    payload: dict[str, Any]


def _bad(reason: str) -> BundleError:
    return BundleError(f"This quarterly return cannot be imported: {reason}. Nothing was imported.")


def read_quarterly_bundle(path: Path, *, identities: list[str]) -> ReceivedReturn:
    """Decrypt, check and read a return; the caller decides whether its signer is trusted."""
    verified = verify_bundle(path, identities=identities)
    manifest = verified.manifest
    if manifest.get("kind") != QUARTERLY_KIND:
        raise _bad(
            "it is not a quarterly return (a sync bundle goes to another laptop of the site)"
        )
    origin = manifest.get("origin")
    fields = ("device_id", "site_id", "label", "signing_public", "age_recipient")
    if not isinstance(origin, dict) or not all(
        isinstance(origin.get(f), str) and len(origin[f]) <= 200 for f in fields
    ):
        raise _bad("its manifest does not say which laptop made it")
    # Cleaned as a sync bundle's is (bundle_messages.shown): the label is only ever shown.
    card = DeviceCard(*(origin[f] for f in fields))
    card = replace(card, label=shown(card.label, limit=200))
    if card.signing_public != verified.signer_public.hex():
        raise _bad("it is signed by another key than the one its manifest names")
    sequence = manifest.get("sequence")
    if (
        not isinstance(sequence, int)
        or isinstance(sequence, bool)
        or not 1 <= sequence <= MAX_SEQUENCE
    ):
        raise _bad("its sequence number is missing or not a valid number")
    members: list[tuple[str, bytes]] = []
    read_members(
        path, verified, lambda name, data: members.append((name, data)), identities=identities
    )
    if [name for name, _ in members] != [RETURN_MEMBER]:
        raise _bad("it does not hold exactly one return")
    payload = _payload(members[0][1])
    try:
        quarter = Quarter.parse(str(payload.get("quarter", "")))
    except ValueError:
        raise _bad("its quarter is not a quarter") from None
    if str(quarter) != manifest.get("quarter"):
        raise _bad("its manifest and its return name different quarters")
    site = payload.get("site")
    if not isinstance(site, dict) or site.get("id") != card.site_id:
        raise _bad("its return names another site than the laptop that signed it")
    if not isinstance(site.get("name"), str) or not isinstance(site.get("code"), str):
        raise _bad("its return does not name its site")
    return ReceivedReturn(card, verified, sequence, quarter, payload)


def _payload(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_RETURN_BYTES:
        raise _bad("its return is too large")
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad("its return is not valid JSON") from None
    if not isinstance(payload, dict):
        raise _bad("its return is not a JSON object")
    if payload.get("schema") != RETURN_SCHEMA:
        raise _bad(
            "it was made by another version of Prevent Desktop (return schema "
            f"{str(payload.get('schema'))[:10]}); install the same version at head office"
        )
    for section in ("risks", "training", "incidents", "concerns"):
        if section not in payload:
            raise _bad(f"its return lacks the {section} section")
    return payload
