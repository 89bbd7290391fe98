"""Sync cases a review found: ticks that must travel, deletions that must win, a restored
laptop, a second safeguarding key. Real databases and bundles throughout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from prevent_desktop.domain.concern import EntryKind
from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.roles import Role
from prevent_desktop.services.restore import restore_backup
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.concern_models import Concern, ConcernEntry
from prevent_desktop.store.models import Setting
from prevent_desktop.store.session_keys import SAFEGUARDING_PUBLIC_SETTING
from prevent_desktop.store.sync_models import SyncConflict
from prevent_desktop.sync.bundle_file import BundleError
from prevent_desktop.sync.bundle_import import UnknownDevice
from prevent_desktop.sync.device import keys_for
from tests.conftest import PASSPHRASE
from tests.unit.concern_support import sample_input
from tests.unit.sync_support import Fleet, paired_fleet, risk_input, snapshot


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Fleet]:
    """Two paired laptops; the second has had one bundle from the first."""
    yield from paired_fleet(tmp_path)


def test_ticking_a_drills_steps_travels(pair: Fleet) -> None:
    a, b = pair.laptops
    plan = a.incidents.plans()[0]
    a.incidents.start(plan.id, LogKind.DRILL)
    log = a.incidents.logs()[0]
    pair.send(0, 1)
    for step in a.incidents.log(log.id).steps:
        a.incidents.tick(step.id)
    a.incidents.close(log.id, "Drill went well.")
    pair.send(0, 1)
    assert all(step.done_at for step in b.incidents.log(log.id).steps)
    assert snapshot(a) == snapshot(b)


def _concern_state(ws: Workspace, concern_id: str) -> tuple[bool, int, int]:
    with ws.database.reader() as session:
        concern = session.get(Concern, concern_id)
        entries = session.scalars(
            select(ConcernEntry).where(ConcernEntry.concern_id == concern_id)
        ).all()
        kept = session.scalars(select(SyncConflict)).all()
        return concern.deleted, sum(not e.deleted for e in entries), len(kept)


def test_a_deletion_at_the_end_of_retention_wins_over_edits_made_meanwhile(
    pair: Fleet,
) -> None:
    a, b = pair.laptops
    concern_id = a.concerns.log_concern(sample_input()).ids[0]
    a.concerns.add_entry(concern_id, EntryKind.NOTE, "Spoke to the employer")
    pair.send(0, 1)
    a.concerns.delete_concern(concern_id, "End of retention")
    # Meanwhile on B: a follow-up date (later clock) and a new chronology entry.
    from datetime import date, timedelta

    b.concerns.set_follow_up(concern_id, date.today() + timedelta(days=7))
    b.concerns.add_entry(concern_id, EntryKind.NOTE, "Came back to see me today")
    pair.send(1, 0)
    pair.send(0, 1)
    for ws in (a, b):
        deleted, live_entries, kept = _concern_state(ws, concern_id)
        assert deleted and live_entries == 0 and kept == 0
        with ws.database.reader() as session:
            assert session.get(Concern, concern_id).details_sealed == b""
    pair.send(1, 0)
    assert snapshot(a) == snapshot(b)


def test_a_restored_laptop_comes_back_as_a_new_laptop(pair: Fleet, tmp_path: Path) -> None:
    a, b = pair.laptops
    a.backup_to(tmp_path / "backup.db")
    a.risks.create_risk(risk_input("Made after the backup"))
    pair.send(0, 1)
    path = a.database.path
    old_fingerprint = a.sync.this_device().fingerprint
    a.close()
    restore_backup(tmp_path / "backup.db", path, "sam", PASSPHRASE)
    a, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
    pair.laptops[0] = a
    assert a.sync.this_device().fingerprint != old_fingerprint
    new_risk = a.risks.create_risk(risk_input("Made after the restore")).ids[0]
    with pytest.raises(UnknownDevice):
        pair.send(0, 1)
    pair.send(0, 1, trust=True)
    assert any(risk.id == new_risk for risk in b.risks.list_risks())
    pair.send(1, 0)  # and the other way, the risk made after the backup comes back
    assert {"Made after the backup", "Made after the restore"} <= {
        r.title for r in a.risks.list_risks()
    }


def test_a_joined_laptop_never_makes_a_second_safeguarding_key(tmp_path: Path) -> None:
    """A site made by a manager who is not the lead: the lead's first sign-in on the second
    laptop must not make a key of its own; the first laptop's key reaches it by sync."""
    from tests.conftest import LEAD_PASSPHRASE, TEMPORARY_PASSPHRASE, choose_own_passphrase

    fleet = Fleet(tmp_path / "site")
    try:
        a = Workspace.create_site(
            tmp_path / "site" / "laptop-0" / "prevent.db",
            site_name="Leeds Training Centre",
            site_code="LTC",
            login="sam",
            display_name="Sam Patel",
            passphrase=PASSPHRASE,
            safeguarding_lead=False,
        )
        fleet.laptops.append(a)
        b = fleet.join()
        fleet.pair_all()
        a.users.add_user(
            login="dana",
            display_name="Dana Okafor",
            role=Role.SAFEGUARDING_LEAD,
            is_safeguarding_lead=True,
            passphrase=TEMPORARY_PASSPHRASE,
        )
        fleet.send(0, 1)
        [dana] = [u for u in b.users.list_users() if u.login == "dana"]
        b.users.reset_passphrase(dana.id, TEMPORARY_PASSPHRASE)
        choose_own_passphrase(b.database.path, "dana", LEAD_PASSPHRASE)
        with b.database.reader() as session:
            assert (
                session.scalar(select(Setting).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING))
                is None
            )
        choose_own_passphrase(a.database.path, "dana", LEAD_PASSPHRASE)  # makes the key on A
        fleet.send(0, 1)
        with a.database.reader() as session:
            key_a = session.scalar(
                select(Setting.value).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING)
            )
        with b.database.reader() as session:
            assert (
                session.scalar(
                    select(Setting.value).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING)
                )
                == key_a
            )
    finally:
        fleet.close()


