"""Managers' list of users: add, edit, reset a passphrase, deactivate and reactivate.

Every change goes through `workspace.users` on the worker, which checks the permission again;
the main window only offers this dialog to managers.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QDialog, QHeaderView, QWidget

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.users_dialog_ui import Ui_UsersDialog
from prevent_desktop.ui.reset_passphrase_dialog import ResetPassphraseDialog
from prevent_desktop.ui.user_editor_dialog import UserEditorDialog
from prevent_desktop.ui.user_table_model import UserTableModel
from prevent_desktop.ui.worker import DatabaseWorker

SubDialog = TypeVar("SubDialog", UserEditorDialog, ResetPassphraseDialog)


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

        self.model = UserTableModel(workspace.actor.user_id, self)
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
        if user is None:
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
        self._message.clear()
        users = self._workspace.users
        self._worker.submit(
            lambda _task: users.set_active(user.id, False),
            lambda change: self._after_change(change, f"{user.display_name} was deactivated."),
            self._message.failure_handler(self),
            parent_widget=self,
        )
        return None

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
