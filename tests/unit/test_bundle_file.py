"""Bundle files: round trips, streaming memory, and every way a hostile or damaged file is refused.

Hostile bundles are crafted here from raw tar blocks and encrypted with pyrage, so that each
test can break exactly one rule while everything else (encryption, signature) stays valid.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tracemalloc
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyrage
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from prevent_desktop.sync.bundle_file import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleError,
    Limits,
    SigningKey,
    VerifiedBundle,
    fingerprint,
    read_members,
    verify_bundle,
    write_bundle,
)
from prevent_desktop.sync.tar_stream import TAR_END, TarFormatError, TarPushParser, tar_padding

IDENTITY = pyrage.x25519.Identity.generate()
SECRET = str(IDENTITY)
RECIPIENT = str(IDENTITY.to_public())
KEY = SigningKey.generate()
OTHER_KEY = SigningKey.generate()
MiB = 1024 * 1024
# Incompressible, so that a bundle spans several 64 KiB age chunks; fixed, so that every call
# of sample_members() gives the same members.
NOISE = os.urandom(300 * 1024)
NO_LIMITS_SET = Limits()


def leftovers(folder: Path) -> list[str]:
    """Temporary files a failed or finished write left behind."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def jsonl(kind: str, rows: int) -> bytes:
    return b"".join(
        json.dumps({"id": f"{kind}-{i}", "title": f"row {i}", "n": i}).encode() + b"\n"
        for i in range(rows)
    )


def blob(content: bytes) -> tuple[str, bytes]:
    return "blobs/" + hashlib.sha256(content).hexdigest(), content


def sample_members() -> list[tuple[str, bytes]]:
    return [
        ("records/risk/000001.jsonl.gz", jsonl("risk", 300)),
        blob(b"%PDF-1.4 an attachment"),
        ("records/concern_log/000001.jsonl.gz", jsonl("concern", 5)),
        ("records/risk/000002.jsonl.gz", b""),
        blob(NOISE),
    ]


def write(path: Path, members: Sequence[tuple[str, bytes]], *, signer: SigningKey = KEY) -> str:
    manifest = {"origin_site": "LTC", "device": "laptop-1", "sequence": 7}
    return write_bundle(path, manifest, iter(members), signer=signer, recipients=[RECIPIENT])


def import_all(path: Path, limits: Limits = NO_LIMITS_SET) -> list[tuple[str, bytes]]:
    """What the caller does: pass 1, then pass 2 collecting what it is handed."""
    handed: list[tuple[str, bytes]] = []
    verified = verify_bundle(path, identities=[SECRET], limits=limits)
    read_members(
        path, verified, lambda n, b: handed.append((n, b)), identities=[SECRET], limits=limits
    )
    return handed


def refused(path: Path, *keywords: str, limits: Limits = NO_LIMITS_SET) -> str:
    """The import fails with a BundleError naming one of `keywords`, before any member is
    handed over."""
    handed: list[str] = []

    def on_member(name: str, _data: bytes) -> None:
        handed.append(name)

    with pytest.raises(BundleError) as caught:
        verified = verify_bundle(path, identities=[SECRET], limits=limits)
        read_members(path, verified, on_member, identities=[SECRET], limits=limits)
    assert handed == []
    message = caught.value.message
    assert any(k in message for k in keywords), message
    assert "nothing was imported" in message.lower()
    return message


# --- crafting raw bundles --------------------------------------------------------------------


def entry(
    name: str,
    data: bytes = b"",
    *,
    typeflag: bytes = tarfile.REGTYPE,
    fmt: int = tarfile.USTAR_FORMAT,
    linkname: str = "",
) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.type = typeflag
    info.linkname = linkname
    return info.tobuf(fmt, "utf-8", "surrogateescape") + data + tar_padding(len(data))


