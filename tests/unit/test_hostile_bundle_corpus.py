"""Issue 10, item 2: a generated corpus of over 10,000 hostile bundles, each refused with a clear
message while the receiving laptop's database stays exactly as it was.

One genuine bundle is made by the product's own export on a small site (two paired laptops,
real records, and an attachment large enough to span six age chunks). Every variant is derived
from it in memory, from a fixed seed, and written in turn to one scratch file:

* outer damage to the encrypted file: bit flips anywhere (age header, nonce, body, chunk tags),
  truncation at and around every 64 KiB STREAM chunk boundary and elsewhere, the wrong
  recipient;
* inner damage: the plaintext tar rebuilt and sealed again to the receiver. Where the point is
  the content (mismatched manifest or hashes, zip-slip names, bombs, duplicates, oversized
  fields, invalid UTF-8, wrong types, a future format, a replayed number) the manifest is
  re-signed with the sender's real key, so that the content check must refuse it, not the
  signature; other variants are signed by keys nobody paired with.

Every variant goes through the first pass (`verify_bundle`, with the receiver's real identity).
Whatever that pass lets through, and a sample of what it refuses from every category, then goes
through `SyncService.import_bundle` into the receiver's SQLCipher database, whose content hash
(every table's rows in rowid order, and the key file) must be the same afterwards. One test per
category keeps collection fast; a failure says what went wrong, how often, with an example.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import io
import json
import random
import re
import shutil
import tarfile
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyrage
import pytest
from sqlalchemy import Boolean, Column, Date, Integer, LargeBinary, String, Text, text

from prevent_desktop.errors import KnownError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.audit import row_hash
from prevent_desktop.store.models import UtcDateTime
from prevent_desktop.sync.bundle_file import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SigningKey,
    verify_bundle,
)
from prevent_desktop.sync.bundle_import import UnknownDevice
from prevent_desktop.sync.device import keys_for
from prevent_desktop.sync.record_codec import MAX_TEXT_CHARS, record_type_named
from prevent_desktop.sync.tar_stream import BLOCK, TAR_END
from tests.conftest import PASSPHRASE
from tests.unit.concern_support import sample_input
from tests.unit.sync_support import Fleet, risk_input
from tests.unit.test_bundle_file import age_chunk_boundaries, entry
from tests.unit.test_sync_hostile import _edit_records

SEED = 20241010
MiB = 1024 * 1024
AGE_CHUNK = 64 * 1024 + 16  # a STREAM chunk as stored: 64 KiB of plaintext and its tag
# Variants of each category that also go through the real import, on top of all those the
# first pass lets through.
IMPORT_SAMPLE = 20
Members = list[tuple[str, bytes]]


# --- the site and its genuine bundle --------------------------------------------------------------


@dataclass
class Site:
    """Two paired laptops. The receiver has imported the sender's bundles 1 and 3 (so 2 is older
    than one imported) but not bundle 4, the genuine bundle every variant is made from."""

    fleet: Fleet
    receiver: Workspace
    spare: Workspace  # a copy of the receiver's database, for the genuine import
    identity: str  # the receiver's age identity
    key: SigningKey  # the sender's real signing key
    good: bytes  # bundle 4 as written
    plaintext: bytes  # ... its tar
    members: Members  # ... its data members as stored (records gzipped)
    manifest: dict[str, Any]  # ... its signed manifest
    earlier: list[bytes]  # bundles 1, 2 and 3 as written
    scratch: Path
    pristine: Path  # a copy of the receiver's database as the corpus found it
    baseline: str = ""  # the receiver's content hash
    entries: dict[str, bytes] = field(default_factory=dict)  # the members' tar entries
    fresh: dict[str, list[int]] = field(default_factory=dict)  # rows the receiver lacks, by type
    recipient: Any = field(init=False)  # the receiver's age public key

    def __post_init__(self) -> None:
        self.entries = {name: entry(name, data) for name, data in self.members}
        self.recipient = pyrage.x25519.Identity.from_str(self.identity).to_public()

    def tar_entries(self, members: Members | None = None) -> list[bytes]:
        """Tar entries of `members` (the genuine ones by default), reusing the genuine ones."""
        genuine = dict(self.members)
        return [
            self.entries[name] if genuine.get(name) is data else entry(name, data)
            for name, data in (self.members if members is None else members)
        ]


def content_hash(ws: Workspace) -> str:
    """SHA-256 of the schema and every table's rows in rowid order, read through the product's
    engine, and of the key file beside the database (which holds the signed audit head)."""
    digest = hashlib.sha256()
    with ws.database.reader() as session:
        schema = session.execute(
            text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        ).all()
        digest.update(repr(schema).encode())
        for kind, name, _sql in schema:
            if kind == "table":
                digest.update(name.encode() + b"\0")
                for row in session.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid')):
                    digest.update(repr(tuple(row)).encode())
    digest.update(Path(f"{ws.database.path}.keys").read_bytes())
    return digest.hexdigest()


def copy_database(source: Path, target: Path) -> None:
    target.parent.mkdir(exist_ok=True)
    for suffix in ("", ".keys"):
        shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def restore(site: Site) -> None:
    """The receiver's database put back as it was, after a variant got in, so that one failure
    does not hide others (a bundle imported makes every later one with its number a replay)."""
    path = site.receiver.database.path
    site.receiver.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    copy_database(site.pristine, path)
    site.receiver = site.fleet.laptops[1] = Workspace.sign_in(path, "sam", PASSPHRASE)[0]
    site.baseline = content_hash(site.receiver)


def members_in(plaintext: bytes) -> Members:
    members = []
    with tarfile.open(fileobj=io.BytesIO(plaintext)) as tar:
        for info in tar.getmembers():
            handle = tar.extractfile(info)
            assert handle is not None
            members.append((info.name, handle.read()))
    return members


def records_in(plaintext: bytes) -> dict[str, list[dict[str, Any]]]:
    """A bundle's records (not audit entries) by type, in the order its members hold them."""
    records: dict[str, list[dict[str, Any]]] = {}
    for name, data in members_in(plaintext):
        if name.startswith("records/") and "/audit_entry/" not in name:
            rows = [json.loads(line) for line in gzip.decompress(data).splitlines()]
            records.setdefault(name.split("/")[1], []).extend(rows)
    return records


