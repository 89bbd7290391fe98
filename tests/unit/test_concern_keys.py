"""The safeguarding key: sealed fields only leads can open, granting, revoking, slot upgrades."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.safeguarding_access import LastSafeguardingHolder
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keyslots import KeyFile, KeySlot, SafeguardingGrant
from prevent_desktop.store.sealing import ContentCipher, KeyPair, SafeguardingLocked, seal
from prevent_desktop.store.session_keys import SAFEGUARDING_PUBLIC_SETTING
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, TEMPORARY_PASSPHRASE
from tests.unit.concern_support import ACCOUNT, sample_input, sign_in


def test_sealed_content_is_bound_to_its_record_and_field() -> None:
    pair = KeyPair.generate()
    writer = ContentCipher(pair.public, None)  # staff: can seal, cannot read
    reader = ContentCipher(pair.public, pair.private)
    blob = writer.encrypt(b"secret", "concern|1|details")
    assert not writer.can_read
    with pytest.raises(SafeguardingLocked):
        writer.decrypt(blob, "concern|1|details")
    assert reader.decrypt(blob, "concern|1|details", sealed_allowed=True) == b"secret"
    # Where only a lead writes, a sealed blob (anyone can make one) is a forgery.
    with pytest.raises(Exception, match="does not decrypt"):
        reader.decrypt(blob, "concern|1|details")
    lead_blob = reader.encrypt(b"secret", "concern|1|details")
    assert reader.decrypt(lead_blob, "concern|1|details") == b"secret"
    for moved in (blob, lead_blob):
        with pytest.raises(Exception, match="does not decrypt"):
            reader.decrypt(moved, "concern|2|details", sealed_allowed=True)
    other = ContentCipher(KeyPair.generate().public, KeyPair.generate().private)
    with pytest.raises(Exception, match="does not decrypt"):
        other.decrypt(seal(pair.public, b"x", "c"), "c")


def test_the_first_lead_makes_the_key_once_they_choose_their_own_passphrase(
    created_db: Path,
) -> None:
    manager = sign_in(created_db, "sam")
    manager.users.add_user(
        login="dana",
        display_name="Dana Okafor",
        role=Role.SAFEGUARDING_LEAD,
        is_safeguarding_lead=True,
        passphrase=TEMPORARY_PASSPHRASE,
    )
    # The manager set dana's passphrase, so nothing may be sealed to her slot yet, and the
    # manager's session makes no safeguarding key.
    access = {u.login: u.safeguarding_access for u in manager.users.list_users()}
    assert access == {"sam": "", "dana": "own_passphrase"}
    with pytest.raises(Exception, match="no safeguarding lead yet"):
        manager.concerns.log_concern(sample_input())

    dana, _ = Workspace.sign_in(created_db, "dana", TEMPORARY_PASSPHRASE)
    assert dana.users.must_choose_own_passphrase()
    assert not dana.concerns.holds_key()
    dana.users.change_own_passphrase(TEMPORARY_PASSPHRASE, LEAD_PASSPHRASE)
    assert not dana.users.must_choose_own_passphrase()
    assert dana.concerns.holds_key()  # made in her own session
    dana.close()
    concern_id = manager.concerns.log_concern(sample_input()).ids[0]
    dana = sign_in(created_db, "dana")
    dana_id = dana.actor.user_id
    key_file = KeyFile.for_database(created_db)
    assert key_file.grant_for(dana_id) is None  # taken into her slot
    assert key_file.slot_for_user(dana_id).safeguarding is not None  # type: ignore[union-attr]
    assert dana.concerns.open_concern(concern_id).details.account == ACCOUNT
    dana.close()
    assert {u.login: u.safeguarding_access for u in manager.users.list_users()}["dana"] == "held"
    manager.close()


def test_a_managers_session_cannot_read_sealed_fields_a_leads_can(workspace: Workspace) -> None:
    path = workspace.database.path
    staff = sign_in(path, "tom")
    concern_id = staff.concerns.log_concern(sample_input()).ids[0]
    staff.close()

    with pytest.raises(PermissionDenied):
        workspace.concerns.open_concern(concern_id)
    listed = workspace.concerns.list_concerns()
    assert listed[0].person is None and listed[0].concern_type == "Extreme right-wing"
    # Even with every key the manager's session holds, the sealed column does not open.
    secrets = workspace.database.user_secrets
    assert secrets is not None
    with workspace.database.reader() as session:
        from prevent_desktop.store.concern_models import Concern

        sealed = session.get(Concern, concern_id).details_sealed  # type: ignore[union-attr]
    for private in (secrets.personal.private, workspace.database.key):
        with pytest.raises(Exception, match="does not decrypt"):
            ContentCipher(b"\0" * 32, private).decrypt(sealed, f"concern|{concern_id}|details")

    dana = sign_in(path, "dana")
    assert dana.concerns.open_concern(concern_id).details.account == ACCOUNT
    dana.close()


def test_an_sqlcipher_tool_with_the_recovery_key_sees_no_account(workspace: Workspace) -> None:
    path = workspace.database.path
    workspace.concerns.log_concern(sample_input())
    key = workspace.database.key
    workspace.close()
    connection = sqlcipher3.connect(str(path))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    tables = [
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    ]
    dump = "\n".join(
        repr(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"')
    )
    connection.close()
    assert "C-20" in dump  # the file did open
    for secret in ("Kyle", "Whitmore", "L-20417", "deserve", "Northway", "canteen"):
        assert secret not in dump


def test_staff_with_no_lead_on_the_site_are_told_what_to_do(created_db: Path) -> None:
    manager = sign_in(created_db, "sam")
    with manager.database.reader() as session:
        from prevent_desktop.store.models import Setting

        assert session.query(Setting).filter_by(key=SAFEGUARDING_PUBLIC_SETTING).count() == 0
    with pytest.raises(Exception, match=r"no safeguarding lead yet.*999"):
        manager.concerns.log_concern(sample_input())
    manager.close()


def test_a_second_lead_waits_for_an_existing_lead_to_grant_access(workspace: Workspace) -> None:
    path = workspace.database.path
    workspace.users.add_user(
        login="eve",
        display_name="Eve Lund",
        role=Role.STAFF,
        is_safeguarding_lead=True,
        passphrase=TEMPORARY_PASSPHRASE,
    )
    eve_id = next(u.id for u in workspace.users.list_users() if u.login == "eve")
    access = {u.login: u.safeguarding_access for u in workspace.users.list_users()}
    assert access["eve"] == "own_passphrase"
    # The manager cannot hand the key over: they do not hold it.
    with pytest.raises(PermissionDenied):
        workspace.users.grant_safeguarding_access(eve_id)
    # Nor may a lead while eve still has the passphrase the manager gave her.
    dana = sign_in(path, "dana")
    with pytest.raises(ValidationError, match="choose their own"):
        dana.users.grant_safeguarding_access(eve_id)
    dana.close()

    concern_id = workspace.concerns.log_concern(sample_input()).ids[0]
    eve, _ = Workspace.sign_in(path, "eve", TEMPORARY_PASSPHRASE)
    eve.users.change_own_passphrase(TEMPORARY_PASSPHRASE, "amber meadow falcon 88")
    assert not eve.concerns.holds_key()  # the site already has a key: no new one
    assert eve.concerns.list_concerns()[0].person is None  # the list, as a manager sees it
    with pytest.raises(SafeguardingLocked, match="not been granted"):
        eve.concerns.open_concern(concern_id)
    eve.close()
    assert {u.login: u.safeguarding_access for u in workspace.users.list_users()}["eve"] == (
        "awaiting"
    )

    dana = sign_in(path, "dana")
    dana.users.grant_safeguarding_access(eve_id)
    dana.close()
    eve, _ = Workspace.sign_in(path, "eve", "amber meadow falcon 88")
    assert eve.concerns.holds_key()
    assert eve.concerns.open_concern(concern_id).details.account == ACCOUNT
    eve.close()


def test_removing_a_lead_removes_their_key(workspace: Workspace) -> None:
    path = workspace.database.path
    sign_in(path, "dana").close()
    dana_id = next(u.id for u in workspace.users.list_users() if u.login == "dana")
    # She is the only holder: the manager is stopped, and told why.
    with pytest.raises(LastSafeguardingHolder, match="only person holding"):
        workspace.users.update_user(
            dana_id, display_name="Dana Okafor", role=Role.STAFF, is_safeguarding_lead=False
        )
    with pytest.raises(LastSafeguardingHolder):
        workspace.users.set_active(dana_id, False)
    with pytest.raises(LastSafeguardingHolder):
        workspace.users.reset_passphrase(dana_id, "new from the manager 77")
    assert KeyFile.for_database(path).slot_for_user(dana_id).safeguarding  # type: ignore[union-attr]
    # Confirmed: demoted, the safeguarding key leaves her slot; her passphrase still opens.
    workspace.users.update_user(
        dana_id,
        display_name="Dana Okafor",
        role=Role.STAFF,
        is_safeguarding_lead=False,
        force_last_holder=True,
    )
    slot = KeyFile.for_database(path).slot_for_user(dana_id)
    assert slot is not None and slot.safeguarding is None
    dana = sign_in(path, "dana")
    assert not dana.concerns.holds_key()
    dana.close()
    # Deactivated: her whole slot goes.
    workspace.users.set_active(dana_id, False)
    assert KeyFile.for_database(path).slot_for_user(dana_id) is None


def test_changing_a_passphrase_keeps_the_safeguarding_key(workspace: Workspace) -> None:
    path = workspace.database.path
    dana = sign_in(path, "dana")
    dana.users.change_own_passphrase(LEAD_PASSPHRASE, "silver birch canyon 5")
    dana.close()
    dana, _ = Workspace.sign_in(path, "dana", "silver birch canyon 5")
    assert dana.concerns.holds_key()
    dana.close()


def test_a_version_1_slot_gains_a_key_pair_at_sign_in(workspace: Workspace) -> None:
    path = workspace.database.path
    workspace.close()
    key_file = KeyFile.for_database(path)
    from dataclasses import replace

    key_file.slots = [
        replace(s, personal_public=b"", personal_private=None) for s in key_file.slots
    ]
    key_file.save()
    tom = sign_in(path, "tom")
    assert tom.database.user_secrets is not None
    tom.close()
    upgraded = KeyFile.for_database(path).slot_for_login("tom")
    assert upgraded.personal_private is not None and len(upgraded.personal_public) == 32


def test_the_safeguarding_recovery_key_restores_access(workspace: Workspace) -> None:
    path = workspace.database.path
    concern_id = workspace.concerns.log_concern(sample_input()).ids[0]
    with pytest.raises(PermissionDenied):
        workspace.safeguarding.show(PASSPHRASE)
    dana = sign_in(path, "dana")
    with pytest.raises(Exception, match=r"[Ww]rong passphrase"):
        dana.safeguarding.show("not her passphrase at all")
    recovery = dana.safeguarding.show(LEAD_PASSPHRASE)
    assert len(recovery.replace("-", "")) == 64 and recovery != dana.database.recovery_key()
    dana.close()
    # Dana forgets her passphrase; the manager resets it (knowing she is the only holder):
    # her key pair and the safeguarding key go with the old passphrase.
    dana_id = next(u.id for u in workspace.users.list_users() if u.login == "dana")
    workspace.users.reset_passphrase(dana_id, TEMPORARY_PASSPHRASE, force_last_holder=True)
    dana, _ = Workspace.sign_in(path, "dana", TEMPORARY_PASSPHRASE)
    dana.users.change_own_passphrase(TEMPORARY_PASSPHRASE, "fresh start harbour 11")
    assert not dana.concerns.holds_key()
    with pytest.raises(Exception, match="not this site's safeguarding recovery key"):
        dana.safeguarding.restore(workspace.database.recovery_key())
    dana.safeguarding.restore(recovery)
    assert dana.concerns.open_concern(concern_id).details.account == ACCOUNT
    dana.close()
    dana, _ = Workspace.sign_in(path, "dana", "fresh start harbour 11")
    assert dana.concerns.holds_key()  # and it stays in her slot
    dana.close()
    # Staff cannot use it even with the key in hand.
    tom = sign_in(path, "tom")
    with pytest.raises(PermissionDenied):
        tom.safeguarding.restore(recovery)
    tom.close()


def test_a_lead_on_a_database_from_before_the_concern_log_creates_the_key(
    workspace: Workspace,
) -> None:
    """Sites upgraded from the foundation release: version 1 slots (no key pairs, nobody known
    to have chosen their own passphrase) and no safeguarding key."""
    path = workspace.database.path
    with workspace.database.writer(user_id=None, login="test") as session:
        from prevent_desktop.store.models import Setting

        session.query(Setting).filter_by(key=SAFEGUARDING_PUBLIC_SETTING).delete()
    workspace.close()
    key_file = KeyFile.for_database(path)
    key_file.slots = [
        KeySlot(s.user_id, s.login, s.kdf, s.salt, s.nonce, s.wrapped_key) for s in key_file.slots
    ]
    key_file.grants = []
    key_file.save()
    dana = sign_in(path, "dana")
    assert dana.users.must_choose_own_passphrase() and not dana.concerns.holds_key()
    dana.users.change_own_passphrase(LEAD_PASSPHRASE, "new own passphrase 31")
    assert dana.concerns.holds_key()
    dana.close()
    tom = sign_in(path, "tom")
    concern_id = tom.concerns.log_concern(sample_input()).ids[0]
    tom.close()
    dana, _ = Workspace.sign_in(path, "dana", "new own passphrase 31")  # from her slot now
    assert dana.concerns.open_concern(concern_id).details.account == ACCOUNT
    dana.close()


def test_staff_refuse_to_seal_to_a_swapped_key(workspace: Workspace) -> None:
    """An insider who can write the database swaps the site's public key so that new
    concerns are sealed to a key of their own: staff (who first saw the real one) refuse."""
    path = workspace.database.path
    sign_in(path, "tom").close()  # tom's slot pins the site's key
    with workspace.database.writer(user_id=None, login="intruder") as session:
        from prevent_desktop.store.models import Setting

        setting = session.query(Setting).filter_by(key=SAFEGUARDING_PUBLIC_SETTING).one()
        setting.value = KeyPair.generate().public.hex()
    tom = sign_in(path, "tom")
    try:
        with pytest.raises(Exception, match="not the one your account recorded"):
            tom.concerns.log_concern(sample_input())
        assert tom.concerns.list_concerns() == []
    finally:
        tom.close()


def test_a_swapped_safeguarding_public_key_is_noticed_by_a_lead(workspace: Workspace) -> None:
    path = workspace.database.path
    sign_in(path, "dana").close()  # her grant is in her slot now
    with workspace.database.writer(user_id=None, login="intruder") as session:
        from prevent_desktop.store.models import Setting

        setting = session.query(Setting).filter_by(key=SAFEGUARDING_PUBLIC_SETTING).one()
        setting.value = KeyPair.generate().public.hex()
    dana = sign_in(path, "dana")
    with pytest.raises(Exception, match=r"no longer matches|not the one your account"):
        dana.concerns.list_concerns()
    dana.close()


def test_a_planted_grant_is_dropped_not_used(workspace: Workspace) -> None:
    """Someone editing the key file seals a key of their own to a lead waiting for access."""
    path = workspace.database.path
    workspace.users.add_user(
        login="eve",
        display_name="Eve Lund",
        role=Role.SAFEGUARDING_LEAD,
        is_safeguarding_lead=True,
        passphrase=TEMPORARY_PASSPHRASE,
    )
    eve, _ = Workspace.sign_in(path, "eve", TEMPORARY_PASSPHRASE)
    eve.users.change_own_passphrase(TEMPORARY_PASSPHRASE, "amber meadow falcon 88")
    eve.close()
    key_file = KeyFile.for_database(path)
    eve_slot = key_file.slot_for_login("eve")
    planted = KeyPair.generate()
    key_file.put_grant(
        SafeguardingGrant(
            eve_slot.user_id,
            seal(
                eve_slot.personal_public,
                planted.private,
                SafeguardingGrant.context(key_file.database_id, eve_slot.user_id),
            ),
            "dana",
        )
    )
    key_file.save()
    eve, _ = Workspace.sign_in(path, "eve", "amber meadow falcon 88")
    assert not eve.concerns.holds_key()
    assert KeyFile.for_database(path).grant_for(eve_slot.user_id) is None
    eve.close()


def test_a_grant_that_does_not_open_does_not_lock_the_lead_out(workspace: Workspace) -> None:
    path = workspace.database.path
    dana_id = next(u.id for u in workspace.users.list_users() if u.login == "dana")
    sign_in(path, "dana").close()
    key_file = KeyFile.for_database(path)
    key_file.put_grant(SafeguardingGrant(dana_id, b"H1" + b"junk" * 20, "someone"))
    key_file.save()
    dana = sign_in(path, "dana")  # signs in, keeps her key, junk dropped
    assert dana.concerns.holds_key()
    dana.close()
    assert KeyFile.for_database(path).grant_for(dana_id) is None