def stored(members: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Members as a bundle stores them (records gzipped)."""
    return [(n, gzip.compress(d) if n.endswith(".gz") else d) for n, d in members]


def listing(members: Sequence[tuple[str, bytes]]) -> dict[str, dict[str, Any]]:
    """The manifest's member table for stored members, as the writer computes it."""
    return {
        name: {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "unpacked": len(gzip.decompress(data) if name.endswith(".gz") else data),
        }
        for name, data in members
    }


def manifest_doc(
    members: dict[str, dict[str, Any]], key: SigningKey = KEY, **fields: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "prevent-desktop-bundle", "format_version": FORMAT_VERSION}
    doc.update(origin_site="LTC", members=members, signer={"ed25519": key.public.hex()})
    doc.update(fields)
    return doc


def signed(manifest: dict[str, Any] | bytes, key: SigningKey = KEY) -> bytes:
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return entry(MANIFEST_NAME, body) + entry(SIGNATURE_NAME, key.sign(body))


def seal(path: Path, plaintext: bytes) -> Path:
    path.write_bytes(pyrage.encrypt(plaintext, [IDENTITY.to_public()]))
    return path


def craft(
    path: Path,
    members: Sequence[tuple[str, bytes]],
    manifest: dict[str, Any] | bytes | None = None,
    *,
    key: SigningKey = KEY,
    end: bytes = TAR_END,
) -> Path:
    """A bundle of already-stored members; by default with a correct, signed manifest."""
    body = b"".join(entry(n, d) for n, d in members)
    if manifest is None:
        manifest = manifest_doc(listing(members), key)
    return seal(path, body + signed(manifest, key) + end)


def unseal(path: Path) -> list[tuple[str, bytes]]:
    plaintext = pyrage.decrypt(path.read_bytes(), [IDENTITY])
    with tarfile.open(fileobj=io.BytesIO(plaintext)) as tar:
        result = []
        for info in tar.getmembers():
            handle = tar.extractfile(info)
            assert handle is not None
            result.append((info.name, handle.read()))
        return result


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "site.pdbundle"
    write(path, sample_members())
    return path


# --- round trips -----------------------------------------------------------------------------


def test_round_trip_with_a_recipient_key(tmp_path: Path) -> None:
    path = tmp_path / "site.pdbundle"
    members = sample_members()
    digest = write(path, members)

    verified = verify_bundle(path, identities=[SECRET])
    assert digest == verified.bundle_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert verified.size == path.stat().st_size
    assert verified.signer_public == KEY.public
    manifest = verified.manifest
    assert manifest["format"] == "prevent-desktop-bundle" and manifest["format_version"] == 1
    assert manifest["origin_site"] == "LTC" and manifest["sequence"] == 7
    assert manifest["signer"] == {"ed25519": KEY.public.hex()}
    assert list(manifest["members"]) == [name for name, _ in members]
    gz = manifest["members"]["records/risk/000001.jsonl.gz"]
    assert gz["unpacked"] == len(members[0][1]) and gz["size"] < gz["unpacked"]
    assert import_all(path) == members
    assert leftovers(tmp_path) == []


def test_round_trip_with_a_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "site.pdbundle"
    members = sample_members()[:3]
    digest = write_bundle(path, {"origin_site": "LTC"}, members, signer=KEY, passphrase="otter 7")
    verified = verify_bundle(path, passphrase="otter 7")
    assert verified.bundle_sha256 == digest
    handed: list[tuple[str, bytes]] = []
    read_members(path, verified, lambda n, b: handed.append((n, b)), passphrase="otter 7")
    assert handed == members
    with pytest.raises(BundleError, match="passphrase is wrong"):
        verify_bundle(path, passphrase="otter 8")


def test_the_plaintext_is_an_ordinary_tar(bundle: Path) -> None:
    names = [name for name, _ in unseal(bundle)]
    assert names == [n for n, _ in sample_members()] + [MANIFEST_NAME, SIGNATURE_NAME]


def test_the_age_command_decrypts_a_bundle_and_tar_lists_it(bundle: Path, tmp_path: Path) -> None:
    age = shutil.which("age")
    if age is None:
        pytest.skip("the age command-line tool is not installed (CI installs it)")
    identity_file = tmp_path / "key.txt"
    identity_file.write_text(SECRET + "\n")
    plaintext = subprocess.run(
        [age, "--decrypt", "--identity", str(identity_file), str(bundle)],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(plaintext)) as tar:
        assert tar.getnames()[-2:] == [MANIFEST_NAME, SIGNATURE_NAME]
        assert len(tar.getnames()) == len(sample_members()) + 2


def test_fingerprints_are_short_groups_and_the_private_key_stays_out_of_repr() -> None:
    text = fingerprint(KEY.public)
    groups = text.split(" ")
    assert len(groups) == 8
    assert all(len(g) == 4 and g.isalnum() and g == g.upper() for g in groups)
    assert fingerprint(KEY.public) == text != fingerprint(OTHER_KEY.public)
    assert KEY.private.hex() not in repr(KEY) and str(list(KEY.private)) not in repr(KEY)


# --- streaming memory --------------------------------------------------------------------------


def test_writing_and_verifying_a_large_bundle_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.pdbundle"

    def members() -> Iterator[tuple[str, bytes]]:
        for _ in range(200):
            yield blob(os.urandom(MiB))

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        write_bundle(path, {}, members(), signer=KEY, recipients=[RECIPIENT])
        write_peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        verified = verify_bundle(path, identities=[SECRET])
        verify_peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert path.stat().st_size > 200 * MiB
    assert len(verified.manifest["members"]) == 200
    assert write_peak < 30 * MiB, write_peak
    assert verify_peak < 30 * MiB, verify_peak


def test_a_gzip_bomb_is_refused_without_unpacking_it(tmp_path: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(MiB)
    bomb = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()
    assert len(bomb) < 400 * 1024  # 200 MB of zeros in a few hundred KB
    path = craft(tmp_path / "bomb.pdbundle", [("records/risk/000001.jsonl.gz", bomb)])
    tracemalloc.start()
    try:
        refused(path, "compression ratio")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MiB, peak


# --- decryption failures -----------------------------------------------------------------------


def test_a_bundle_for_another_laptop_is_refused(bundle: Path) -> None:
    other = str(pyrage.x25519.Identity.generate())
    with pytest.raises(BundleError, match="not addressed to this laptop"):
        verify_bundle(bundle, identities=[other])


def test_a_random_file_and_a_plain_tar_are_not_bundles(tmp_path: Path) -> None:
    random_file = tmp_path / "random.pdbundle"
    random_file.write_bytes(os.urandom(5000))
    refused(random_file, "not a Prevent Desktop bundle")
    plain = tmp_path / "plain.pdbundle"
    plain.write_bytes(entry("blobs/" + "0" * 64, b"x") + TAR_END)
    refused(plain, "not a Prevent Desktop bundle")
    empty = tmp_path / "empty.pdbundle"
    empty.write_bytes(b"")
    refused(empty, "not a Prevent Desktop bundle")


def test_a_missing_file_says_it_could_not_be_read(tmp_path: Path) -> None:
    refused(tmp_path / "gone.pdbundle", "Could not read")


def test_encrypted_data_that_is_not_a_tar_is_damaged(tmp_path: Path) -> None:
    refused(seal(tmp_path / "x.pdbundle", os.urandom(3000)), "damaged")
    refused(seal(tmp_path / "y.pdbundle", b""), "damaged")


def age_chunk_boundaries(ciphertext: bytes) -> list[int]:
    """Offsets in the file where age's 64 KiB payload chunks begin."""
    header_end = ciphertext.index(b"\n---") + 1
    payload = ciphertext.index(b"\n", header_end) + 1 + 16  # after the MAC line and the nonce
    return list(range(payload, len(ciphertext), 64 * 1024 + 16))


def test_truncation_anywhere_is_refused(bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    boundaries = age_chunk_boundaries(data)
    assert len(boundaries) >= 5
    offsets = {0, 10, 60, len(data) - 1, len(data) - 16, len(data) - 17}
    offsets |= {b + d for b in boundaries for d in (-3, -1, 0, 1, 3)}
    cut = tmp_path / "cut.pdbundle"
    for offset in sorted(offsets):
        cut.write_bytes(data[:offset])
        message = refused(cut, "damaged", "not a Prevent Desktop bundle")
        if offset > 200:
            assert "damaged" in message, offset


def test_single_bit_flips_are_refused(bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    flipped = tmp_path / "flipped.pdbundle"
    for offset in (3, 30, 90, 150, len(data) // 3, len(data) // 2, len(data) - 20, len(data) - 1):
        damaged = bytearray(data)
        damaged[offset] ^= 0x04
        flipped.write_bytes(bytes(damaged))
        refused(flipped, "damaged", "not addressed", "not a Prevent Desktop bundle")


# --- signatures and manifests ------------------------------------------------------------------


def test_a_bundle_re_signed_by_another_key_names_that_signer(bundle: Path, tmp_path: Path) -> None:
    contents = unseal(bundle)
    data = [(n, d) for n, d in contents if n not in (MANIFEST_NAME, SIGNATURE_NAME)]
    manifest = json.loads(dict(contents)[MANIFEST_NAME])
    manifest["signer"] = {"ed25519": OTHER_KEY.public.hex()}
    path = craft(tmp_path / "resigned.pdbundle", data, manifest, key=OTHER_KEY)
    verified = verify_bundle(path, identities=[SECRET])
    # Valid, but from someone else: whether to trust OTHER_KEY is the caller's decision.
    assert verified.signer_public == OTHER_KEY.public != KEY.public


def test_a_manifest_edited_without_re_signing_is_refused(bundle: Path, tmp_path: Path) -> None:
    contents = unseal(bundle)
    manifest = json.loads(dict(contents)[MANIFEST_NAME])
    manifest["origin_site"] = "XYZ"
    body = json.dumps(manifest).encode()
    data = [(n, d) for n, d in contents if n not in (MANIFEST_NAME, SIGNATURE_NAME)]
    tar = b"".join(entry(n, d) for n, d in data)
    tar += entry(MANIFEST_NAME, body) + entry(SIGNATURE_NAME, dict(contents)[SIGNATURE_NAME])
    refused(seal(tmp_path / "edited.pdbundle", tar + TAR_END), "signature does not match")


def test_a_signature_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    body = json.dumps(manifest_doc({})).encode()
    tar = entry(MANIFEST_NAME, body) + entry(SIGNATURE_NAME, KEY.sign(body) + b"x") + TAR_END
    refused(seal(tmp_path / "b.pdbundle", tar), "signature does not match")


def test_the_crafting_helpers_make_valid_bundles(tmp_path: Path) -> None:
    members = stored(sample_members())
    path = craft(tmp_path / "ok.pdbundle", members, end=TAR_END + bytes(9 * 1024))
    assert import_all(path) == sample_members()  # zero padding after the end is fine


def test_a_member_that_does_not_match_its_signed_hash_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:2])
    table = listing(members)
    table["records/risk/000001.jsonl.gz"]["sha256"] = "ab" * 32
    path = craft(tmp_path / "b.pdbundle", members, manifest_doc(table))
    refused(path, "does not match its hash")


def test_a_blob_whose_name_is_not_its_hash_is_refused(tmp_path: Path) -> None:
    members = [("blobs/" + "ab" * 32, b"not that content")]
    refused(craft(tmp_path / "b.pdbundle", members), "does not match its hash")


def test_a_listed_member_that_is_absent_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:2])
    table = listing(stored(sample_members()[:3]))
    refused(craft(tmp_path / "b.pdbundle", members, manifest_doc(table)), "missing")


def test_a_member_the_manifest_does_not_list_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:3])
    table = listing(members[:2])
    refused(craft(tmp_path / "b.pdbundle", members, manifest_doc(table)), "not listed")