def _export(fleet: Fleet) -> bytes:
    path = fleet.bundle_path()
    fleet.laptops[0].sync.export_to_paired(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("corpus")
    fleet = Fleet(folder / "site")
    sender = fleet.first()
    fleet.join()
    fleet.pair_all()
    for number in range(3):
        sender.risks.create_risk(risk_input(f"Tailgating at the side gate {number}"))
    concern = sender.concerns.log_concern(sample_input()).ids[0]
    # Sealed, so incompressible: the bundle spans six age chunks.
    sender.concerns.add_attachment(concern, "scan.pdf", random.Random(SEED).randbytes(300_000))
    earlier = [_export(fleet) for _ in range(3)]
    receiver = fleet.laptops[1]
    for number in (0, 2):
        path = folder / f"bundle-{number + 1}-again.pdbundle"
        path.write_bytes(earlier[number])
        receiver.sync.import_bundle(path)
    # What bundle 4 brings the receiver that it lacks: new and changed records, which the import
    # would write (records it holds already are compared, and left alone).
    held_risk = sender.risks.list_risks()[0].id
    sender.risks.create_risk(risk_input("Visitor badges not returned"))
    sender.risks.create_risk(risk_input("Unattended laptop in the library"))
    sender.risks.update_risk(held_risk, risk_input("Visitor badges not returned at reception"))
    sender.concerns.log_concern(sample_input(account="Leaflets were left in the locker room."))
    good = _export(fleet)
    db_path = receiver.database.path
    receiver.close()  # to copy its files whole
    spare_path, pristine = folder / "spare" / "prevent.db", folder / "pristine" / "prevent.db"
    copy_database(db_path, spare_path)
    copy_database(db_path, pristine)
    receiver = fleet.laptops[1] = Workspace.sign_in(db_path, "sam", PASSPHRASE)[0]
    spare = Workspace.sign_in(spare_path, "sam", PASSPHRASE)[0]
    identity = keys_for(receiver.database, login="sam").age_identity

    def plaintext_of(data: bytes) -> bytes:
        return pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(identity)])

    plaintext = plaintext_of(good)
    members = members_in(plaintext)
    manifest = json.loads(dict(members)[MANIFEST_NAME])
    site = Site(
        fleet=fleet,
        receiver=receiver,
        spare=spare,
        identity=identity,
        key=keys_for(sender.database, login="sam").signing,
        good=good,
        plaintext=plaintext,
        members=[(n, d) for n, d in members if n not in (MANIFEST_NAME, SIGNATURE_NAME)],
        manifest=manifest,
        earlier=earlier,
        scratch=folder / "variant.pdbundle",
        pristine=pristine,
    )
    held = {
        (row["id"], row["hlc"])
        for rows in records_in(plaintext_of(earlier[2])).values()
        for row in rows
    }
    for kind, rows in records_in(plaintext).items():
        site.fresh[kind] = [i for i, row in enumerate(rows) if (row["id"], row["hlc"]) not in held]
    site.baseline = content_hash(receiver)
    yield site
    spare.close()
    fleet.close()


# --- building variants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    label: tuple[Any, ...]  # what was done, exactly: distinct labels are distinct bundles
    build: Callable[[], bytes]  # the bundle's bytes, made when it is judged
    trust: bool = False  # imported as if the user had confirmed the sender's fingerprint


def dumps(manifest: Any) -> bytes:
    """As the writer does; lone surrogates (which UTF-8 cannot hold) go as JSON escapes."""
    try:
        return json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        return json.dumps(manifest, separators=(",", ":")).encode()


def listed(name: str, stored: bytes) -> dict[str, Any]:
    """A member's manifest entry, as the writer makes it."""
    unpacked = len(gzip.decompress(stored)) if name.endswith(".gz") else len(stored)
    return {"sha256": hashlib.sha256(stored).hexdigest(), "size": len(stored), "unpacked": unpacked}


def sealed(site: Site, parts: Sequence[bytes]) -> bytes:
    """Raw tar pieces, ended and encrypted to the receiver."""
    return pyrage.encrypt(b"".join(parts) + TAR_END, [site.recipient])


def rebuilt(
    site: Site,
    stored: Members | None = None,
    *,
    relist: bool = True,
    key: SigningKey | None = None,
    body: bytes | None = None,
    entries: Sequence[bytes] | None = None,
    **fields: Any,
) -> bytes:
    """The genuine bundle with `stored` members in place of its own, listed truthfully unless
    not `relist`, manifest `fields` changed (or `body` as its exact bytes), signed by `key` (the
    sender's real key by default) and sealed to the receiver. `entries`: raw tar entries in
    place of the members'."""
    if body is None:
        manifest = copy.deepcopy(site.manifest)
        if stored is not None and relist:
            genuine = dict(site.members)
            manifest["members"] = {
                name: manifest["members"][name] if genuine.get(name) is data else listed(name, data)
                for name, data in stored
            }
        manifest.update(fields)
        body = dumps(manifest)
    signature = (key or site.key).sign(body)
    tail = [entry(MANIFEST_NAME, body), entry(SIGNATURE_NAME, signature)]
    return sealed(site, [*(entries or site.tar_entries(stored)), *tail])


def with_member(site: Site, index: int, data: bytes) -> Members:
    members = list(site.members)
    members[index] = (members[index][0], data)
    return members


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def record_edit(site: Site, kind: str, change: Callable[[list[dict[str, Any]]], None]) -> bytes:
    """Rows of one record type changed (the test_sync_hostile way), re-listed, re-signed by the
    sender: only the records' own checks can refuse it, in the import's second pass."""
    unpacked = [(n, gzip.decompress(d) if n.endswith(".gz") else d) for n, d in site.members]
    edited = _edit_records(kind, change)(unpacked)
    members = [
        genuine if raw is new else (name, gz(new))
        for genuine, (name, raw), (_n, new) in zip(site.members, unpacked, edited, strict=True)
    ]
    return rebuilt(site, members)


def raw_record_edit(site: Site, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """One record member's JSON-lines bytes changed, re-listed and re-signed by the sender."""
    members = [
        (name, gz(change(gzip.decompress(data))) if name == member else data)
        for name, data in site.members
    ]
    return rebuilt(site, members)


def retouched(header: bytes, offset: int, value: bytes) -> bytes:
    """A tar entry with one header field rewritten and the checksum made right again, so that it
    is the field itself the reader must refuse."""
    block = bytearray(header[:BLOCK])
    block[offset : offset + len(value)] = value
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block) + header[BLOCK:]


def record_members(site: Site) -> list[str]:
    return [name for name, _ in site.members if name.startswith("records/")]


def columns_of(kind: str) -> list[Column[Any]]:
    record_type = record_type_named(kind)
    assert record_type is not None, kind
    return record_type.columns


def row_count(site: Site, member: str) -> int:
    return gzip.decompress(dict(site.members)[member]).count(b"\n")


def set_field(row: int, name: str, value: Any, rows: list[dict[str, Any]]) -> None:
    rows[row][name] = value


