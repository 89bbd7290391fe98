"""Users and roles: permissions are enforced by the services, whatever the UI shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from prevent_desktop.domain.roles import Permission, Role
from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import PermissionDenied, UnknownUser, ValidationError, WrongPassphrase
from prevent_desktop.services.workspace import Workspace
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE


def _sign_in(workspace: Workspace, login: str, passphrase: str) -> Workspace:
    other, _kek = Workspace.sign_in(workspace.database.path, login, passphrase)
    return other


def _user_id(workspace: Workspace, login: str) -> str:
    return next(u.id for u in workspace.users.list_users() if u.login == login)


def test_roles_and_lead_flag(workspace: Workspace) -> None:
    assert workspace.actor.can(Permission.MANAGE_USERS)
    assert not workspace.actor.can(Permission.READ_CONCERNS)
    dana = _sign_in(workspace, "dana", LEAD_PASSPHRASE)
    tom = _sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        assert dana.actor.can(Permission.READ_CONCERNS)
        assert not dana.actor.can(Permission.MANAGE_USERS)
        assert tom.actor.can(Permission.REPORT_CONCERN)
        assert not tom.actor.can(Permission.EDIT_REGISTER)
    finally:
        dana.close()
        tom.close()


def test_manager_who_is_also_lead(workspace: Workspace) -> None:
    sam = _user_id(workspace, "sam")
    workspace.users.update_user(
        sam, display_name="Sam Patel", role=Role.MANAGER, is_safeguarding_lead=True
    )
    again = _sign_in(workspace, "sam", PASSPHRASE)
    try:
        assert again.actor.can(Permission.READ_CONCERNS)
        assert again.actor.can(Permission.MANAGE_USERS)
        assert again.actor.role_label == "Manager and safeguarding lead"
    finally:
        again.close()


@pytest.mark.parametrize(
    ("login", "passphrase"), [("tom", STAFF_PASSPHRASE), ("dana", LEAD_PASSPHRASE)]
)
def test_only_managers_manage_users_and_threat_level(
    workspace: Workspace, login: str, passphrase: str
) -> None:
    other = _sign_in(workspace, login, passphrase)
    try:
        with pytest.raises(PermissionDenied):
            other.users.add_user(
                login="eve",
                display_name="Eve",
                role=Role.MANAGER,
                is_safeguarding_lead=False,
                passphrase="strong enough passphrase 1",
            )
        with pytest.raises(PermissionDenied):
            other.users.reset_passphrase(_user_id(workspace, "sam"), "strong enough passphrase 1")
        with pytest.raises(PermissionDenied):
            other.users.set_active(_user_id(workspace, "sam"), False)
        with pytest.raises(PermissionDenied):
            other.site.set_threat_level(ThreatLevel.CRITICAL, date.today())
        with pytest.raises(PermissionDenied):
            other.site.set_auto_lock_minutes(1)
        with pytest.raises(PermissionDenied):
            other.recovery_key(passphrase)
    finally:
        other.close()
    assert workspace.site.current_threat_level().level is ThreatLevel.SUBSTANTIAL


def test_deactivated_user_cannot_sign_in(workspace: Workspace) -> None:
    workspace.users.set_active(_user_id(workspace, "tom"), False)
    with pytest.raises(UnknownUser):
        _sign_in(workspace, "tom", STAFF_PASSPHRASE)
    view = next(u for u in workspace.users.list_users() if u.login == "tom")
    assert not view.active and not view.has_passphrase


def test_reactivated_user_needs_a_reset(workspace: Workspace) -> None:
    tom = _user_id(workspace, "tom")
    workspace.users.set_active(tom, False)
    workspace.users.set_active(tom, True)
    workspace.users.reset_passphrase(tom, "fresh start passphrase 5")
    again = _sign_in(workspace, "tom", "fresh start passphrase 5")
    again.close()


def test_reset_passphrase(workspace: Workspace) -> None:
    workspace.users.reset_passphrase(_user_id(workspace, "tom"), "new staff passphrase 77")
    with pytest.raises(WrongPassphrase):
        _sign_in(workspace, "tom", STAFF_PASSPHRASE)
    tom = _sign_in(workspace, "tom", "new staff passphrase 77")
    # The manager knows it, so tom is asked to choose his own.
    assert tom.users.must_choose_own_passphrase()
    tom.users.change_own_passphrase("new staff passphrase 77", STAFF_PASSPHRASE)
    assert not tom.users.must_choose_own_passphrase()
    tom.close()


def test_last_manager_cannot_be_removed(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="yourself"):
        workspace.users.set_active(_user_id(workspace, "sam"), False)
    with pytest.raises(ValidationError, match="at least one active manager"):
        workspace.users.update_user(
            _user_id(workspace, "sam"),
            display_name="Sam",
            role=Role.STAFF,
            is_safeguarding_lead=False,
        )


@pytest.mark.parametrize(
    ("login", "name", "passphrase", "message"),
    [
        ("sam", "Another Sam", "long enough passphrase 1", "already taken"),
        ("SAM", "Another Sam", "long enough passphrase 1", "already taken"),
        ("has space", "X", "long enough passphrase 1", "no spaces"),
        ("", "X", "long enough passphrase 1", "1 to 64"),
        ("new", "  ", "long enough passphrase 1", "full name"),
        ("new", "New Person", "password", "too weak"),
    ],
)
def test_bad_new_users_are_refused(
    workspace: Workspace, login: str, name: str, passphrase: str, message: str
) -> None:
    before = workspace.users.list_users()
    with pytest.raises(ValidationError, match=message):
        workspace.users.add_user(
            login=login,
            display_name=name,
            role=Role.STAFF,
            is_safeguarding_lead=False,
            passphrase=passphrase,
        )
    assert workspace.users.list_users() == before


def test_threat_level_history(workspace: Workspace) -> None:
    assert workspace.site.current_threat_level().level is ThreatLevel.SUBSTANTIAL
    workspace.site.set_threat_level(ThreatLevel.SEVERE, date.today() - timedelta(days=2), "raised")
    current = workspace.site.current_threat_level()
    assert current.level is ThreatLevel.SEVERE and current.set_by == "Sam Patel"
    history = workspace.site.threat_history()  # newest recorded first, like current
    assert (history[0].level, history[0].note) == (ThreatLevel.SEVERE, "raised")
    assert len(history) == 2
    with pytest.raises(ValidationError, match="future"):
        workspace.site.set_threat_level(ThreatLevel.LOW, date.today() + timedelta(days=1))


def test_auto_lock_setting(workspace: Workspace) -> None:
    assert workspace.site.auto_lock_minutes() == 10
    workspace.site.set_auto_lock_minutes(5)
    assert workspace.site.auto_lock_minutes() == 5
    with pytest.raises(ValidationError):
        workspace.site.set_auto_lock_minutes(0)