@pytest.mark.parametrize(
    ("manifest", "keyword"),
    [
        (b"\xff\xfe{}", "not valid UTF-8 JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"[" * 50_000 + b"]" * 50_000, "not valid UTF-8 JSON"),
        (b'{"format": NaN}', "not valid UTF-8 JSON"),
        (json.dumps(manifest_doc({}, format="zip")).encode(), "not a Prevent Desktop bundle"),
        (json.dumps(manifest_doc({}, format_version="1")).encode(), "not a version number"),
        (json.dumps(manifest_doc({}, format_version=2)).encode(), "newer version"),
        (json.dumps(manifest_doc({}, signer={"rsa": "x"})).encode(), "signer"),
        (json.dumps(manifest_doc({"blobs/x": {"size": 1}})).encode(), "malformed"),
    ],
    ids=["utf8", "array", "deep", "nan", "format", "version-str", "future", "signer", "members"],
)
def test_bad_manifests_are_refused(tmp_path: Path, manifest: bytes, keyword: str) -> None:
    message = refused(seal(tmp_path / "b.pdbundle", signed(manifest) + TAR_END), keyword)
    if keyword == "newer version":
        assert "update this program" in message


# --- structure of the tar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tar_entry",
    [
        entry("../evil", b"x"),
        entry("/etc/passwd", b"x"),
        entry("records/../x", b"x"),
        entry("blobs\\" + "0" * 64, b"x"),
        entry("records/risk/1.jsonl.gz", b"x"),
        entry("records/Risk/000001.jsonl.gz", b"x"),
        entry("records/risk/000001.jsonl.gz\n", b"x"),
        entry("records/risk/000001.jsonl.gz", typeflag=tarfile.SYMTYPE, linkname="/etc/passwd"),
        entry("records/risk/000001.jsonl.gz", typeflag=tarfile.LNKTYPE, linkname="blobs/a"),
        entry("records/", typeflag=tarfile.DIRTYPE),
        entry("records/risk/000001.jsonl.gz", typeflag=tarfile.CHRTYPE),
        entry("records/risk/000001.jsonl.gz", typeflag=tarfile.FIFOTYPE),
        entry("records/risk/" + "é" * 60 + ".jsonl.gz", b"x", fmt=tarfile.PAX_FORMAT),
        entry("records/" + "a" * 120 + "/000001.jsonl.gz", b"x", fmt=tarfile.GNU_FORMAT),
    ],
    ids=[
        "dotdot",
        "absolute",
        "inner-dotdot",
        "backslash",
        "bad-number",
        "upper-case",
        "newline",
        "symlink",
        "hardlink",
        "directory",
        "device",
        "fifo",
        "pax-header",
        "gnu-longname",
    ],
)
def test_unsafe_entries_are_refused(tmp_path: Path, tar_entry: bytes) -> None:
    manifest = signed(manifest_doc({}))
    path = seal(tmp_path / "b.pdbundle", tar_entry + manifest + TAR_END)
    refused(path, "not allowed", "not a plain file")


