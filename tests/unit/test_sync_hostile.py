"""Bundles that decrypt and carry a paired laptop's valid signature, yet whose content is
wrong: refused as a whole, with the receiving database unchanged (compared before and after)."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from prevent_desktop.sync.bundle_file import BundleError, read_members, verify_bundle, write_bundle
from prevent_desktop.sync.device import keys_for
from tests.unit.sync_support import Fleet, snapshot


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory):
    """Shared by every case: each refused bundle leaves both laptops as they were."""
    fleet = Fleet(tmp_path_factory.mktemp("hostile") / "site")
    fleet.first()
    fleet.join()
    fleet.pair_all()
    yield fleet
    fleet.close()


def _contents(fleet: Fleet, sender: int) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """A genuine bundle from `sender`, opened with the sender's own identity."""
    path = fleet.bundle_path()
    fleet.laptops[sender].sync.export_to_paired(path)
    identity = keys_for(fleet.laptops[sender].database, login="sam").age_identity
    verified = verify_bundle(path, identities=[identity])
    members: list[tuple[str, bytes]] = []
    read_members(
        path, verified, lambda name, data: members.append((name, data)), identities=[identity]
    )
    manifest = {
        k: v
        for k, v in verified.manifest.items()
        if k not in ("format", "format_version", "members", "signer")
    }
    return manifest, members


def _resend(
    fleet: Fleet, sender: int, manifest: dict[str, Any], members: list[tuple[str, bytes]]
) -> Path:
    """Re-made and signed with the sender's real key, sequence moved on."""
    keys = keys_for(fleet.laptops[sender].database, login="sam")
    receiver = fleet.laptops[1 - sender].sync.this_device().age_recipient
    manifest = {**manifest, "sequence": manifest["sequence"] + 100}
    path = fleet.bundle_path()
    write_bundle(path, manifest, members, signer=keys.signing, recipients=[receiver])
    return path


def _edit_records(kind: str, change: Callable[[list[dict[str, Any]]], None]):
    def edit(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        out = []
        for name, data in members:
            if name.startswith(f"records/{kind}/"):
                rows = [json.loads(line) for line in data.decode().splitlines()]
                change(rows)
                data = "".join(json.dumps(row) + "\n" for row in rows).encode()
            out.append((name, data))
        return out

    return edit


def _set(field: str, value: Any):
    return lambda rows: rows[0].__setitem__(field, value)


def _orphan(rows: list[dict[str, Any]]) -> None:
    """A new plan step whose plan exists nowhere."""
    rows.append(
        {
            **rows[0],
            "id": "0f0f0f0f-0000-4000-8000-000000000001",
            "plan_id": "0f0f0f0f-0000-4000-8000-000000000002",
        }
    )


CASES: dict[str, tuple[Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]], str]] = {
    "wrong type": (_edit_records("risk", _set("inherent_likelihood", "high")), "whole number"),
    "unknown field": (_edit_records("risk", _set("owner_password", "x")), "unknown field"),
    "missing field": (_edit_records("risk", lambda rows: rows[0].pop("title")), "lacks field"),
    "bad id": (_edit_records("risk", _set("id", "../../etc")), "malformed id"),
    "bad clock": (_edit_records("risk", _set("hlc", "yesterday")), "malformed id or clock"),
    "bad versions": (_edit_records("risk", _set("versions", "[1,2]")), "version vector"),
    "too long": (_edit_records("risk", _set("title", "x" * 5000)), "longer than"),
    "not an object": (
        _edit_records("risk", lambda rows: rows.__setitem__(0, [1, 2])),
        "not a JSON object",
    ),
    "duplicate record": (
        _edit_records("risk", lambda rows: rows.append(copy.deepcopy(rows[0]))),
        "twice",
    ),
    "dangling parent": (_edit_records("incident_plan_step", _orphan), "rules"),
    "edited audit entry": (
        _edit_records("audit_entry", _set("user_login", "mallory")),
        "audit entry",
    ),
    "unknown kind": (
        lambda members: [
            *members[:-1],
            ("records/secret_table/000001.jsonl.gz", b"{}\n"),
            members[-1],
        ],
        "kind",
    ),
    "missing blob": (_edit_records("risk", _set("title", {"$blob": "0" * 64})), "not text"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_signed_bundle_with_bad_content_is_refused_whole(pair: Fleet, case: str) -> None:
    change, message = CASES[case]
    manifest, members = _contents(pair, 0)
    if case == "dangling parent":  # counted, so that only the missing parent is wrong
        manifest["counts"]["incident_plan_step"] += 1
    bad = _resend(pair, 0, manifest, change(members))
    receiver = pair.laptops[1]
    before = snapshot(receiver)
    with pytest.raises(BundleError, match=message):
        receiver.sync.import_bundle(bad)
    assert snapshot(receiver) == before


def test_counts_that_do_not_match_the_manifest_are_refused(pair: Fleet) -> None:
    manifest, members = _contents(pair, 0)
    manifest["counts"] = {**manifest["counts"], "risk": manifest["counts"]["risk"] + 1}
    bad = _resend(pair, 0, manifest, members)
    before = snapshot(pair.laptops[1])
    with pytest.raises(BundleError, match="manifest says"):
        pair.laptops[1].sync.import_bundle(bad)
    assert snapshot(pair.laptops[1]) == before


def test_a_bundle_signed_by_a_stranger_claiming_a_paired_laptop_is_refused(pair: Fleet) -> None:
    from prevent_desktop.sync.bundle_file import SigningKey

    manifest, members = _contents(pair, 0)
    receiver = pair.laptops[1].sync.this_device().age_recipient
    forged = SigningKey.generate()
    manifest = {**manifest, "sequence": manifest["sequence"] + 1}
    manifest["origin"] = {**manifest["origin"], "signing_public": forged.public.hex()}
    path = pair.bundle_path()
    write_bundle(path, manifest, members, signer=forged, recipients=[receiver])
    with pytest.raises(BundleError, match="different key"):
        pair.laptops[1].sync.import_bundle(path, trust=True)
    _ = gzip
