"""Bundles written and applied in bulk (issue 9, target 5): rows in the order they were stored,
one executemany per member, the audit chain followed across members, JSON lines read in place.
The outcome must be what row-by-row applying gave: same records, same refusals."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from prevent_desktop.domain.concern import EntryKind
from prevent_desktop.store.audit import row_hash
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.sync import bundle_export
from prevent_desktop.sync.bundle_file import BundleError, read_members, verify_bundle, write_bundle
from prevent_desktop.sync.device import keys_for
from prevent_desktop.sync.record_codec import json_lines
from tests.unit.concern_support import sample_input
from tests.unit.sync_support import Fleet, audit_ids, paired_fleet, risk_input, snapshot

Members = list[tuple[str, bytes]]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Fleet]:
    """Two paired laptops; the second has had one bundle from the first."""
    yield from paired_fleet(tmp_path)


def _opened(fleet: Fleet, sender: int) -> tuple[dict[str, Any], Members]:
    """A genuine bundle from `sender`: its manifest (the writer's own keys left out) and its
    members as the reader hands them over."""
    path = fleet.bundle_path()
    fleet.laptops[sender].sync.export_to_paired(path)
    identity = keys_for(fleet.laptops[sender].database, login="sam").age_identity
    verified = verify_bundle(path, identities=[identity])
    members: Members = []
    read_members(path, verified, lambda n, d: members.append((n, d)), identities=[identity])
    reserved = ("format", "format_version", "members", "signer")
    return {k: v for k, v in verified.manifest.items() if k not in reserved}, members


def _resent(fleet: Fleet, sender: int, manifest: dict[str, Any], members: Members) -> Path:
    """The members signed again with the sender's real key, as a later bundle of its series."""
    keys = keys_for(fleet.laptops[sender].database, login="sam")
    receiver = fleet.laptops[1 - sender].sync.this_device().age_recipient
    path = fleet.bundle_path()
    manifest = {**manifest, "sequence": manifest["sequence"] + 100}
    write_bundle(path, manifest, members, signer=keys.signing, recipients=[receiver])
    return path


def _lines(members: Members, kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for name, data in members
        if name.startswith(f"records/{kind}/")
        for line in data.decode().split("\n")
        if line
    ]


def _edit_audit(members: Members, change: Callable[[dict[str, Any]], None]) -> Members:
    """Each audit member with `change` applied to its entries, rehashed so that each entry
    still matches its own hash: only the chain between entries tells the edit."""
    out = []
    for name, data in members:
        if name.startswith("records/audit_entry/"):
            rows = [json.loads(line) for line in data.decode().split("\n") if line]
            for row in rows:
                before = dict(row)
                change(row)
                if row != before:
                    row["hash"] = _rehash(row)
            data = "".join(json.dumps(row) + "\n" for row in rows).encode()
        out.append((name, data))
    return out


def _rehash(row: dict[str, Any]) -> str:
    return row_hash(row, datetime.fromisoformat(row["at"]))


def _held_seq(fleet: Fleet) -> int:
    """The newest of the first laptop's audit entries the second one holds."""
    with fleet.laptops[1].database.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT max(seq) FROM remote_audit_entry WHERE device_id = :d"),
                {"d": fleet.laptops[0].database.device_id},
            ).scalar_one()
        )


# ---- what travels, and in what order --------------------------------------------------------


def test_text_with_unicode_line_separators_travels_whole(pair: Fleet) -> None:
    # The writer leaves these unescaped in JSON strings; a reader splitting lines at them
    # would cut the record in two and refuse every bundle after someone pasted one.
    title = "Visitors\u2028not signed in\u2029at reception\x85on Fridays"
    risk_id = pair.laptops[0].risks.create_risk(risk_input(title)).ids[0]
    pair.send(0, 1)
    assert pair.laptops[1].risks.get_risk(risk_id).title == title
    assert snapshot(pair.laptops[0]) == snapshot(pair.laptops[1])


def test_rows_travel_in_the_order_they_were_stored(pair: Fleet) -> None:
    """So a correction comes after the entry it corrects, whatever their random ids: an
    importer then never holds a pending reference (SQLite scans the child table for every
    parent row inserted while one is pending)."""
    lead = pair.laptops[0]
    concern_id = lead.concerns.log_concern(sample_input()).ids[0]
    for number in range(6):
        lead.concerns.add_entry(concern_id, EntryKind.NOTE, f"Spoke with the tutor ({number}).")
    with lead.database.engine.connect() as connection:
        stored = list(
            connection.execute(text("SELECT id FROM concern_entry ORDER BY rowid")).scalars()
        )
    lead.concerns.add_entry(
        concern_id, EntryKind.NOTE, "The tutor was Mr Obi, not Mr Obe.", corrects_entry_id=stored[0]
    )
    _manifest, members = _opened(pair, 0)
    entries = _lines(members, "concern_entry")
    assert [row["id"] for row in entries][: len(stored)] == stored
    assert entries[-1]["corrects_entry_id"] == stored[0]