def test_an_unsafe_name_is_quoted_and_shortened_in_the_message(tmp_path: Path) -> None:
    name = "../" + "\x1b[31m" + "a" * 90
    path = seal(tmp_path / "b.pdbundle", entry(name, b"x") + TAR_END)
    message = refused(path, "not allowed")
    assert "\x1b" not in message and "a" * 90 not in message


def test_a_member_given_twice_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:1])
    refused(craft(tmp_path / "b.pdbundle", members + members), "twice")


def test_members_after_the_manifest_or_signature_are_refused(tmp_path: Path) -> None:
    first, second = stored(sample_members()[:2])
    head = signed(manifest_doc(listing([first, second])))
    manifest_part, signature_part = head[: -512 * 2], head[-512 * 2 :]
    after_manifest = entry(*first) + manifest_part + entry(*second) + signature_part
    refused(seal(tmp_path / "a.pdbundle", after_manifest + TAR_END), "after the manifest")
    head = signed(manifest_doc(listing([first])))
    after_signature = entry(*first) + head + entry(*second)
    refused(seal(tmp_path / "b.pdbundle", after_signature + TAR_END), "after the signature")


def test_a_bundle_without_manifest_or_signature_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:2])
    body = b"".join(entry(n, d) for n, d in members)
    refused(seal(tmp_path / "a.pdbundle", body + TAR_END), "no manifest")
    manifest = json.dumps(manifest_doc(listing(members))).encode()
    unsigned = body + entry(MANIFEST_NAME, manifest) + TAR_END
    refused(seal(tmp_path / "b.pdbundle", unsigned), "not signed")


