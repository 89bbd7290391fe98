"""Laptop-to-laptop sync with real bundle files between real encrypted databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from prevent_desktop.domain.concern import EntryKind
from prevent_desktop.errors import KnownError, PermissionDenied
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.sync_models import SyncConflict
from prevent_desktop.sync.bundle_file import BundleError
from prevent_desktop.sync.bundle_import import AlreadyApplied, UnknownDevice
from prevent_desktop.sync.pairing import PairingError
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE
from tests.unit.concern_support import ACCOUNT, PERSON, sample_input
from tests.unit.sync_support import Fleet, audit_ids, risk_input, snapshot


@pytest.fixture
def fleet(tmp_path: Path):
    fleet = Fleet(tmp_path / "site")
    fleet.first()
    yield fleet
    fleet.close()


def test_a_joined_laptop_and_the_first_converge_after_a_sync_each_way(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    a.concerns.log_concern(sample_input())
    b = fleet.join()
    # Before any bundle the new laptop has the site, its users and settings, and no seeds of
    # its own (they would meet the first laptop's as duplicates).
    assert [u.login for u in b.users.list_users()] == [u.login for u in a.users.list_users()]
    assert not b.training.matrix().courses

    with pytest.raises(UnknownDevice) as unknown:
        fleet.send(1, 0)
    assert b.sync.this_device().fingerprint in unknown.value.message
    summary = fleet.send(1, 0, trust=True)
    assert summary.newly_trusted and summary.conflicts == 0
    summary = fleet.send(0, 1)
    assert summary.per_type["risk"].added == len(a.risks.list_risks())
    assert snapshot(a) == snapshot(b)

    # The lead who paired reads the concern on the new laptop: the safeguarding key came along.
    [concern] = b.concerns.list_concerns()
    assert b.concerns.open_concern(concern.id).details.account == ACCOUNT


def test_edits_on_both_laptops_merge_and_both_show_the_same(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    a_risk = a.risks.create_risk(risk_input("Visitors not signed in")).ids[0]
    b_risk = b.risks.create_risk(risk_input("Online radicalisation via phones")).ids[0]
    first = a.risks.list_risks()[0].id
    b.risks.update_risk(first, risk_input("Renamed on B"))
    fleet.send(0, 1)
    fleet.send(1, 0)
    assert snapshot(a) == snapshot(b)
    titles = {r.title for r in a.risks.list_risks()}
    assert {"Visitors not signed in", "Online radicalisation via phones", "Renamed on B"} <= titles
    assert a_risk != b_risk
    # Every audit entry written on B reached A (A's own import is logged after B's bundle).
    assert audit_ids(b) <= audit_ids(a)
    a_before = audit_ids(a)
    fleet.send(0, 1)
    assert a_before <= audit_ids(b)


def test_concurrent_edits_keep_the_loser_on_the_conflicts_list(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    risk_id = a.risks.list_risks()[0].id
    a.risks.update_risk(risk_id, risk_input("Title from A"))
    b.risks.update_risk(risk_id, risk_input("Title from B"))  # later clock stamp: B wins
    summary = fleet.send(1, 0)
    assert summary.per_type["risk"].conflicts == 1
    assert a.risks.get_risk(risk_id).title == "Title from B"
    [conflict] = a.sync.conflicts()
    assert conflict.record_id == risk_id
    assert a.sync.losing_version(conflict.id)["title"] == "Title from A"
    # The other way the same pair is no conflict again: B already has the winner.
    summary = fleet.send(0, 1)
    assert summary.conflicts == 0
    assert snapshot(a) == snapshot(b)

    # Bringing the losing version back is a new edit, which travels like any other.
    a.sync.resolve(conflict.id, restore_losing=True)
    assert a.risks.get_risk(risk_id).title == "Title from A"
    assert a.sync.conflicts() == []
    fleet.send(0, 1)
    assert b.risks.get_risk(risk_id).title == "Title from A"
    assert snapshot(a) == snapshot(b)


def test_delete_against_edit_is_a_conflict_and_the_tombstone_travels(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    risk_id = a.risks.create_risk(risk_input("To be deleted")).ids[0]
    fleet.send(0, 1)
    b.risks.update_risk(risk_id, risk_input("Edited on B"))
    a.risks.delete_risk(risk_id)  # later: the delete wins
    fleet.send(0, 1)
    fleet.send(1, 0)
    for ws in (a, b):
        with ws.database.reader() as session:
            assert session.get(Risk, risk_id).deleted
    [conflict] = b.sync.conflicts()
    assert b.sync.losing_version(conflict.id)["title"] == "Edited on B"
    assert snapshot(a) == snapshot(b)


def test_the_same_bundle_twice_or_an_older_one_changes_nothing(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    older, newer = fleet.bundle_path(), fleet.bundle_path()
    a.sync.export_to_paired(older)
    a.risks.create_risk(risk_input("Added between bundles"))
    a.sync.export_to_paired(newer)
    b.sync.import_bundle(newer)
    before = snapshot(b)
    with pytest.raises(AlreadyApplied, match="already imported"):
        b.sync.import_bundle(newer)
    with pytest.raises(AlreadyApplied, match="older"):
        b.sync.import_bundle(older)
    assert snapshot(b) == before


def test_a_chronology_written_on_two_laptops_keeps_every_entry(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    concern_id = a.concerns.log_concern(sample_input()).ids[0]
    b = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    a.concerns.add_entry(concern_id, EntryKind.NOTE, "Spoke to the employer (A)")
    b.concerns.add_entry(concern_id, EntryKind.CALL, "Called the Prevent officer (B)")
    fleet.send(0, 1)
    fleet.send(1, 0)
    assert snapshot(a) == snapshot(b)  # (compared first: each opening below is logged)
    for ws in (a, b):
        bodies = {e.body for e in ws.concerns.open_concern(concern_id).entries}
        assert {"Spoke to the employer (A)", "Called the Prevent officer (B)"} <= bodies


def test_bundles_from_another_site_or_a_forged_signer_are_refused(
    fleet: Fleet, tmp_path: Path
) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    other = Fleet(tmp_path / "other")
    stranger = other.first()
    try:
        path = fleet.bundle_path()
        stranger.sync.export_to_paired(path, extra_recipients=[a.sync.this_device().age_recipient])
        before = snapshot(a)
        with pytest.raises(BundleError, match="another site"):
            a.sync.import_bundle(path, trust=True)
        assert snapshot(a) == before
    finally:
        other.close()
    # A bundle for somebody else does not open here.
    path = fleet.bundle_path()
    a.sync.export_with_passphrase(path, "a long passphrase for the stick")
    with pytest.raises(BundleError):
        b.sync.import_bundle(path)
    with pytest.raises(BundleError):
        b.sync.import_bundle(path, passphrase="not the passphrase at all")
    summary = b.sync.import_bundle(path, passphrase="a long passphrase for the stick")
    assert summary.conflicts == 0


def test_pairing_needs_its_code_and_a_real_user(fleet: Fleet, tmp_path: Path) -> None:
    a = fleet.laptops[0]
    pairing = tmp_path / "pair.pdpair"
    code = a.sync.make_pairing_file(pairing)
    assert pairing.read_bytes().startswith(b"age-encryption.org/v1")
    with pytest.raises(PairingError, match="code does not open"):
        Workspace.join_site(
            tmp_path / "b.db", pairing, "AAAA-BBBB", login="sam", passphrase=PASSPHRASE
        )
    with pytest.raises(KnownError, match="not an active user"):
        Workspace.join_site(tmp_path / "b.db", pairing, code, login="nobody", passphrase=PASSPHRASE)
    assert not (tmp_path / "b.db").exists()
    # The code can be typed in lower case and without dashes.
    b = Workspace.join_site(
        tmp_path / "b.db",
        pairing,
        code.replace("-", "").lower(),
        login="dana",
        passphrase=LEAD_PASSPHRASE,
    )
    b.close()


def test_staff_may_not_move_bundles(fleet: Fleet, tmp_path: Path) -> None:
    a = fleet.laptops[0]
    from prevent_desktop.domain.roles import Role
    from tests.conftest import STAFF_PASSPHRASE, add_user_with_own_passphrase

    add_user_with_own_passphrase(a, "tom", "Tom Reed", Role.STAFF, False, STAFF_PASSPHRASE)
    tom, _ = Workspace.sign_in(a.database.path, "tom", STAFF_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            tom.sync.export_with_passphrase(tmp_path / "x.pdbundle", "a long passphrase here")
        with pytest.raises(PermissionDenied):
            tom.sync.make_pairing_file(tmp_path / "p.pdpair")
        assert tom.sync.conflicts() == []
    finally:
        tom.close()


def test_concern_conflicts_are_for_the_lead_only(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    with a.database.writer(user_id=None, login="test") as session:
        session.info["tracking"].importing = True
        from prevent_desktop.store.models import utc_now

        session.add(
            SyncConflict(
                record_type="concern",
                record_id="x",
                losing_version="{}",
                losing_hlc="",
                winning_hlc="",
                from_device="d",
                detected_at=utc_now(),
            )
        )
    assert len(a.sync.conflicts()) == 1  # sam is manager and lead here
    dana, _ = Workspace.sign_in(a.database.path, "dana", LEAD_PASSPHRASE)
    try:
        assert len(dana.sync.conflicts()) == 1
    finally:
        dana.close()
    _ = (PERSON, select)


def test_laptops_number_new_records_apart_so_references_never_clash(fleet: Fleet) -> None:
    a = fleet.laptops[0]
    b = fleet.join()
    c = fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    fleet.send(0, 2)
    made = {
        ws.database.reference_letter: (
            ws.risks.get_risk(ws.risks.create_risk(risk_input(f"Risk from {i}")).ids[0]).reference,
            ws.concerns.reference_of(ws.concerns.log_concern(sample_input()).ids[0]),
        )
        for i, ws in enumerate((a, b, c))
    }
    assert set(made) == {"", "B", "C"}
    assert made["B"][0].endswith("-B") and made["C"][1].endswith("-C")
    assert not made[""][0].endswith("-B")
    for sender in range(3):
        for receiver in range(3):
            if sender != receiver:
                fleet.send(sender, receiver)
    references = [r.reference for r in a.risks.list_risks()]
    assert len(references) == len(set(references))
    concern_refs = [c.reference for c in a.concerns.list_concerns()]
    assert len(concern_refs) == 3 == len(set(concern_refs))


def test_a_cancelled_export_leaves_no_file_and_a_cancelled_import_changes_nothing(
    fleet: Fleet,
) -> None:
    from prevent_desktop.errors import OperationCancelled

    a = fleet.laptops[0]
    b = fleet.join()
    fleet.pair_all()
    path = fleet.bundle_path()
    with pytest.raises(OperationCancelled):
        a.sync.export_to_paired(path, should_cancel=lambda: True)
    assert not path.exists() and list(path.parent.glob(".*.part")) == []
    a.sync.export_to_paired(path)
    before = snapshot(b)
    calls = iter([False, False, True])
    with pytest.raises(OperationCancelled):
        b.sync.import_bundle(path, should_cancel=lambda: next(calls, True))
    assert snapshot(b) == before
    assert b.sync.import_bundle(path).per_type["risk"].total  # and it still imports whole
