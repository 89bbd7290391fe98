"""Adding or editing a course: how long it lasts, who must do it, what it delivers.

Validity and required roles decide every cell's status in the course's column, so they are
spelled out: a validity of 0 reads "Never expires", and the roles list is greyed out while
the course is required for all staff. Retiring a course (its column leaves the matrix, its
records stay) is a separate action that takes effect at once, so it is never mixed up with
saving half-finished edits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.strategy import Objective
from prevent_desktop.domain.training import MAX_VALIDITY_MONTHS
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_views import CourseInput, CourseView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog
from prevent_desktop.ui.worker import DatabaseWorker

NEVER_EXPIRES = "0 — never expires"


class CourseEditorDialog(ConcernFormDialog):
    """`course=None` adds a course. Emits `changed(ChangeSet)` after saving (and accepts) and
    after retiring or bringing back (and stays open)."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        course: CourseView | None,
        job_roles: list[str],
        parent: QWidget | None = None,
    ) -> None:
        title = "Add a course" if course is None else f"Edit {course.name}"
        save_text = "&Add course" if course is None else "&Save"
        super().__init__(worker, workspace, "", "", title, save_text, parent)
        self._course = course
        self.active = course.active if course is not None else True
        self.setWindowTitle(f"Prevent Desktop — {title}")
        self.heading.setText(title)

        self.name_edit = QLineEdit(self)
        self.provider_edit = QLineEdit(self)
        self.provider_edit.setPlaceholderText("Who delivers it, e.g. Home Office e-learning")
        self.validity_spin = QSpinBox(self)
        self.validity_spin.setRange(0, MAX_VALIDITY_MONTHS)
        self.validity_spin.setSuffix(" months")
        self.validity_spin.setSpecialValueText(NEVER_EXPIRES)
        self.validity_spin.setAccessibleName("Validity in months")
        self.all_check = QCheckBox("Re&quired for all staff", self)  # A: "&Add course"
        self.roles_list = QListWidget(self)
        self.roles_list.setAccessibleName("Job roles that require it")
        for role in job_roles:
            item = QListWidgetItem(role, self.roles_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = max(3, min(len(job_roles), 8))
        self.roles_list.setFixedHeight(self.roles_list.sizeHintForRow(0) * rows + 6)
        self.all_check.toggled.connect(lambda on: self.roles_list.setEnabled(not on))
        self.objective_checks: dict[Objective, QCheckBox] = {}
        objectives = QWidget(self)
        objectives_layout = QVBoxLayout(objectives)
        objectives_layout.setContentsMargins(0, 0, 0, 0)
        objectives_layout.setSpacing(2)
        for objective in Objective:
            check = QCheckBox(f"{objective.value} {objective.label}", objectives)
            self.objective_checks[objective] = check
            objectives_layout.addWidget(check)

        self.form.addRow("&Name *", self.name_edit)
        self.form.addRow("&Provider", self.provider_edit)
        self.form.addRow("&Validity", self.validity_spin)
        self.form.addRow("Who must do it", self.all_check)
        self.form.addRow("or these &roles", self.roles_list)
        self.form.addRow("Strategy objectives", objectives)
        self.retire_button: QPushButton | None = None
        if course is not None:
            self.retire_button = QPushButton(self)
            self.retire_button.setAutoDefault(False)
            self.retire_button.clicked.connect(self.toggle_active)
            self.buttons.addButton(self.retire_button, QDialogButtonBox.ButtonRole.ResetRole)
            self._fill(course, job_roles)
        else:
            self.validity_spin.setValue(24)  # most of the seeded courses last two years
        self._show_active()
        if not workspace.actor.can(Permission.EDIT_TRAINING):
            # Shown to read; the service would refuse a save anyway.
            fields = (self.name_edit, self.provider_edit, self.validity_spin, self.all_check)
            for field in (*fields, self.roles_list, objectives):
                field.setEnabled(False)
            self.save_button.setVisible(False)
            if self.retire_button is not None:
                self.retire_button.setVisible(False)
        self.finish_layout(560)

    def _fill(self, course: CourseView, job_roles: list[str]) -> None:
        self.name_edit.setText(course.name)
        self.provider_edit.setText(course.provider)
        self.validity_spin.setValue(course.validity_months)
        wanted = {role.casefold() for role in course.required_roles}
        for row in range(self.roles_list.count()):
            item = self.roles_list.item(row)
            if item.text().casefold() in wanted:
                item.setCheckState(Qt.CheckState.Checked)
        self.all_check.setChecked(course.required_for_all)
        self.roles_list.setEnabled(not course.required_for_all)
        for objective, check in self.objective_checks.items():
            check.setChecked(objective.value in course.objectives)
        known = {role.casefold() for role in job_roles}
        gone = [role for role in course.required_roles if role.casefold() not in known]
        if gone:
            self.add_note(
                f"No longer a job role, so dropped from this course on saving: {', '.join(gone)}."
            )

    def checked_roles(self) -> tuple[str, ...]:
        items = (self.roles_list.item(row) for row in range(self.roles_list.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def course_input(self) -> CourseInput:
        required_for_all = self.all_check.isChecked()
        return CourseInput(
            name=self.name_edit.text(),
            provider=self.provider_edit.text(),
            validity_months=self.validity_spin.value(),
            required_for_all=required_for_all,
            # Greyed-out ticks are not a requirement: "all staff" already covers them.
            required_roles=() if required_for_all else self.checked_roles(),
            objectives=tuple(o.value for o, c in self.objective_checks.items() if c.isChecked()),
        )

    def save(self) -> None:
        training, data = self._workspace.training, self.course_input()
        course_id = self._course.id if self._course is not None else None

        def write(_task: object) -> ChangeSet:
            if course_id is None:
                return training.add_course(data)
            return training.update_course(course_id, data)

        self.submit_write(write)

    # ---- retiring --------------------------------------------------------------------------

    def _show_active(self) -> None:
        if self.retire_button is None:
            return
        self.retire_button.setText("Re&tire course…" if self.active else "Bring &back")
        self.retire_button.setToolTip(
            "Take its column off the matrix; its records are kept"
            if self.active
            else "Put its column back on the matrix"
        )
        if not self.active:
            self.message.note("This course is retired: it is not shown in the matrix.")

    def toggle_active(self) -> None:
        if self._course is None:
            return
        active = not self.active
        if not active and not confirmation.ask(
            self,
            "Retire a course",
            f"Retire {self._course.name}?",
            "Re&tire course",
            "Its column leaves the matrix and it no longer counts towards compliance. Its "
            "training records are kept, and it can be brought back at any time.",
        ):
            return
        training, course_id = self._workspace.training, self._course.id
        self.message.clear()
        self.pause()
        self._worker.submit(
            lambda _task: training.set_course_active(course_id, active),
            lambda change: self._active_changed(active, change),
            self.message.failure_handler(self, after=self.resume),
            parent_widget=self,
        )

    def _active_changed(self, active: bool, change: ChangeSet) -> None:
        self.resume()
        self.active = active
        self._show_active()
        if active:
            self.message.note("The course is back in the matrix.")
        self.changed.emit(change)