def test_data_after_the_end_of_the_tar_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:2])
    path = craft(tmp_path / "b.pdbundle", members, end=TAR_END + b"\0" * 100 + b"hello")
    refused(path, "after the end")
    path = craft(tmp_path / "c.pdbundle", members, end=b"\0" * 512 + entry("blobs/x") + TAR_END)
    refused(path, "end marker")


def test_a_tar_that_stops_early_is_refused(tmp_path: Path) -> None:
    members = stored(sample_members()[:2])
    path = craft(tmp_path / "b.pdbundle", members, end=b"")
    refused(path, "stops early")


def test_a_damaged_tar_header_is_refused(tmp_path: Path) -> None:
    header = bytearray(entry("blobs/" + "0" * 64, b"x"))
    header[0] ^= 1  # the checksum no longer matches
    refused(seal(tmp_path / "b.pdbundle", bytes(header) + TAR_END), "damaged header")


@pytest.mark.parametrize("piece", [1, 7, 511, 512, 513, 8192])
def test_the_tar_parser_gives_the_same_members_whatever_the_piece_size(piece: int) -> None:
    sizes = [0, 1, 511, 512, 513, 3000]
    tar = b"".join(entry(f"m{size}", bytes([size % 251]) * size) for size in sizes) + TAR_END
    events: list[tuple[str, int]] = []
    current = bytearray()

    def on_end() -> None:
        events.append((name_of[-1], len(current)))
        assert set(current) <= {len(current) % 251}
        current.clear()

    name_of: list[str] = []
    parser = TarPushParser(lambda h: name_of.append(h.name), current.extend, on_end)
    for start in range(0, len(tar), piece):
        assert parser.write(tar[start : start + piece]) == len(tar[start : start + piece])
    parser.close()
    assert events == [(f"m{size}", size) for size in sizes]
    with pytest.raises(TarFormatError, match="stops early"):
        partial = TarPushParser(lambda _h: None, lambda _c: None, lambda: None)
        partial.write(tar[:-1])
        partial.close()


