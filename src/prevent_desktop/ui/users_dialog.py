"""Managers' list of users: add, edit, reset a passphrase, deactivate and reactivate; and
for a safeguarding lead who holds the safeguarding key, granting it to another lead.

Every change goes through `workspace.users` on the worker, which checks the permission again.
A manager can make someone a lead, but only a lead who holds the key can hand it over: the
"Grant safeguarding access" button is enabled for them alone.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QItemSelectionModel, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QDialog, QHeaderView, QPushButton, QWidget

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.users_dialog_ui import Ui_UsersDialog
from prevent_desktop.ui.last_holder import retry_when_confirmed
from prevent_desktop.ui.reset_passphrase_dialog import ResetPassphraseDialog
from prevent_desktop.ui.row_table_model import Index
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.user_editor_dialog import UserEditorDialog
from prevent_desktop.ui.user_table_model import UserTableModel
from prevent_desktop.ui.worker import DatabaseWorker

SubDialog = TypeVar("SubDialog", UserEditorDialog, ResetPassphraseDialog)

ACCESS_TEXT = {
    "held": "Held",
    "granted": "Granted: next sign-in",
    "awaiting": "⚠ Awaiting grant",
    "own_passphrase": "⚠ Must choose own passphrase",
}
ACCESS_TOOLTIP = {
    "held": "Can read concerns' details on this database.",
    "granted": "Takes effect when they next sign in.",
    "awaiting": "Cannot read concerns' details yet: a lead who holds safeguarding access "
    "must grant it (Grant safeguarding access).",
    "own_passphrase": "Still using the passphrase a manager set. Access can be granted once "
    "they have signed in and chosen their own.",
}


class UserAccessTableModel(UserTableModel):
    """The users table with whether each lead can read concerns' details (the safeguarding
    key). A column added at the end, so every other column keeps its number."""

    ACCESS = len(UserTableModel.HEADERS)
    HEADERS = (*UserTableModel.HEADERS, "Safeguarding access")  # type: ignore[assignment]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user: UserView | None = self.row_item(index)
        if user is not None and index.column() == self.ACCESS:
            if role == Qt.ItemDataRole.ToolTipRole:
                return ACCESS_TOOLTIP.get(user.safeguarding_access)
            if role == Qt.ItemDataRole.DisplayRole:
                return access_text(user)
            if role == self.SortRole:
                return access_text(user).casefold()
        return super().data(index, role)


def access_text(user: UserView) -> str:
    """A dash for someone who is not a lead: there is no access to grant them."""
    return ACCESS_TEXT.get(user.safeguarding_access, "—")


class UsersDialog(QDialog):
    """Emits `changed(ChangeSet)` after every change, for the main window to broadcast."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_UsersDialog()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._message = FormMessage(self.ui.statusLabel)
        self._select_after_load: str | None = None
        self.loaded = False

        self.model = UserAccessTableModel(workspace.actor.user_id, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(UserTableModel.SortRole)
        view = self.ui.usersView
        view.setModel(self.proxy)
        view.sortByColumn(UserTableModel.NAME, Qt.SortOrder.AscendingOrder)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.selectionModel().selectionChanged.connect(self._update_buttons)
        view.doubleClicked.connect(self.open_edit_user)

        self.ui.addButton.clicked.connect(self.open_add_user)
        self.ui.editButton.clicked.connect(self.open_edit_user)
        self.ui.resetButton.clicked.connect(self.open_reset_passphrase)
        self.ui.activeButton.clicked.connect(self.toggle_active)
        self.grant_button = QPushButton("&Grant safeguarding access", self)
        self.grant_button.setAutoDefault(False)
        # After the manager's buttons, before the spacer that keeps them at the top.
        self.ui.actionsLayout.insertWidget(4, self.grant_button)
        self.grant_button.clicked.connect(self.grant_access)
        # Room for the access column, where the screen has it.
        fit_to_screen(self, QSize(max(self.width(), 1080), self.height()))
        self.holds_key = workspace.concerns.holds_key()
        self._can_manage = workspace.actor.can(Permission.MANAGE_USERS)
        if not self._can_manage:
            # A lead who is not a manager opens this list to grant access, and nothing else.
            self.ui.introLabel.setText(
                "Everyone who can unlock this database. As a safeguarding lead who holds "
                "safeguarding access, you can grant it to another lead; a manager adds users "
                "and makes them leads."
            )
        for button in (
            self.ui.addButton,
            self.ui.editButton,
            self.ui.resetButton,
            self.ui.activeButton,
        ):
            button.setVisible(self._can_manage)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        users = self._workspace.users
        self._worker.submit(lambda _task: users.list_users(), self._show, parent_widget=self)

    def selected_user(self) -> UserView | None:
        rows = self.ui.usersView.selectionModel().selectedRows()
        if not rows:
            return None
        user: UserView = self.proxy.data(rows[0], UserTableModel.UserRole)
        return user

    def select_user(self, user_id: str) -> None:
        row = self.model.row_of(user_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.ui.usersView.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.ui.usersView.scrollTo(index)

    def clear(self) -> None:
        self.model.clear()
        self._message.clear()

    # ---- actions -----------------------------------------------------------------------------

    def open_add_user(self) -> UserEditorDialog:
        return self._open(UserEditorDialog(self._worker, self._workspace, None, self))

    def open_edit_user(self) -> UserEditorDialog | None:
        user = self.selected_user()
        if user is None or not self._can_manage:
            return None
        return self._open(UserEditorDialog(self._worker, self._workspace, user, self))

    def open_reset_passphrase(self) -> ResetPassphraseDialog | None:
        user = self.selected_user()
        if user is None or not user.active:
            return None
        dialog = ResetPassphraseDialog(self._worker, self._workspace, user, parent=self)
        return self._open(dialog)

    def toggle_active(self) -> ResetPassphraseDialog | None:
        """Deactivate after asking; reactivating asks for the new passphrase they will need."""
        user = self.selected_user()
        if user is None:
            return None
        if not user.active:
            dialog = ResetPassphraseDialog(
                self._worker, self._workspace, user, reactivate=True, parent=self
            )
            return self._open(dialog)
        if not confirmation.ask(
            self,
            "Deactivate user",
            f"Deactivate {user.display_name}?",
            "&Deactivate",
            "Their passphrase is removed at once, so they can no longer sign in. Their records "
            "and the audit trail keep their name. You can reactivate them later with a new "
            "passphrase.",
        ):
            return None
        self._deactivate(user)
        return None

    def _deactivate(self, user: UserView, force_last_holder: bool = False) -> None:
        self._message.clear()
        users = self._workspace.users
        self._worker.submit(
            lambda _task: users.set_active(user.id, False, force_last_holder=force_last_holder),
            lambda change: self._after_change(change, f"{user.display_name} was deactivated."),
            retry_when_confirmed(
                self,
                lambda: self._deactivate(user, force_last_holder=True),
                self._message.failure_handler(self),
            ),
            parent_widget=self,
        )

    def grant_access(self) -> bool:
        """Pass the safeguarding key to the selected lead, after asking."""
        user = self.selected_user()
        if user is None or not self.holds_key or user.safeguarding_access != "awaiting":
            return False
        if not confirmation.ask(
            self,
            "Grant safeguarding access",
            f"Grant safeguarding access to {user.display_name}?",
            "&Grant access",
            "They will be able to read every concern's details: who it is about, the "
            "accounts, chronologies and attachments. It takes effect when they next sign in.",
        ):
            return False
        self._message.clear()
        users = self._workspace.users
        self._worker.submit(
            lambda _task: users.grant_safeguarding_access(user.id),
            lambda change: self._after_change(
                change,
                f"Safeguarding access granted to {user.display_name}: it takes effect when "
                "they next sign in.",
            ),
            self._message.failure_handler(self),
            parent_widget=self,
        )
        return True

    def _open(self, dialog: SubDialog) -> SubDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Ctrl+L must still lock while this dialog is modal, so it gets the same actions.
        dialog.addActions(self.actions())
        dialog.changed.connect(lambda change: self._after_change(change, dialog.done_message))
        dialog.open()
        return dialog

    def _after_change(self, change: ChangeSet, note: str) -> None:
        if note:
            self._message.note(note)
        else:
            self._message.clear()
        self._select_after_load = change.ids[0] if change.ids else None
        self.changed.emit(change)
        self.reload()

    # ---- display -------------------------------------------------------------------------

    def _show(self, users: list[UserView]) -> None:
        selected = self.selected_user()
        keep = self._select_after_load or (selected.id if selected else None)
        self.model.set_users(users)
        self._select_after_load = None
        if keep:
            self.select_user(keep)
        self.loaded = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected_user()
        is_self = user is not None and user.id == self._workspace.actor.user_id
        self.ui.editButton.setEnabled(user is not None)
        self.ui.resetButton.setEnabled(user is not None and user.active and not is_self)
        self.ui.resetButton.setToolTip(
            "Change your own passphrase from Account ▸ Change my passphrase." if is_self else ""
        )
        self.ui.activeButton.setText("Rea&ctivate…" if user and not user.active else "&Deactivate")
        self.ui.activeButton.setEnabled(user is not None and not is_self)
        self.ui.activeButton.setToolTip(
            "You cannot deactivate yourself; ask another manager." if is_self else ""
        )
        self.grant_button.setEnabled(
            self.holds_key and user is not None and user.safeguarding_access == "awaiting"
        )
        self.grant_button.setToolTip(self._grant_tooltip(user))

    def _grant_tooltip(self, user: UserView | None) -> str:
        if not self.holds_key:
            return (
                "Only a safeguarding lead who holds safeguarding access can grant it to "
                "another lead."
            )
        if user is None:
            return "Choose a lead who is awaiting access."
        if not user.safeguarding_access:
            return "Only safeguarding leads are given access; edit the user to make them one."
        if user.safeguarding_access == "own_passphrase":
            return (
                f"{user.display_name} must first sign in and choose their own passphrase "
                "(the one a manager set is known to the manager)."
            )
        if user.safeguarding_access != "awaiting":
            return f"{user.display_name} already has access."
        return "Let this lead read concerns' details (from their next sign-in)."
