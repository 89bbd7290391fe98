"""The training matrix's settings: the site's job roles and the due-soon window.

The roles list is edited here and saved as a whole (the service replaces the list, in this
order), so nothing is written until Save; a role still held by someone cannot go, and the
service's message saying who holds it appears under the form with the list as edited. Only
what changed is written, so the audit log shows what was actually done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.setting_fields import due_soon_spin
from prevent_desktop.ui.tabs.concern_form_dialog import note_label
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker

NEW_ROLE = "New job role"


# Where each loaded role keeps the name it had, so that a rename can be told from a new role.
ORIGINAL_NAME = Qt.ItemDataRole.UserRole


class TrainingSettingsDialog(SavingDialog):
    """Emits `changed(ChangeSet)` for each setting saved, then accepts."""

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self.saved_roles: list[str] | None = None
        self.saved_days: int | None = None
        self.setWindowTitle("Prevent Desktop — Training matrix settings")

        self.roles_list = QListWidget(self)
        self.roles_list.setAccessibleName("Job roles")
        self.roles_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Reordering by dragging as well as by the buttons (which keyboard users need).
        self.roles_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.roles_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.add_button = self._button("&Add", self.add_role)
        self.rename_button = self._button("Re&name", self.rename_role)
        self.up_button = self._button("Move &up", lambda: self.move_role(-1))
        self.down_button = self._button("Move &down", lambda: self.move_role(1))
        self.remove_button = self._button("Re&move", self.remove_role)
        self.list_buttons = [
            self.add_button,
            self.rename_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ]
        roles_box = QGridLayout()
        roles_box.addWidget(self.roles_list, 0, 0, 6, 1)
        for row, button in enumerate(self.list_buttons):
            roles_box.addWidget(button, row, 1)
        roles_box.setRowStretch(5, 1)

        self.days_spin = due_soon_spin(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        # Not the box's accepted(): the dialog closes only once the service has saved.
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        roles_label = QLabel("&Job roles, in the order the filters list them", self)
        roles_label.setBuddy(self.roles_list)
        form = QFormLayout()
        form.addRow("Due s&oon within", self.days_spin)  # D: "Move &down"
        layout = QVBoxLayout(self)
        layout.addWidget(roles_label)
        layout.addLayout(roles_box)
        layout.addWidget(
            note_label(
                "Double-click a role to rename it: staff and courses follow it. A role someone "
                "still holds cannot be removed: give them another role first.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(
            note_label(
                "Training that expires within this many days shows as due soon "
                "(it still counts as valid until it expires).",
                self,
            )
        )
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.can_edit = workspace.actor.can(Permission.EDIT_TRAINING)
        self.pause()  # until the current settings are read
        fit_to_screen(self, QSize(520, 480))
        self._load()

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter while renaming must not press a button
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _load(self) -> None:
        training = self._workspace.training
        self._worker.submit(
            lambda _task: (training.job_roles(), training.due_soon_days()),
            self._show,
            self.message.failure_handler(self, after=self.resume),
            parent_widget=self,
        )

    def _show(self, result: tuple[list[str], int]) -> None:
        roles, days = result
        self.saved_roles, self.saved_days = list(roles), days
        self.roles_list.clear()
        for role in roles:
            self._add_item(role).setData(ORIGINAL_NAME, role)
        self.days_spin.setValue(days)
        self.resume()
        if not self.can_edit:
            # Shown to read; the service would refuse a save anyway.
            for button in [*self.list_buttons, self.save_button]:
                button.setVisible(False)
            self.days_spin.setEnabled(False)
            self.roles_list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self._update_buttons()

    def _add_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text, self.roles_list)
        if self.can_edit:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _update_buttons(self) -> None:
        row, count = self.roles_list.currentRow(), self.roles_list.count()
        self.rename_button.setEnabled(row >= 0)
        self.remove_button.setEnabled(row >= 0 and count > 1)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # ---- editing the list ------------------------------------------------------------------

    def roles(self) -> list[str]:
        return [self.roles_list.item(row).text() for row in range(self.roles_list.count())]

    def renames(self) -> list[tuple[str, str]]:
        """(old, new) for each role that was there when loaded and has a new name now."""
        out = []
        for row in range(self.roles_list.count()):
            item = self.roles_list.item(row)
            original = item.data(ORIGINAL_NAME)
            new = " ".join(item.text().split())
            if original and new and new != original:
                out.append((original, new))
        return out

    def add_role(self) -> None:
        item = self._add_item(NEW_ROLE)
        self.roles_list.setCurrentItem(item)
        self.roles_list.editItem(item)  # type the name straight away

    def rename_role(self) -> None:
        item = self.roles_list.currentItem()
        if item is not None:
            self.roles_list.editItem(item)

    def move_role(self, step: int) -> None:
        row = self.roles_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.roles_list.count():
            return
        item = self.roles_list.takeItem(row)
        self.roles_list.insertItem(target, item)
        self.roles_list.setCurrentRow(target)

    def remove_role(self) -> None:
        row = self.roles_list.currentRow()
        if row >= 0:
            self.roles_list.takeItem(row)
        self._update_buttons()

    # ---- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        self.message.clear()
        training = self._workspace.training
        roles = self.roles()
        cleaned = [" ".join(role.split()) for role in roles]
        roles_changed = cleaned != self.saved_roles
        renames = self.renames()
        days = self.days_spin.value()
        days_changed = days != self.saved_days

        def write(_task: object) -> list[ChangeSet]:
            # The roles first: when the service refuses them, nothing at all has changed.
            changes = []
            # Renames and the new list in one transaction: refused, nothing has changed.
            if roles_changed or renames:
                changes.append(training.set_job_roles(roles, renames))
            if days_changed:
                changes.append(training.set_due_soon_days(days))
            return changes

        self.pause()
        self._worker.submit(
            write,
            self._all_saved,
            self.message.failure_handler(self, after=self.resume),
            parent_widget=self,
        )

    def _all_saved(self, changes: list[ChangeSet]) -> None:
        self.setEnabled(True)
        for change in changes:
            self.changed.emit(change)
        self.accept()