# --- limits ------------------------------------------------------------------------------------


def test_a_member_over_the_stored_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.pdbundle"
    write(path, [blob(os.urandom(5000))])
    refused(path, "larger than this program accepts", limits=Limits(max_member_bytes=4096))


def test_a_member_over_the_unpacked_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.pdbundle"
    rows = b"".join(os.urandom(30).hex().encode() + b"\n" for _ in range(2000))  # ratio ~2
    write(path, [("records/risk/000001.jsonl.gz", rows)])
    refused(path, "unpacks to more than", limits=Limits(max_unpacked_member_bytes=50_000))


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.pdbundle"
    write(path, [blob(bytes([i])) for i in range(4)])
    refused(path, "more than 3 members", limits=Limits(max_members=3))
    assert len(import_all(path, Limits(max_members=4))) == 4


def test_an_oversized_manifest_is_refused(bundle: Path) -> None:
    refused(bundle, "manifest.json", limits=Limits(max_manifest_bytes=100))


def test_small_highly_compressible_records_are_not_mistaken_for_bombs(tmp_path: Path) -> None:
    path = tmp_path / "b.pdbundle"
    rows = b'{"status": "open"}\n' * 20_000  # 380 KB that gzips ~400x
    write(path, [("records/risk/000001.jsonl.gz", rows)])
    assert import_all(path) == [("records/risk/000001.jsonl.gz", rows)]


