"""Who is acting, what they may do, and what a write changed."""

from __future__ import annotations

from dataclasses import dataclass

from prevent_desktop.domain.roles import Permission, Role, permissions_for, roles_of
from prevent_desktop.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: str
    login: str
    display_name: str
    role: Role
    is_safeguarding_lead: bool

    @property
    def roles(self) -> frozenset[Role]:
        return roles_of(self.role, self.is_safeguarding_lead)

    def can(self, permission: Permission) -> bool:
        return permission in permissions_for(self.roles)

    def require(self, permission: Permission, doing: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.display_name} ({self.role.label}) may not {doing}. "
                "Ask a manager or the safeguarding lead."
            )

    @property
    def role_label(self) -> str:
        if self.is_safeguarding_lead and self.role is not Role.SAFEGUARDING_LEAD:
            return f"{self.role.label} and safeguarding lead"
        return self.role.label


@dataclass(frozen=True)
class ChangeSet:
    """What a write changed, so that views showing those records can refresh themselves."""

    record_type: str
    action: str
    ids: tuple[str, ...] = ()
