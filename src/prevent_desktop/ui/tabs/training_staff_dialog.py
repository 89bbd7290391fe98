"""Adding or editing a member of staff in the training matrix.

Staff here need not be users of the application: the matrix covers everyone the strategy
expects to be trained. The service cleans and checks what is typed (name, a known job role,
an email that looks like one, a leaving date after the start); its refusal appears under the
form with everything typed kept.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_views import StaffInput, StaffView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date, to_qdate
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog
from prevent_desktop.ui.worker import DatabaseWorker


class OptionalDate(QWidget):
    """A tick box and a date beside it: the date counts only while ticked. Clearer than a
    sentinel "no date" value hidden at the bottom of a date field's range."""

    def __init__(self, text: str, value: date | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.edit: QDateEdit = date_edit(self, value)
        self.edit.setAccessibleName(text.replace("&", ""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.setFocusProxy(self.check)

    def value(self) -> date | None:
        return to_date(self.edit) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))


class StaffEditorDialog(ConcernFormDialog):
    """`staff=None` adds a person. Emits `changed(ChangeSet)` and accepts once saved."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        staff: StaffView | None,
        job_roles: list[str],
        parent: QWidget | None = None,
    ) -> None:
        # The concern forms' frame (heading, form, message line, buttons) fits as it is.
        title = "Add a member of staff" if staff is None else f"Edit {staff.name}"
        save_text = "&Add" if staff is None else "&Save"
        super().__init__(worker, workspace, "", "", title, save_text, parent)
        self._staff = staff
        self.setWindowTitle(f"Prevent Desktop — {title}")
        self.heading.setText(title)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("First name and surname")
        self.role_combo = QComboBox(self)
        roles = list(job_roles)
        # Someone whose role has since been renamed keeps it visible rather than silently
        # taking the first role in the list.
        if staff is not None and staff.job_role.casefold() not in {r.casefold() for r in roles}:
            roles.append(staff.job_role)
        self.role_combo.addItems(roles)
        self.start = OptionalDate("&Known", staff.start_date if staff else None, self)
        self.email_edit = QLineEdit(self)
        self.email_edit.setPlaceholderText("Optional: for reminders")
        self.left = OptionalDate("&Has left, on", staff.left_on if staff else None, self)
        self.form.addRow("&Name *", self.name_edit)
        self.form.addRow("&Job role *", self.role_combo)
        self.form.addRow("Start date", self.start)
        self.form.addRow("&Email", self.email_edit)
        self.form.addRow("Left", self.left)
        self.add_note(
            "They need not use Prevent Desktop. Someone who has left leaves the matrix; their "
            "training records are kept."
        )
        if staff is not None:
            self.name_edit.setText(staff.name)
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findText(staff.job_role)))
            self.email_edit.setText(staff.email)
        if not workspace.actor.can(Permission.EDIT_TRAINING):
            # Shown to read; the service would refuse a save anyway.
            for field in (self.name_edit, self.role_combo, self.start, self.email_edit, self.left):
                field.setEnabled(False)
            self.save_button.setVisible(False)
        self.finish_layout(520)

    def staff_input(self) -> StaffInput:
        return StaffInput(
            name=self.name_edit.text(),
            job_role=self.role_combo.currentText(),
            start_date=self.start.value(),
            email=self.email_edit.text(),
            left_on=self.left.value(),
        )

    def save(self) -> None:
        training, data = self._workspace.training, self.staff_input()
        staff_id = self._staff.id if self._staff is not None else None

        def write(_task: object) -> ChangeSet:
            if staff_id is None:
                return training.add_staff(data)
            return training.update_staff(staff_id, data)

        self.submit_write(write)