# --- fuzzing -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A path, not the bytes: hypothesis would build a repr of a large argument.
    path = tmp_path_factory.mktemp("fuzz") / "valid.pdbundle"
    write(path, sample_members())
    return path


damage = st.one_of(
    st.tuples(st.just("cut"), st.floats(0, 1, exclude_max=True), st.just(0)),
    st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(0, 7)),
)


@settings(
    max_examples=60,
    database=None,  # nothing written to .hypothesis/ in the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=st.lists(damage, min_size=1, max_size=3))
def test_random_damage_only_ever_raises_bundle_errors(
    valid_bundle: Path, tmp_path_factory: pytest.TempPathFactory, changes: list[Any]
) -> None:
    original = valid_bundle.read_bytes()
    data = bytearray(original)
    for kind, where, bit in changes:
        offset = int(where * len(data))
        if kind == "cut":
            del data[offset:]
        elif data:
            data[min(offset, len(data) - 1)] ^= 1 << bit
    assume(data != original)  # two flips of one bit cancel out
    path = valid_bundle.with_name("fuzzed.pdbundle")
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError):
        import_all(path)


@settings(
    max_examples=60,
    database=None,  # nothing written to .hypothesis/ in the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=st.lists(damage, min_size=1, max_size=3))
def test_random_damage_inside_the_encryption_never_imports_other_content(
    valid_bundle: Path, changes: list[Any]
) -> None:
    """As if the sender's own laptop produced a damaged tar: the parser and checks must hold."""
    original = pyrage.decrypt(valid_bundle.read_bytes(), [IDENTITY])
    data = bytearray(original)
    for kind, where, bit in changes:
        offset = int(where * len(data))
        if kind == "cut":
            del data[offset:]
        elif data:
            data[min(offset, len(data) - 1)] ^= 1 << bit
    assume(data != original)
    path = seal(valid_bundle.with_name("fuzzed-inside.pdbundle"), bytes(data))
    try:
        handed = import_all(path)
    except BundleError:
        return
    # Only unsigned header fields (mtime, mode, owner) may change without being noticed.
    assert handed == sample_members()


# --- pass 2 ------------------------------------------------------------------------------------


def test_a_file_swapped_between_the_two_passes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "site.pdbundle"
    write(path, sample_members())
    verified = verify_bundle(path, identities=[SECRET])
    write(path, [("records/risk/000001.jsonl.gz", jsonl("other", 3))])
    handed: list[str] = []
    with pytest.raises(BundleError, match="changed while it was being imported"):
        read_members(path, verified, lambda n, _b: handed.append(n), identities=[SECRET])
    assert handed == []


def test_the_same_members_re_encrypted_between_passes_are_caught_at_the_end(
    tmp_path: Path,
) -> None:
    path = tmp_path / "site.pdbundle"
    members = sample_members()
    write(path, members)
    verified = verify_bundle(path, identities=[SECRET])
    # Same content, fresh encryption: every member matches, but it is not the file checked.
    seal(path, pyrage.decrypt(path.read_bytes(), [IDENTITY]))
    with pytest.raises(BundleError, match="the file as a whole"):
        read_members(path, verified, lambda _n, _b: None, identities=[SECRET])


def test_errors_from_the_callback_propagate_unchanged(bundle: Path) -> None:
    class Rollback(Exception):
        pass

    def on_member(_name: str, _data: bytes) -> None:
        raise Rollback

    verified = verify_bundle(bundle, identities=[SECRET])
    with pytest.raises(Rollback):
        read_members(bundle, verified, on_member, identities=[SECRET])


def test_a_forged_verified_bundle_does_not_get_members_through(bundle: Path) -> None:
    real = verify_bundle(bundle, identities=[SECRET])
    forged = VerifiedBundle({**real.manifest, "members": {}}, KEY.public, real.bundle_sha256, 0)
    with pytest.raises(BundleError, match="changed while"):
        read_members(bundle, forged, lambda _n, _b: None, identities=[SECRET])


# --- writing failures --------------------------------------------------------------------------


def test_a_bad_member_name_is_a_bug_and_leaves_the_old_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "site.pdbundle"
    path.write_bytes(b"previous bundle")
    for members in (
        [blob(b"ok"), ("../evil", b"x")],
        [("blobs/" + "0" * 64, b"not its hash")],
        [blob(b"ok"), blob(b"ok")],
        [(MANIFEST_NAME, b"{}")],
    ):
        with pytest.raises(ValueError):
            write(path, members)
    assert path.read_bytes() == b"previous bundle"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({}, "neither"),
        ({"recipients": [RECIPIENT], "passphrase": "x"}, "both"),
    ],
)
def test_exactly_one_way_of_encrypting_is_required(
    tmp_path: Path, kwargs: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        write_bundle(tmp_path / "b.pdbundle", {}, [], signer=KEY, **kwargs)


def test_reserved_manifest_keys_are_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="members"):
        write_bundle(tmp_path / "b", {"members": {}}, [], signer=KEY, recipients=[RECIPIENT])


