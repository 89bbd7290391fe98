"""The site's users as a read-only table for the users dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from prevent_desktop.domain.roles import Role
from prevent_desktop.services.users import UserView
from prevent_desktop.ui.row_table_model import Index, RowTableModel

# Shorter than Role.label, which is written for sentences rather than a column.
ROLE_COLUMN_TEXT = {
    Role.MANAGER: "Manager",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.STAFF: "Staff",
}


class UserTableModel(RowTableModel):
    NAME, LOGIN, ROLE, LEAD, STATUS, PASSPHRASE = range(6)
    HEADERS = ("Name", "User name", "Role", "Safeguarding lead", "Status", "Passphrase")

    UserRole = Qt.ItemDataRole.UserRole + 1  # the UserView of the row
    SortRole = Qt.ItemDataRole.UserRole + 2  # case-insensitive text for sorting

    def __init__(self, current_user_id: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self._current_user_id = current_user_id

    def set_users(self, users: list[UserView]) -> None:
        self.set_rows(users)

    def user(self, row: int) -> UserView:
        return self._rows[row]

    def row_of(self, user_id: str) -> int | None:
        for row, user in enumerate(self._rows):
            if user.id == user_id:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user = self.row_item(index)
        if user is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
            text = self._text(user, index.column())
            return text.casefold() if role == self.SortRole else text
        if role == self.UserRole:
            return user
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            # Deactivated people stay listed (their records name them) but recede visually;
            # the Status column says it in words.
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and user.id == self._current_user_id:
            font = QFont()
            font.setBold(True)
            return font
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.column() == self.PASSPHRASE
            and user.active
            and not user.has_passphrase
        ):
            return "No passphrase: use Reset passphrase so that they can sign in."
        return None

    def _text(self, user: UserView, column: int) -> str:
        if column == self.NAME:
            you = " (you)" if user.id == self._current_user_id else ""
            return user.display_name + you
        if column == self.LOGIN:
            return user.login
        if column == self.ROLE:
            return ROLE_COLUMN_TEXT[user.role]
        if column == self.LEAD:
            return "Yes" if user.is_safeguarding_lead else "No"
        if column == self.STATUS:
            return "Active" if user.active else "Deactivated"
        if column == self.PASSPHRASE:
            return "Set" if user.has_passphrase else "None"
        return ""