def test_many_small_members_merge_as_one(pair: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records and audit entries split over many members (a large site's bundle in
    miniature): each member is written in one go, the chain followed from member to member."""
    monkeypatch.setattr(bundle_export, "CHUNK_ROWS", 2)
    a, b = pair.laptops
    for number in range(5):
        a.risks.create_risk(risk_input(f"Risk made on A {number}"))
    b.risks.create_risk(risk_input("Risk made on B"))
    first = a.risks.list_risks()[0].id
    a.risks.update_risk(first, risk_input("Renamed on A"))
    b.risks.update_risk(first, risk_input("Renamed on B"))  # concurrent: a conflict
    summary = pair.send(0, 1)
    assert summary.per_type["risk"].added == 5 and summary.conflicts == 1
    assert summary.per_type["audit_entry"].added >= 6  # the creates and the update, at least
    pair.send(1, 0)
    assert snapshot(a) == snapshot(b)
    again = pair.send(0, 1)  # no record changed since: every one is known
    assert again.per_type["risk"].added == again.per_type["risk"].updated == 0
    assert audit_ids(a) <= audit_ids(b)
    with b.database.reader() as session:
        kept = session.scalar(select(Risk.title).where(Risk.id == first))
    assert kept in ("Renamed on A", "Renamed on B")


# ---- refusals: the audit chain, checked per member, gives the same answers -----------------


def test_an_edited_link_in_the_chain_is_refused_even_across_members(
    pair: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_export, "CHUNK_ROWS", 2)
    for number in range(4):
        pair.laptops[0].risks.create_risk(risk_input(f"New risk {number}"))
    held = _held_seq(pair)
    # An entry first in its member, whose predecessor arrives in the member before it.
    target = next(seq for seq in range(held + 2, held + 20) if (seq - 1) % 2 == 0)
    manifest, members = _opened(pair, 0)

    sender = pair.laptops[0].database.device_id

    def relink(row: dict[str, Any]) -> None:
        if row["device_id"] == sender and row["seq"] == target:
            row["prev_hash"] = "f" * 64

    bad = _resent(pair, 0, manifest, _edit_audit(members, relink))
    before = snapshot(pair.laptops[1])
    with pytest.raises(BundleError, match="do not chain"):
        pair.laptops[1].sync.import_bundle(bad)
    assert snapshot(pair.laptops[1]) == before


def test_an_entry_in_a_place_already_held_is_a_fork(pair: Fleet) -> None:
    pair.laptops[0].risks.create_risk(risk_input("New risk"))
    held = _held_seq(pair)
    manifest, members = _opened(pair, 0)

    sender = pair.laptops[0].database.device_id

    def replace_held(row: dict[str, Any]) -> None:
        if row["device_id"] == sender and row["seq"] == held:
            row["id"] = str(uuid.uuid4())  # not known, in a place already taken

    bad = _resent(pair, 0, manifest, _edit_audit(members, replace_held))
    with pytest.raises(BundleError, match="forked"):
        pair.laptops[1].sync.import_bundle(bad)


# ---- JSON lines -----------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _reference(text_: str) -> list[Any]:
    """What the reader must give: json.loads of each non-empty line."""
    return [json.loads(line) for line in text_.split("\n") if line]


@given(st.lists(_json, max_size=6))
def test_json_lines_reads_what_the_writer_wrote(values: list[Any]) -> None:
    written = "".join(
        json.dumps(v, ensure_ascii=False, separators=(",", ":")) + "\n" for v in values
    )
    assert json_lines(written) == values


@given(st.text(alphabet=st.sampled_from(list('{}[]":,. 0123456789eE-+\n\r\ttrufalsn\u2028\\'))))
def test_json_lines_gives_json_loads_answer_or_its_error(text_: str) -> None:
    try:
        expected: Any = _reference(text_)
    except ValueError:
        expected = ValueError
    try:
        got: Any = json_lines(text_)
    except ValueError:
        got = ValueError
    assert got == expected