def test_a_malformed_recipient_key_is_explained(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="age1"):
        write_bundle(tmp_path / "b", {}, [], signer=KEY, recipients=["age1nonsense"])


def test_a_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="does not exist") as caught:
        write(tmp_path / "unplugged" / "site.pdbundle", sample_members()[:1])
    assert isinstance(caught.value.__cause__, OSError)
    assert caught.value.__cause__.errno == errno.ENOENT


@contextmanager
def mounted_tmpfs(point: Path, options: str) -> Iterator[Path]:
    """A real small file system at `point`, as a USB stick would be; skips without root."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()})")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_full_drive_is_explained_and_the_old_bundle_kept(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "stick", "size=1m,mode=0755") as stick:
        path = stick / "site.pdbundle"
        write(path, sample_members()[:2])
        before = path.read_bytes()
        with pytest.raises(BundleError, match="no space left") as caught:
            write(path, [blob(os.urandom(2 * MiB))])
        assert str(stick) in caught.value.message
        assert path.read_bytes() == before
        assert leftovers(stick) == []


def test_a_read_only_drive_is_explained(tmp_path: Path) -> None:
    with (
        mounted_tmpfs(tmp_path / "stick", "size=1m,ro") as stick,
        pytest.raises(BundleError, match="read-only"),
    ):
        write(stick / "site.pdbundle", sample_members()[:1])


def test_an_error_inside_the_members_iterator_removes_the_partial_file(tmp_path: Path) -> None:
    class Interrupted(Exception):
        pass

    def members() -> Iterator[tuple[str, bytes]]:
        yield blob(os.urandom(200_000))
        raise Interrupted

    with pytest.raises(Interrupted):
        write_bundle(tmp_path / "b.pdbundle", {}, members(), signer=KEY, recipients=[RECIPIENT])
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "b.pdbundle").exists()


def test_non_zero_padding_is_refused(tmp_path: Path) -> None:
    member = bytearray(entry("blobs/" + hashlib.sha256(b"x").hexdigest(), b"x"))
    member[-1] = 1  # the last padding byte of the member's data block
    members = [("blobs/" + hashlib.sha256(b"x").hexdigest(), b"x")]
    tar = bytes(member) + signed(manifest_doc(listing(members))) + TAR_END
    refused(seal(tmp_path / "b.pdbundle", tar), "padding")