def record_variants(
    site: Site,
    rng: random.Random,
    tag: str,
    values_for: Callable[[Column[Any]], list[Any]],
    limit: int,
) -> list[Variant]:
    """Up to `limit` records (not audit entries) with one field set to one of `values_for`:
    half of them records the receiver lacks (which the import would write), half any."""
    fresh, any_row = [], []
    for member in record_members(site):
        kind = member.split("/")[1]
        if kind == "audit_entry":
            continue
        for column in columns_of(kind):
            for value in values_for(column):
                if site.fresh[kind]:
                    fresh.append((kind, rng.choice(site.fresh[kind]), column.name, value))
                any_row.append((kind, rng.randrange(row_count(site, member)), column.name, value))
    rng.shuffle(fresh)
    rng.shuffle(any_row)
    chosen = {(k, r, n, repr(v)): (k, r, n, v) for k, r, n, v in [*fresh[: limit // 2], *any_row]}
    return [
        variant(
            (tag, kind, row, name, repr(value)[:60]),
            record_edit,
            site,
            kind,
            partial(set_field, row, name, value),
        )
        for kind, row, name, value in list(chosen.values())[:limit]
    ]


def audit_edit(site: Site, change: Callable[[dict[str, Any]], None], rehash: bool) -> bytes:
    """A new audit entry of the sender's, after its last one (and counted), then changed; with
    its hash made right again when `rehash`, so that only the changed field is wrong."""
    sender = site.manifest["origin"]["device_id"]

    def edit(rows: list[dict[str, Any]]) -> None:
        last = [row for row in rows if row["device_id"] == sender][-1]
        row = {**last, "id": "0f0f0f0f-0000-4000-8000-00000000beef", "seq": last["seq"] + 1}
        row["prev_hash"] = last["hash"]
        change(row)
        if rehash:
            row["hash"] = row_hash(row, datetime.fromisoformat(row["at"]))
        rows.append(row)

    unpacked = [(n, gzip.decompress(d) if n.endswith(".gz") else d) for n, d in site.members]
    members = [
        (n, gz(d) if n.endswith(".gz") else d)
        for n, d in _edit_records("audit_entry", edit)(unpacked)
    ]
    counts = {**site.manifest["counts"], "audit_entry": site.manifest["counts"]["audit_entry"] + 1}
    return rebuilt(site, members, counts=counts)


def audit_variant(
    label: tuple[Any, ...], site: Site, change: Callable[[dict[str, Any]], None], rehash: bool
) -> Variant:
    return variant(label, audit_edit, site, change, rehash)


def variant(
    label: tuple[Any, ...],
    make: Callable[..., bytes],
    *args: Any,
    trust: bool = False,
    **kwargs: Any,
) -> Variant:
    """A variant whose bundle is `make(*args, **kwargs)`."""
    return Variant(label, partial(make, *args, **kwargs), trust)


def stranger(rng: random.Random) -> SigningKey:
    return SigningKey(rng.randbytes(32))


# --- outer damage: the encrypted file -------------------------------------------------------------


def flipped(data: bytes, offset: int, mask: int) -> bytes:
    damaged = bytearray(data)
    damaged[offset] ^= mask
    return bytes(damaged)


def bit_flips(site: Site, rng: random.Random) -> list[Variant]:
    data = site.good
    chunks = age_chunk_boundaries(data)
    nonce = chunks[0] - 16
    every_bit = [("header", o) for o in range(nonce)] + [
        ("nonce", o) for o in range(nonce, chunks[0])
    ]
    # Every chunk's authentication tag (the last chunk's ends the file).
    every_bit += [
        ("tag", o)
        for start in chunks
        for o in range(min(start + AGE_CHUNK, len(data)) - 16, min(start + AGE_CHUNK, len(data)))
    ]
    choices = {(region, offset, 1 << bit) for region, offset in every_bit for bit in range(8)}
    while len(choices) < 5_400:  # the body: single bits, and whole bytes garbled
        mask = 1 << rng.randrange(8) if rng.random() < 0.8 else rng.randrange(1, 256)
        choices.add(("body", rng.randrange(chunks[0], len(data)), mask))
    return [variant(label, flipped, data, label[1], label[2]) for label in sorted(choices)]


def truncations(site: Site, rng: random.Random) -> list[Variant]:
    data = site.good
    chunks = age_chunk_boundaries(data)
    lengths = set(range(0, chunks[0] + 1, 3))  # through the header, every third byte
    for boundary in [*chunks, *(start + AGE_CHUNK for start in chunks)]:
        lengths |= {boundary + d for d in range(-17, 18)}
    while len(lengths) < 1_100:
        lengths.add(rng.randrange(len(data)))
    return [
        variant(("cut", n), bytes.__getitem__, data, slice(0, n))
        for n in sorted(lengths)
        if 0 <= n < len(data)
    ]


def encrypted_for(site: Site, count: int, also: Any | None) -> bytes:
    others = [pyrage.x25519.Identity.generate().to_public() for _ in range(count)]
    return pyrage.encrypt(site.plaintext, others + ([also] if also is not None else []))


def wrong_recipients(site: Site, rng: random.Random) -> list[Variant]:
    keys = keys_for(site.fleet.laptops[0].database, login="sam")
    sender = pyrage.x25519.Identity.from_str(keys.age_identity).to_public()
    variants = [
        variant(("the sender only",), pyrage.encrypt, site.plaintext, [sender]),
        variant(("a passphrase",), pyrage.passphrase.encrypt, site.plaintext, PASSPHRASE),
    ]
    for number in range(148):  # strangers, with or without the sender itself
        count, also = 1 + number % 3, sender if number % 2 else None
        variants.append(
            variant(
                ("strangers", number, count, also is not None), encrypted_for, site, count, also
            )
        )
    return variants


# --- who signed it, and which number it has -------------------------------------------------------


HOSTILE_LABELS = (
    "Head office",
    "Laptop\nTrust me",
    "Laptop \u202egnp.exe",
    "\x1b[31mred",
    "x" * 200,
)


def unknown_signers(site: Site, rng: random.Random) -> list[Variant]:
    origin = site.manifest["origin"]
    receiver = site.receiver.sync.this_device().as_json()
    variants = []
    for number in range(320):
        key = stranger(rng)
        public = key.public.hex()
        way = number % 8
        fields: dict[str, Any] = {"sequence": 5 + number, "signer": {"ed25519": public}}
        if way == 0:  # the genuine manifest, signed by a stranger
            del fields["signer"]
        elif way == 1:  # names the stranger as its signer, still the paired laptop as origin
            pass
        elif way in (2, 3):  # the paired laptop's id with the stranger's key
            fields["origin"] = {**origin, "signing_public": public}
        elif way in (4, 5):  # a laptop nobody paired with, under labels meant to mislead
            label = HOSTILE_LABELS[number % len(HOSTILE_LABELS)]
            device = f"{rng.getrandbits(128):032x}"
            fields["origin"] = {
                **origin,
                "device_id": device,
                "label": label,
                "signing_public": public,
            }
        elif way == 6:  # another site
            site_id = f"{rng.getrandbits(128):032x}"
            name = HOSTILE_LABELS[number % len(HOSTILE_LABELS)]
            fields["origin"] = {
                **origin,
                "site_id": site_id,
                "site_name": name,
                "signing_public": public,
            }
        else:  # the receiver itself
            fields["origin"] = {**origin, **receiver, "signing_public": public}
        # Confirming a fingerprint must not let a stranger speak for a paired laptop (1, 3).
        variants.append(
            variant(
                ("stranger", number, way), rebuilt, site, key=key, **fields, trust=way in (1, 3)
            )
        )
    return variants


def reencrypted(site: Site, data: bytes) -> bytes:
    plaintext = pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(site.identity)])
    return pyrage.encrypt(plaintext, [site.recipient])


def replays(site: Site, rng: random.Random) -> list[Variant]:
    variants = [
        variant(("as imported", 1), bytes, site.earlier[0]),
        variant(("never imported, older", 2), bytes, site.earlier[1]),
        variant(("as imported", 3), bytes, site.earlier[2]),
    ]
    for number, data in enumerate(site.earlier):
        variants += [
            variant(("encrypted again", number + 1, n), reencrypted, site, data) for n in range(8)
        ]
    for number in range(150):  # the new bundle, renumbered into the past
        sequence, created = (
            1 + number % 3,
            f"2030-01-01T00:{number // 60:02d}:{number % 60:02d}+00:00",
        )
        variants.append(
            variant(
                ("renumbered", sequence, created),
                rebuilt,
                site,
                sequence=sequence,
                created_at=created,
            )
        )
    return variants


# --- what the signed manifest says against what the bundle holds ----------------------------------


def listing_with(site: Site, change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    listing = copy.deepcopy(site.manifest["members"])
    change(listing)
    return listing


def manifest_mismatches(site: Site, rng: random.Random) -> list[Variant]:
    variants = []
    for name, _data in site.members:
        for key in ("sha256", "size", "unpacked"):
            for number in range(10):
                if key == "sha256":
                    value: Any = f"{rng.getrandbits(256):064x}"
                else:
                    delta = rng.choice([-1, 1, 512, -512, 10**6, rng.randrange(2, 10**9)])
                    value = max(0, site.manifest["members"][name][key] + delta)
                listing = listing_with(site, lambda m, n=name, k=key, v=value: m[n].update({k: v}))
                variants.append(
                    variant(("listing", name, key, number, value), rebuilt, site, members=listing)
                )
        variants.append(
            variant(
                ("unlisted", name),
                rebuilt,
                site,
                members=listing_with(site, lambda m, n=name: m.pop(n)),
            )
        )
        absent = [(n, d) for n, d in site.members if n != name]
        variants.append(variant(("listed but absent", name), rebuilt, site, absent, relist=False))
    for number in range(40):
        phantom = (
            f"blobs/{rng.getrandbits(256):064x}"
            if number % 2
            else f"records/risk/{number + 2:06d}.jsonl.gz"
        )
        fake = {"sha256": f"{rng.getrandbits(256):064x}", "size": 10 + number, "unpacked": 10}
        variants.append(
            variant(
                ("phantom", phantom),
                rebuilt,
                site,
                members=listing_with(site, lambda m, p=phantom, f=fake: m.update({p: f})),
            )
        )
    # Record counts that disagree with the records (seen once the import has read them all).
    counts = site.manifest["counts"]
    for kind in sorted(counts):
        for delta in (-1, 1, 1000):
            if counts[kind] + delta >= 0:
                variants.append(
                    variant(
                        ("count", kind, delta),
                        rebuilt,
                        site,
                        counts={**counts, kind: counts[kind] + delta},
                    )
                )
        if counts[kind]:
            fewer = {k: v for k, v in counts.items() if k != kind}
            variants.append(variant(("uncounted", kind), rebuilt, site, counts=fewer))
    # An audit head that is not the last of the sender's own entries in the bundle.
    head = site.manifest["audit_head"]
    for number in range(1, 21):
        wrong = [
            {"seq": head["seq"] + number, "hash": head["hash"]},
            {"seq": head["seq"], "hash": f"{rng.getrandbits(256):064x}"},
            {"seq": head["seq"] - number, "hash": head["hash"]},
            {"seq": 0, "hash": ""} if number == 1 else {"seq": number, "hash": head["hash"]},
        ]
        variants += [
            variant(("audit head", json.dumps(w)), rebuilt, site, audit_head=w) for w in wrong
        ]
    return variants


def hash_mismatches(site: Site, rng: random.Random) -> list[Variant]:
    """Members changed after the genuine manifest was signed; or a blob named by another hash."""
    choices: set[tuple[int, int, int]] = set()
    while len(choices) < 900:
        index = rng.randrange(len(site.members))
        size = len(site.members[index][1])
        choices.add((index, rng.randrange(size), rng.randrange(1, 256)))
    variants = [
        variant(
            ("changed byte", site.members[i][0], o, m),
            rebuilt,
            site,
            with_member(site, i, flipped(site.members[i][1], o, m)),
            relist=False,
        )
        for i, o, m in sorted(choices)
    ]
    for index, (name, data) in enumerate(site.members):
        if name.endswith(".gz"):  # the same rows packed otherwise: another hash
            for level in (0, 1, 9):
                repacked = gzip.compress(gzip.decompress(data), level, mtime=0)
                variants.append(
                    variant(
                        ("repacked", name, level),
                        rebuilt,
                        site,
                        with_member(site, index, repacked),
                        relist=False,
                    )
                )
    blob = next(index for index, (name, _) in enumerate(site.members) if name.startswith("blobs/"))
    for _ in range(30):  # listed truthfully, but a blob's name must be its content's hash
        members = list(site.members)
        members[blob] = (f"blobs/{rng.getrandbits(256):064x}", members[blob][1])
        variants.append(variant(("blob renamed", members[blob][0]), rebuilt, site, members))
    return variants


# --- names and entries a tar extractor would follow out of its folder -----------------------------

ESCAPING_NAMES = (
    "../evil",
    "../../../../etc/cron.d/evil",
    "/etc/passwd",
    "/tmp/evil.jsonl.gz",
    "records/../../evil",
    "records/risk/../../../etc/x.jsonl.gz",
    "records/risk/../risk/000009.jsonl.gz",
    "blobs/../manifest.json",
    "blobs/../../" + "a" * 64,
    "./records/risk/000009.jsonl.gz",
    "records//risk/000009.jsonl.gz",
    "records/risk/000009.jsonl.gz/",
    "records\\..\\..\\evil",
    "C:\\Windows\\System32\\evil.dll",
    "C:/Windows/evil",
    "~/.bashrc",
    "..",
    ".",
    "records",
    "records/",
    "records/risk/",
    "records/risk/9.jsonl.gz",
    "records/risk/000009.jsonl",
    "records/risk/000009.jsonl.gz.exe",
    "records/Risk/000009.jsonl.gz",
    "records/r\u00edsk/000009.jsonl.gz",
    "records/risk/000009\u2024jsonl.gz",
    "records/risk/000009.jsonl.gz\nrecords/x",
    "records/risk/\x1b[2J.jsonl.gz",
    "blobs/" + "A" * 64,
    "blobs/" + "a" * 63,
    "blobs/" + "a" * 65,
    "blobs/" + "g" * 64,
    "evil.sh",
    ".bashrc",
    "records/.." + "/x" * 40,
)
LINKS = (
    ("records/risk/000009.jsonl.gz", tarfile.SYMTYPE, "/etc/passwd"),
    ("records/risk/000009.jsonl.gz", tarfile.SYMTYPE, "../../../../home"),
    ("blobs/" + "b" * 64, tarfile.SYMTYPE, "/dev/zero"),
    ("records/risk/000009.jsonl.gz", tarfile.LNKTYPE, "/etc/shadow"),
    ("records/risk/000009.jsonl.gz", tarfile.LNKTYPE, "records/risk/000001.jsonl.gz"),
    ("records/", tarfile.DIRTYPE, ""),
    ("records/risk/000009.jsonl.gz", tarfile.DIRTYPE, ""),
    ("records/risk/000009.jsonl.gz", tarfile.CHRTYPE, ""),
    ("records/risk/000009.jsonl.gz", tarfile.BLKTYPE, ""),
    ("records/risk/000009.jsonl.gz", tarfile.FIFOTYPE, ""),
    ("records/risk/000009.jsonl.gz", tarfile.CONTTYPE, ""),
)


def any_name_entry(name: str, data: bytes) -> bytes:
    """A USTAR entry for any name, written into the header by hand where tarfile refuses."""
    try:
        return entry(name, data)
    except ValueError:  # too long for USTAR: the name field takes its first 100 bytes
        info = tarfile.TarInfo("x")
        info.size = len(data)
        raw = name.encode()[:100].ljust(100, b"\0")
        return (
            retouched(info.tobuf(tarfile.USTAR_FORMAT), 0, raw) + data + bytes(-len(data) % BLOCK)
        )


def inserted(
    site: Site, extra: bytes, position: int, name: str, data: bytes, vouched: bool
) -> bytes:
    """The genuine members with `extra` among them; `vouched`: listed in the signed manifest."""
    entries = site.tar_entries()
    entries.insert(position, extra)
    listing = copy.deepcopy(site.manifest["members"])
    if vouched:
        listing[name] = listed(".", data)
    return rebuilt(site, entries=entries, members=listing)


def zip_slips(site: Site, rng: random.Random) -> list[Variant]:
    payload = gz(b"{}\n")
    kinds: list[tuple[tuple[Any, ...], bytes, str]] = [
        (("name", n), any_name_entry(n, payload), n) for n in ESCAPING_NAMES
    ]
    kinds += [(("link", n, t, to), entry(n, b"", typeflag=t, linkname=to), n) for n, t, to in LINKS]
    # Long or overriding names through GNU and pax extension headers, which extractors honour.
    long_name = "records/" + "../" * 40 + "etc/passwd"
    kinds.append((("gnu long name",), entry(long_name, payload, fmt=tarfile.GNU_FORMAT), long_name))
    kinds.append((("pax long name",), entry(long_name, payload, fmt=tarfile.PAX_FORMAT), long_name))
    info = tarfile.TarInfo("records/risk/000009.jsonl.gz")
    info.pax_headers = {"path": "../../evil"}
    info.size = len(payload)
    override = info.tobuf(tarfile.PAX_FORMAT) + payload + bytes(-len(payload) % BLOCK)
    kinds.append((("pax path override",), override, info.name))
    positions = sorted({0, 1, len(site.members) // 2, len(site.members)})
    return [
        variant((*label, position, vouched), inserted, site, raw, position, name, payload, vouched)
        for label, raw, name in kinds
        for position in positions
        for vouched in (True, False)
    ]


# --- gzip bombs and sizes beyond the limits -------------------------------------------------------

_BOMBS: dict[int, bytes] = {}


def zero_bomb(mib: int) -> bytes:
    """Gzipped zeros, 1 to 128 MiB (about a KiB per MiB), made once in one pass: a copy of the
    compressor is flushed at each power of two."""
    if not _BOMBS:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        body = bytearray()
        for size in range(1, 129):
            body += packer.compress(bytes(MiB))
            if size & (size - 1) == 0:
                _BOMBS[size] = bytes(body) + packer.copy().flush()
    return _BOMBS[mib]


def bombed(site: Site, mib: int, target: str, honest: bool) -> bytes:
    """`target` (a member, or a new one) is a bomb of `mib` MiB, listed and signed with its true
    hash and stored size, and its true unpacked size or the small one a bomb would claim."""
    bomb = zero_bomb(mib)
    members = [(n, d) for n, d in site.members if n != target]
    members.insert(
        int(hashlib.sha256(target.encode()).hexdigest(), 16) % (len(members) + 1), (target, bomb)
    )
    listing = {n: site.manifest["members"].get(n) for n, _ in members}
    listing[target] = {**listed(".", bomb), "unpacked": mib * MiB if honest else 1000}
    return rebuilt(site, members, relist=False, members=listing)


def zip_bombs(site: Site, rng: random.Random) -> list[Variant]:
    targets = [
        *record_members(site),
        "records/risk/000002.jsonl.gz",
        "records/newkind/000001.jsonl.gz",
    ]
    variants = [
        variant(("zeros", mib, target, honest), bombed, site, mib, target, honest)
        for mib in (2, 4, 8, 16, 32, 64, 128)
        for target in targets
        for honest in (True, False)
    ]
    line = b'{"id":"00000000-0000-4000-8000-000000000000","title":"x"}\n'
    for copies in (200_000, 1_000_000):  # JSON lines that look like records, 1000 times smaller
        risks = next(i for i, (n, _) in enumerate(site.members) if n.startswith("records/risk/"))
        variants.append(
            variant(
                ("json lines", copies), rebuilt, site, with_member(site, risks, gz(line * copies))
            )
        )
    # Sizes a tar header may claim: octal up to 8 GiB, base-256 beyond.
    for size in (64 * MiB + 1, 2**33 - 1, 2**40, 2**62, 2**80):
        info = tarfile.TarInfo("records/risk/000002.jsonl.gz")
        info.size = min(size, 2**33 - 1)
        header = info.tobuf(tarfile.USTAR_FORMAT)
        if size >= 2**33:
            header = retouched(header, 124, b"\x80" + size.to_bytes(11, "big"))
        variants.append(
            variant(("declared size", size), rebuilt, site, entries=[header, *site.tar_entries()])
        )
    return variants


# --- members twice, and a manifest or signature out of place --------------------------------------


def duplicates(site: Site, rng: random.Random) -> list[Variant]:
    entries = site.tar_entries()
    count = len(entries)
    body = dumps(site.manifest)
    manifest, signature = entry(MANIFEST_NAME, body), entry(SIGNATURE_NAME, site.key.sign(body))
    other_body = dumps({**site.manifest, "sequence": 99})
    other = entry(MANIFEST_NAME, other_body)
    variants = []
    for index, (name, _data) in enumerate(site.members):
        for position in sorted({0, index, index + 1, count}):
            parts = [*entries[:position], entries[index], *entries[position:], manifest, signature]
            variants.append(variant(("same again", name, position), sealed, site, parts))
        for other_name, other_data in rng.sample(site.members, 5):  # same name, other content
            twin = entry(name, other_data)
            if twin != entries[index]:
                parts = [*entries[: index + 1], twin, *entries[index + 1 :], manifest, signature]
                variants.append(variant(("other content", name, other_name), sealed, site, parts))
        variants.append(
            variant(
                ("after the manifest", name),
                sealed,
                site,
                [*entries, manifest, entries[index], signature],
            )
        )
        variants.append(
            variant(
                ("after the signature", name),
                sealed,
                site,
                [*entries, manifest, signature, entries[index]],
            )
        )
    tails = {
        "manifest twice": [manifest, manifest, signature],
        "signed manifest twice": [manifest, signature, manifest, signature],
        "signature twice": [manifest, signature, signature],
        "signature first": [signature, manifest],
        "no manifest": [signature],
        "no signature": [manifest],
        "neither": [],
        "a second, different manifest": [manifest, other, signature],
        "a second manifest, signed too": [
            manifest,
            signature,
            other,
            entry(SIGNATURE_NAME, site.key.sign(other_body)),
        ],
    }
    for shape, tail in tails.items():
        for split in sorted({0, 1, count // 2, count} if tail else {count}):  # among the members
            parts = [*entries[:split], *tail[:1], *entries[split:], *tail[1:]]
            variants.append(variant((shape, split), sealed, site, parts))
    return variants


# --- fields beyond every limit --------------------------------------------------------------------


def noise(length: int) -> str:
    """Text that gzip cannot shrink much (so that it is not refused as a bomb first)."""
    return random.Random(length).randbytes(length // 2 + 1).hex()[:length]


def oversized_values(column: Column[Any]) -> list[Any]:
    kind = column.type
    if isinstance(kind, Boolean | LargeBinary | Date | UtcDateTime):
        return []
    if isinstance(kind, Integer):
        return [2**62 + 1, -(2**62) - 1, 2**63, 10**30]
    if isinstance(kind, String | Text):
        return [noise((getattr(kind, "length", None) or MAX_TEXT_CHARS) + 1)]
    return []


def with_long_line(data: bytes, lines: int) -> bytes:
    return data + (b'"' + noise(2 * MAX_TEXT_CHARS).encode() + b'"\n') * lines


def with_nested_line(data: bytes, depth: int) -> bytes:
    return data + b"[" * depth + b"]" * depth + b"\n"


def oversized_fields(site: Site, rng: random.Random) -> list[Variant]:
    origin = site.manifest["origin"]
    variants = [
        variant(("origin", name, length), rebuilt, site, origin={**origin, name: "a" * length})
        for name in ("device_id", "site_id", "label", "signing_public", "age_recipient")
        for length in (201, 1000, 100_000)
    ]
    for sequence in (2**62 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 10**4000):
        variants.append(variant(("sequence", sequence), rebuilt, site, sequence=sequence))
    for value in (2**62, 2**63, 10**30, 10**4000):
        variants.append(
            variant(
                ("count", value), rebuilt, site, counts={**site.manifest["counts"], "risk": value}
            )
        )
    for size in (16 * MiB + 1, 20 * MiB):
        variants.append(variant(("manifest bytes", size), rebuilt, site, padding="x" * size))
    for depth in (1_000, 100_000):
        body = dumps(site.manifest)[:-1] + b',"nested":' + b"[" * depth + b"]" * depth + b"}"
        variants.append(variant(("nested manifest", depth), rebuilt, site, body=body))
    body = dumps(site.manifest)
    for length in (0, 1, 63, 65, 128, 4096):
        tail = [
            entry(MANIFEST_NAME, body),
            entry(SIGNATURE_NAME, (site.key.sign(body) * 64)[:length]),
        ]
        variants.append(
            variant(("signature bytes", length), sealed, site, [*site.tar_entries(), *tail])
        )
    for length in (62, 66, 128):
        variants.append(
            variant(("signer key", length), rebuilt, site, signer={"ed25519": "a" * length})
        )
    many = {
        f"blobs/{i:064x}": {"sha256": "0" * 64, "size": 1, "unpacked": 1} for i in range(100_000)
    }
    variants.append(
        variant(
            ("listed members", len(many)),
            rebuilt,
            site,
            members={**site.manifest["members"], **many},
        )
    )
    for member in record_members(site)[:4]:
        for lines in (1, 3):
            variants.append(
                variant(
                    ("long line", member, lines),
                    raw_record_edit,
                    site,
                    member,
                    partial(with_long_line, lines=lines),
                )
            )
    for member in record_members(site)[-3:]:
        for depth in (1_000, 100_000):
            change = partial(with_nested_line, depth=depth)
            variants.append(
                variant(("nested line", member, depth), raw_record_edit, site, member, change)
            )
    variants += record_variants(site, rng, "record", oversized_values, 140)
    big = {
        "seq": [2**62 + 1, 2**63, 10**30],
        "changes": ["x" * 100_001],
        "user_login": ["x" * 100_001],
    }
    for name, values in big.items():
        for value in values:
            variants.append(
                audit_variant(
                    ("audit", name, str(value)[:30], len(str(value))),
                    site,
                    lambda r, n=name, v=value: r.update({n: v}),
                    True,
                )
            )
    return variants


# --- bytes that are not UTF-8, and JSON strings that are not Unicode ------------------------------

BAD_UTF8 = (
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xbf",
    b"\xc0\xaf",  # an overlong "/"
    b"\xe0\x80\xaf",
    b"\xed\xa0\x80",  # a UTF-16 surrogate, encoded
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\xe2\x82",  # cut short
    b"\xf0\x9f\x98",
    b"\xc3",
)


def spliced(data: bytes, fraction: float, bad: bytes) -> bytes:
    """`bad` put just inside the first string at or after `fraction` of `data`."""
    quote = data.find(b'"', int(len(data) * fraction))
    return data[: quote + 1] + bad + data[quote + 1 :]


def text_columns(column: Column[Any]) -> list[Any]:
    if isinstance(column.type, String | Text) and column.name not in ("id", "hlc", "versions"):
        return ["\ud800", "x\udfffx"]
    return []


def invalid_utf8(site: Site, rng: random.Random) -> list[Variant]:
    variants = []
    body = dumps(site.manifest)
    spots: set[tuple[int, bytes]] = set()
    while len(spots) < 300:  # anywhere in the signed manifest
        spots.add((rng.randrange(len(body)), rng.choice(BAD_UTF8)))
    for offset, bad in sorted(spots):
        variants.append(
            variant(
                ("manifest", offset, bad),
                rebuilt,
                site,
                body=body[:offset] + bad + body[offset + 1 :],
            )
        )
    labelled = json.dumps(
        {**site.manifest, "origin": {**site.manifest["origin"], "label": "Lëeds"}},
        ensure_ascii=False,
    )
    for encoding in ("utf-16", "utf-32", "utf-8-sig", "latin-1"):
        variants.append(
            variant(("manifest in", encoding), rebuilt, site, body=labelled.encode(encoding))
        )
    for index, (name, data) in enumerate(site.members):  # a member name's byte, not UTF-8
        for _ in range(6):
            spot = rng.randrange(len(name))
            bad_name = name[:spot] + chr(0xDC80 + rng.randrange(0x80)) + name[spot + 1 :]
            entries = site.tar_entries()
            entries[index] = entry(bad_name, data)
            variants.append(
                variant(
                    ("member name", bad_name.encode("utf-8", "surrogateescape")),
                    rebuilt,
                    site,
                    entries=entries,
                )
            )
    for member in record_members(site):  # records, seen only once the import reads them
        for number in range(5):
            change = partial(spliced, fraction=rng.random(), bad=rng.choice(BAD_UTF8))
            variants.append(
                variant(("record bytes", member, number), raw_record_edit, site, member, change)
            )
    # Valid JSON naming no character: lone surrogates, which no UTF-8 database can store.
    for name in ("label", "site_name", "site_code", "device_id"):
        for value in ("\ud800", "Leeds \udfff laptop", "\udc80\ud800"):
            origin = {**site.manifest["origin"], name: value}
            variants.append(
                variant(("surrogate in origin", name, ascii(value)), rebuilt, site, origin=origin)
            )
    variants += [
        variant(("surrogate in", key), rebuilt, site, **{key: "\udead"})
        for key in ("kind", "created_at", "scope")
    ]
    variants += record_variants(site, rng, "surrogate in record", text_columns, 60)
    for name in ("user_login", "changes", "action", "record_id"):
        variants.append(
            audit_variant(
                ("surrogate in audit", name),
                site,
                lambda r, n=name: r.update({n: "a\ud800"}),
                False,
            )
        )
    return variants


# --- values of the wrong type ---------------------------------------------------------------------

MANIFEST_WRONG_TYPES: dict[str, list[Any]] = {
    "format_version": ["1", 1.0, True, None, [1], {"v": 1}, 0, -1],
    "format": [None, 1, ["prevent-desktop-bundle"], "PREVENT-DESKTOP-BUNDLE", ""],
    "members": [None, [], "all", 1, {"records/risk/000001.jsonl.gz": "abc"}],
    "signer": [None, "a" * 64, ["a" * 64], {"ed25519": 5}, {"ed25519": None}, {}],
    "kind": [None, 1, "quarterly", "SYNC", ["sync"]],
    "origin": [None, [], "laptop", 5, {}],
    "sequence": ["5", 5.0, 5.5, True, False, None, [5], {"n": 5}, 0, -5],
    "counts": [None, [], "all", 5, {"risk": "10"}, {"risk": 10.0}, {"risk": True}, {"risk": None}],
    "audit_head": [None, [], "head", {"seq": "1", "hash": ""}, {"seq": 1}, {"hash": 5, "seq": 1}],
}
TAR_FIELDS = {  # offset in the header, and values that are not what the field holds
    "size": (124, [b"abcdefghijk\0", b"-0000000001\0", b"\xff" * 12, b" " * 12]),
    "mode": (100, [b"rwxrwxrwx\0"]),
    "mtime": (136, [b"yesterday!!\0"]),
    "uid": (108, [b"root\0\0\0\0"]),
    "typeflag": (156, [b"Z", b"\xff", b"g", b"x", b"L", b"K", b"S", b"V", b"M"]),
}
AUDIT_WRONG_TYPES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "seq as text": lambda r: r.update(seq=str(r["seq"])),
    "seq zero": lambda r: r.update(seq=0),
    "seq true": lambda r: r.update(seq=True),
    "seq float": lambda r: r.update(seq=float(r["seq"])),
    "at a number": lambda r: r.update(at=1_700_000_000),
    "at in words": lambda r: r.update(at="last tuesday"),
    "at without zone": lambda r: r.update(at=r["at"][:19]),
    "user_id a number": lambda r: r.update(user_id=5),
    "action a list": lambda r: r.update(action=["create"]),
    "changes an object": lambda r: r.update(changes={"a": 1}),
    "hash a number": lambda r: r.update(hash=5),
    "extra field": lambda r: r.update(extra=1),
    "missing field": lambda r: r.pop("changes"),
    "not an object": lambda r: r.clear(),
}


# Entries whose hash cannot be worked out, or whose change is to the hash itself.
NO_HASH_FOR = ("at a number", "at in words", "hash a number", "missing field", "not an object")


def wrong_values(column: Column[Any]) -> list[Any]:
    """Values no column of this type may hold."""
    kind = column.type
    values: list[Any] = [[1, 2], {"x": 1}, 1.5, {}]
    if isinstance(kind, LargeBinary):
        values += [
            "AAAA",
            5,
            {"$b64": 5},
            {"$b64": "!!"},
            {"$blob": "0" * 64},
            {"$b64": "", "x": 1},
        ]
    elif isinstance(kind, Boolean):
        values += [1, 0, "true"]
    elif isinstance(kind, Integer):
        values += ["7", True]
    elif isinstance(kind, UtcDateTime):
        values += [1_700_000_000, "yesterday", "2024-01-01T00:00:00", True]
    elif isinstance(kind, Date):
        values += [20240101, "31/01/2024", "2024-02-30"]
    elif isinstance(kind, String | Text):
        values += [7, True, -1]
    return values if column.nullable else [*values, None]


def wrong_types(site: Site, rng: random.Random) -> list[Variant]:
    variants = []
    for name, values in MANIFEST_WRONG_TYPES.items():
        variants += [
            variant(("manifest", name, repr(v)), rebuilt, site, **{name: v}) for v in values
        ]
        manifest = {k: v for k, v in site.manifest.items() if k != name}
        variants.append(variant(("manifest without", name), rebuilt, site, body=dumps(manifest)))
    first = next(iter(site.manifest["members"]))
    for key in ("sha256", "size", "unpacked"):
        for value in ["1", 1.0, True, None, [], -1 if key == "sha256" else "ab" * 32]:
            listing = listing_with(site, lambda m, k=key, v=value: m[first].update({k: v}))
            variants.append(
                variant(("member entry", key, repr(value)), rebuilt, site, members=listing)
            )
    for name in ("device_id", "site_id", "label", "signing_public", "age_recipient"):
        for value in (None, 5, True, ["x"], {"x": 1}):
            origin = {**site.manifest["origin"], name: value}
            variants.append(variant(("origin", name, repr(value)), rebuilt, site, origin=origin))
    for whole in (b"[]", b'"manifest"', b"5", b"null", b"true", b"", b"{", b"{}"):
        variants.append(variant(("whole manifest", whole), rebuilt, site, body=whole))
    for name, (offset, values) in TAR_FIELDS.items():  # tar headers, with a good checksum
        for value in values:
            for index in (0, 5, 10):
                entries = site.tar_entries()
                entries[index] = retouched(entries[index], offset, value)
                variants.append(
                    variant(("tar header", name, value, index), rebuilt, site, entries=entries)
                )
    for index in (0, 5, 10):
        entries = site.tar_entries()
        entries[index] = entries[index][:148] + b"0000000\0" + entries[index][156:]
        variants.append(variant(("tar checksum", index), rebuilt, site, entries=entries))
    variants += record_variants(site, rng, "record", wrong_values, 320)
    for label, change in AUDIT_WRONG_TYPES.items():
        variants.append(audit_variant(("audit", label), site, change, False))
        if label not in NO_HASH_FOR:  # its hash made right again: only the type is wrong
            variants.append(audit_variant(("audit", label, "hashed"), site, change, True))
    return variants


# --- a newer format -------------------------------------------------------------------------------


def future_versions(site: Site, rng: random.Random) -> list[Variant]:
    variants = []
    newer = [*site.members, ("records/newkind/000001.jsonl.gz", gz(b'{"id":"x"}\n'))]
    for version in (2, 3, 4, 5, 7, 10, 42, 99, 100, 1000, 2**16, 2**31, 2**53, 10**20, 10**100):
        for sequence in range(5, 15):
            variants.append(
                variant(
                    ("format_version", version, sequence),
                    rebuilt,
                    site,
                    format_version=version,
                    sequence=sequence,
                )
            )
        variants.append(
            variant(("with a new kind", version), rebuilt, site, newer, format_version=version)
        )
    magic = b"age-encryption.org/v1\n"
    for other in (
        b"age-encryption.org/v2\n",
        b"age-encryption.org/v1.1\n",
        b"rage-encryption.org/v1\n",
    ):
        variants.append(variant(("age", other), bytes.__add__, other, site.good[len(magic) :]))
    for other_format in (
        "prevent-desktop-bundle-2",
        "prevent-desktop-bundle/v2",
        "prevent-desktop-archive",
    ):
        variants.append(variant(("format", other_format), rebuilt, site, format=other_format))
    return variants


# --- judging --------------------------------------------------------------------------------------

DAMAGED = ("damaged", "not addressed to this laptop", "not a Prevent Desktop bundle", "incomplete")
CATEGORIES: dict[str, tuple[Callable[[Site, random.Random], list[Variant]], tuple[str, ...]]] = {
    # category: (generator, words one of which each message must hold; none: any clear message)
    "bit flips": (bit_flips, DAMAGED),
    "truncation": (truncations, DAMAGED),
    "wrong recipient": (wrong_recipients, ("not addressed to this laptop",)),
    "unknown signer": (
        unknown_signers,
        (
            "signature does not match",
            "signed by another key",
            "signed by a different key",
            "not paired with",
            "another site",
            "made on this laptop",
        ),
    ),
    "replayed sequence": (replays, ("already imported",)),
    "manifest mismatch": (
        manifest_mismatches,
        (
            "does not match its hash",
            "listed in its manifest",
            "manifest says",
            "manifest does not count",
            "audit log does not end",
        ),
    ),
    "hash mismatch": (hash_mismatches, ("does not match its hash", "not valid gzip", "cut short")),
    "zip-slip names": (zip_slips, ("not allowed", "not a plain file")),
    "zip bomb": (
        zip_bombs,
        ("compression ratio", "unpacks to more than", "larger than this program"),
    ),
    "duplicate members": (
        duplicates,
        ("twice", "two manifests", "comes after", "does not follow", "no manifest", "not signed"),
    ),
    "oversized fields": (oversized_fields, ()),
    "invalid UTF-8": (invalid_utf8, ()),
    "wrong types": (wrong_types, ()),
    "future format version": (
        future_versions,
        ("newer version", "not a Prevent Desktop bundle", "another format"),
    ),
}


def plan(site: Site, category: str) -> list[Variant]:
    generate, _words = CATEGORIES[category]
    return generate(site, random.Random(f"{SEED}:{category}"))


def unclear(message: str) -> str | None:
    """Why `message` is not one a user can act on, or None if it is."""
    if not 40 <= len(message) <= 700:
        return f"it is {len(message)} characters long"
    for marker in ("Traceback", "Error(", "Error:", "object at 0x", "codec can't"):
        if marker in message:
            return f"it reads like a program's text ({marker!r})"
    if re.search(r"(?<!\w)b['\"]", message):
        return "it shows raw bytes"
    if not message.isprintable():
        return "it holds characters that do not print (newlines, escapes, direction marks)"
    if message.encode("utf-8", "replace").decode() != message:
        return "it is not valid Unicode"
    if not re.search(r"nothing was imported|nothing changed", message, re.IGNORECASE):
        return "it does not say that nothing was imported"
    return None


@dataclass
class Tally:
    judged: int = 0
    refused_first: int = 0
    through_import: int = 0
    slowest: float = 0.0
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def fail(self, kind: str, variant: Variant, detail: str) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, f"{variant.label!r:.300} -> {detail:.600}")

    def report(self, category: str) -> str:
        lines = [f"{category}: {sum(self.failures.values())} failures in {self.judged} variants"]
        lines += [
            f"  {n} x {kind}; e.g. {self.examples[kind]}" for kind, n in self.failures.most_common()
        ]
        return "\n".join(lines)


def judge(site: Site, variant: Variant, tally: Tally, words: Sequence[str], sample: bool) -> None:
    """Refused by the first pass, or else by the import; the import (also tried on a sample of
    what the first pass refuses) leaves the database's content hash as it was."""
    site.scratch.write_bytes(variant.build())
    tally.judged += 1
    started = time.perf_counter()
    messages = []
    try:
        verify_bundle(site.scratch, identities=[site.identity])
    except KnownError as error:
        tally.refused_first += 1
        messages.append(error.message)
    except Exception as error:  # what this corpus looks for: nothing else may escape
        tally.fail(f"{type(error).__name__} escaped the first pass", variant, repr(error))
        return
    if sample or not messages:
        tally.through_import += 1
        try:
            site.receiver.sync.import_bundle(site.scratch, trust=variant.trust)
        except KnownError as error:
            messages.append(error.message)
        except Exception as error:
            tally.fail(f"{type(error).__name__} escaped the import", variant, repr(error))
        else:
            tally.fail("imported", variant, "the import succeeded")
        if content_hash(site.receiver) != site.baseline:
            tally.fail("database changed", variant, messages[-1] if messages else "")
            restore(site)
    tally.slowest = max(tally.slowest, time.perf_counter() - started)
    for message in messages:
        if (problem := unclear(message)) is not None:
            tally.fail(f"unclear message: {problem}", variant, message)
        elif words and not any(word in message for word in words):
            tally.fail("a message that does not fit the damage", variant, message)


# --- the tests ------------------------------------------------------------------------------------


def test_the_corpus_has_over_10000_distinct_variants_in_every_category(site: Site) -> None:
    sizes = {}
    for category in CATEGORIES:
        labels = [variant.label for variant in plan(site, category)]
        assert len(set(labels)) == len(labels), category
        sizes[category] = len(labels)
    assert min(sizes.values()) >= 100, sizes
    assert sum(sizes.values()) >= 10_000, sizes


def test_the_genuine_bundle_imports_and_changes_the_content_hash(site: Site) -> None:
    """The corpus is made from a bundle that is good, and the hash sees what an import does."""
    site.scratch.write_bytes(site.good)
    verify_bundle(site.scratch, identities=[site.identity])
    before = content_hash(site.spare)
    summary = site.spare.sync.import_bundle(site.scratch)
    assert summary.sequence == 4 and summary.per_type["risk"].total == 15
    assert summary.per_type["risk"].added == 2 and summary.per_type["risk"].updated == 1
    assert content_hash(site.spare) != before
    assert content_hash(site.receiver) == site.baseline  # the spare is a copy, not the same file


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_hostile_bundles_are_refused_clearly_and_change_nothing(site: Site, category: str) -> None:
    variants = plan(site, category)
    sample = set(
        random.Random(f"{SEED}:{category}:import").sample(range(len(variants)), IMPORT_SAMPLE)
    )
    tally = Tally()
    words = CATEGORIES[category][1]
    for index, variant in enumerate(variants):
        judge(site, variant, tally, words, index in sample)
    assert not tally.failures, tally.report(category)
    assert tally.through_import >= IMPORT_SAMPLE
    assert tally.slowest < 5, f"{category}: a variant took {tally.slowest:.1f} s to refuse"


def test_a_strangers_label_reaches_the_trust_question_printable(site: Site) -> None:
    """The fingerprint question (dialog, command line) shows the label the bundle gives: line
    breaks and direction overrides in it must not dress the question up."""
    key = stranger(random.Random(SEED))
    public = key.public.hex()
    label = "Head office\nTrusted: yes \u202egnp.exe"
    origin = {**site.manifest["origin"], "device_id": "0" * 32, "signing_public": public}
    origin["label"] = label
    site.scratch.write_bytes(rebuilt(site, key=key, signer={"ed25519": public}, origin=origin))
    with pytest.raises(UnknownDevice) as caught:
        site.receiver.sync.import_bundle(site.scratch)
    assert caught.value.card.label == "Head office?Trusted: yes ?gnp.exe"
    assert content_hash(site.receiver) == site.baseline


def test_a_zip_bomb_is_refused_quickly_and_in_bounded_memory(site: Site) -> None:
    site.scratch.write_bytes(bombed(site, 128, "records/risk/000001.jsonl.gz", honest=False))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(KnownError, match="compression ratio"):
            verify_bundle(site.scratch, identities=[site.identity])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 16 * MiB, peak  # 128 MiB of zeros, never unpacked whole
