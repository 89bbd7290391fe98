"""Users' roles and what each may do. Services check these; the UI only mirrors them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MANAGER = "manager"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.MANAGER: "Manager",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead (DSL / Prevent lead)",
    Role.STAFF: "Staff",
}


class Permission(StrEnum):
    MANAGE_USERS = "manage_users"
    SET_THREAT_LEVEL = "set_threat_level"
    CHANGE_SETTINGS = "change_settings"
    VIEW_RECOVERY_KEY = "view_recovery_key"
    MAKE_BACKUP = "make_backup"
    RESTORE_BACKUP = "restore_backup"
    EDIT_REGISTER = "edit_register"
    DECIDE_CONCERNS = "decide_concerns"
    READ_CONCERNS = "read_concerns"
    REPORT_CONCERN = "report_concern"
    # The list without identities or content, and the statistics for the quarterly export.
    LIST_CONCERNS = "list_concerns"
    EDIT_TRAINING = "edit_training"
    EDIT_PLANS = "edit_plans"
    EDIT_CONCERN_LISTS = "edit_concern_lists"
    READ_AUDIT = "read_audit"
    # Export and import bundles, pair laptops, and settle sync conflicts of non-concern records.
    SYNC_BUNDLES = "sync_bundles"
    # Put one's name to the strategy evidence pack an inspector is given: the site manager's.
    SIGN_OFF_EVIDENCE = "sign_off_evidence"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.MANAGER: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.SET_THREAT_LEVEL,
            Permission.CHANGE_SETTINGS,
            Permission.VIEW_RECOVERY_KEY,
            Permission.MAKE_BACKUP,
            Permission.RESTORE_BACKUP,
            Permission.EDIT_REGISTER,
            Permission.REPORT_CONCERN,
            Permission.LIST_CONCERNS,
            Permission.EDIT_CONCERN_LISTS,
            Permission.EDIT_TRAINING,
            Permission.EDIT_PLANS,
            Permission.READ_AUDIT,
            Permission.SYNC_BUNDLES,
            Permission.SIGN_OFF_EVIDENCE,
        }
    ),
    # Concern content is for the lead: a manager who is not also the lead does not read it.
    Role.SAFEGUARDING_LEAD: frozenset(
        {
            Permission.EDIT_REGISTER,
            Permission.DECIDE_CONCERNS,
            Permission.READ_CONCERNS,
            Permission.REPORT_CONCERN,
            Permission.LIST_CONCERNS,
            Permission.EDIT_CONCERN_LISTS,
            Permission.EDIT_TRAINING,
            Permission.EDIT_PLANS,
            Permission.MAKE_BACKUP,
            # A lead pairs a laptop so the safeguarding key goes with them (services/sync.py).
            Permission.SYNC_BUNDLES,
        }
    ),
    Role.STAFF: frozenset({Permission.REPORT_CONCERN}),
}


def permissions_for(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= _GRANTS[role]
    return granted


def roles_of(role: Role, is_safeguarding_lead: bool) -> frozenset[Role]:
    """A user's primary role plus the lead role when a manager (or staff member) also holds it."""
    roles = {role}
    if is_safeguarding_lead:
        roles.add(Role.SAFEGUARDING_LEAD)
    return frozenset(roles)