def test_a_bundle_carrying_another_safeguarding_key_is_refused(pair: Fleet) -> None:
    """An insider on B plants their own key: A refuses the bundle whole."""
    from prevent_desktop.store.sealing import KeyPair

    a, b = pair.laptops
    with b.database.writer(user_id=None, login="insider") as session:
        setting = session.scalar(select(Setting).where(Setting.key == SAFEGUARDING_PUBLIC_SETTING))
        setting.value = KeyPair.generate().public.hex()
    before = snapshot(a)
    with pytest.raises(BundleError, match="different safeguarding key"):
        pair.send(1, 0)
    assert snapshot(a) == before
    _ = keys_for


def test_a_leaver_deactivated_on_one_laptop_stays_deactivated(pair: Fleet) -> None:
    from tests.conftest import STAFF_PASSPHRASE, add_user_with_own_passphrase

    a, b = pair.laptops
    add_user_with_own_passphrase(a, "tom", "Tom Reed", Role.STAFF, False, STAFF_PASSPHRASE)
    pair.send(0, 1)
    [tom] = [u for u in b.users.list_users() if u.login == "tom"]
    a.users.set_active(tom.id, False)
    b.users.update_user(
        tom.id, display_name="Tom Reed-Smith", role=Role.STAFF, is_safeguarding_lead=False
    )
    pair.send(1, 0)
    pair.send(0, 1)
    for ws in (a, b):
        [user] = [u for u in ws.users.list_users() if u.login == "tom"]
        assert not user.active
    assert snapshot(a) == snapshot(b)


def test_only_the_sites_first_laptop_pairs_new_ones(pair: Fleet, tmp_path: Path) -> None:
    from prevent_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="first laptop"):
        pair.laptops[1].sync.make_pairing_file(tmp_path / "p.pdpair")


def test_the_same_course_or_user_added_on_two_laptops_is_one_record(pair: Fleet) -> None:
    from prevent_desktop.services.training_views import CourseInput

    a, b = pair.laptops
    for ws in (a, b):
        ws.training.add_course(
            CourseInput(name="Fire marshal", provider="Local", validity_months=36)
        )
        ws.users.add_user(
            login="priya",
            display_name="Priya Shah",
            role=Role.STAFF,
            is_safeguarding_lead=False,
            passphrase="given by the manager 2024",
        )
    pair.send(0, 1)
    pair.send(1, 0)
    for ws in (a, b):
        assert [c.name for c in ws.training.matrix().courses].count("Fire marshal") == 1
        assert [u.login for u in ws.users.list_users()].count("priya") == 1
    assert snapshot(a) == snapshot(b)
