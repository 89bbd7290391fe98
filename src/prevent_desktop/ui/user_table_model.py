"""The site's users as a read-only table for the users dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from prevent_desktop.domain.roles import Role
from prevent_desktop.services.users import UserView

Index = QModelIndex | QPersistentModelIndex

# Shorter than Role.label, which is written for sentences rather than a column.
ROLE_COLUMN_TEXT = {
    Role.MANAGER: "Manager",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.STAFF: "Staff",
}


class UserTableModel(QAbstractTableModel):
    NAME, LOGIN, ROLE, LEAD, STATUS, PASSPHRASE = range(6)
    HEADERS = ("Name", "User name", "Role", "Safeguarding lead", "Status", "Passphrase")

    UserRole = Qt.ItemDataRole.UserRole + 1  # the UserView of the row
    SortRole = Qt.ItemDataRole.UserRole + 2  # case-insensitive text for sorting

    def __init__(self, current_user_id: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self._users: list[UserView] = []
        self._current_user_id = current_user_id

    def set_users(self, users: list[UserView]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def clear(self) -> None:
        self.set_users([])

    def user(self, row: int) -> UserView:
        return self._users[row]

    def row_of(self, user_id: str) -> int | None:
        for row, user in enumerate(self._users):
            if user.id == user_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._users):
            return None
        user = self._users[index.row()]
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
