"""Recording a completion: one person from a matrix cell, or everyone at a team session.

One call to the service records the same completion for every selected person in one
transaction, so a team session is either all in the matrix or not at all. A certificate file
is read on the worker when saving (never on the UI thread) and stored encrypted; the service
decides whether it is too big, and its message appears under the form with everything typed
kept.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from prevent_desktop.errors import KnownError, ValidationError
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training import EARLIEST_COMPLETION, MAX_CERTIFICATE_BYTES
from prevent_desktop.services.training_views import CompletionInput, CourseView, StaffView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date, to_qdate
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.tabs.concern_format import size
from prevent_desktop.ui.worker import DatabaseWorker

CHOOSE_TITLE = "Prevent Desktop — Certificate file (it is stored encrypted in the database)"
# A file far past the limit is refused from its size alone: reading a 4 GB video into memory
# only for the service to refuse it would stall the worker. Up to this size the service
# decides, with its own message.
READ_LIMIT = 8 * MAX_CERTIFICATE_BYTES
NAMES_SHOWN = 12  # a whole class in the heading would push the form off the screen


def choose_certificate_file(parent: QWidget) -> Path | None:
    """The open-file dialog (tests replace this)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, CHOOSE_TITLE, documents, "Certificates (*.pdf *.png *.jpg *.jpeg);;All files (*)"
    )
    return Path(chosen) if chosen else None


def read_certificate(path: Path) -> tuple[str, bytes]:
    """On the worker: the file's name and content, or a KnownError saying why not."""
    try:
        byte_count = path.stat().st_size
        if byte_count > READ_LIMIT:
            raise ValidationError(
                f"'{path.name}' is {byte_count / 1_048_576:.0f} MB; a certificate can be at "
                f"most {MAX_CERTIFICATE_BYTES // 1_048_576} MB. Scan it at a lower resolution "
                "or save it as a smaller PDF."
            )
        return path.name, path.read_bytes()
    except OSError as error:
        raise KnownError(f"Could not read {path}: {error.strerror or error}.") from error


def people_text(staff: list[StaffView]) -> str:
    if len(staff) == 1:
        return f"For {staff[0].name} ({staff[0].job_role})"
    names = ", ".join(person.name for person in staff[:NAMES_SHOWN])
    more = len(staff) - NAMES_SHOWN
    return f"For {len(staff)} people: {names}" + (f" and {more} more" if more > 0 else "")


def course_label(course: CourseView) -> str:
    """The name with how long it lasts: the expiry follows from the course chosen."""
    if course.validity_months == 0:
        return f"{course.name} (never expires)"
    return f"{course.name} (valid {course.validity_text()})"


class RecordCompletionDialog(ConcernFormDialog):
    """Emits `changed(ChangeSet)` and accepts once the completions are recorded."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        staff: list[StaffView],
        courses: list[CourseView],
        course_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        count = len(staff)
        save_text = "&Record completion" if count == 1 else f"&Record for {count} people"
        # The concern forms' frame fits as it is; a completion belongs to no concern.
        who = staff[0].name if count == 1 else f"{count} people"
        super().__init__(worker, workspace, "", who, "Record training", save_text, parent)
        self._staff = list(staff)
        self.certificate_path: Path | None = None
        self.heading.setText(people_text(self._staff))
        self.heading.setWordWrap(True)
        self.heading.setToolTip("\n".join(person.name for person in self._staff))

        self.course_combo = QComboBox(self)
        for course in courses:
            self.course_combo.addItem(course_label(course), course.id)
        if course_id is not None:
            self.course_combo.setCurrentIndex(max(0, self.course_combo.findData(course_id)))
        self.date_edit = date_edit(self)
        # The range is the first check: a future date cannot be typed or picked at all (the
        # service refuses it too, should the clock pass midnight with the dialog open).
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setMinimumDate(to_qdate(EARLIEST_COMPLETION))
        self.date_edit.setAccessibleName("Completed on")
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setPlaceholderText("Optional: the certificate's number or the LMS ID")
        self.note_edit = text_box(self, "Optional: how it was done, or where the evidence is", 3)
        # A fixed height: left to stretch, the box takes every spare pixel of the dialog.
        self.note_edit.setFixedHeight(self.note_edit.minimumHeight())
        self.form.addRow("&Course", self.course_combo)
        self.form.addRow("Completed &on", self.date_edit)
        self.form.addRow("Certificate refere&nce", self.reference_edit)  # R: the save button
        self.form.addRow("&Evidence note", self.note_edit)
        self.form.addRow("Certificate &file", self._file_row())
        self.add_note(
            f"A certificate file is stored encrypted in the database, "
            f"{MAX_CERTIFICATE_BYTES // 1_048_576} MB at most"
            + ("; the same file is kept with each person's record." if count > 1 else ".")
        )
        self.save_button.setEnabled(bool(self._staff) and self.course_combo.count() > 0)
        self.finish_layout(600)

    def _file_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.file_label = QLabel("No file", row)
        self.choose_button = QPushButton("C&hoose file…", row)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton("Re&move", row)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(lambda: self.set_certificate(None))
        layout.addWidget(self.file_label, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.remove_button)
        row.setFocusProxy(self.choose_button)
        self.set_certificate(None)
        return row

    def choose_file(self) -> None:
        path = choose_certificate_file(self)
        if path is not None:
            self.set_certificate(path)

    def set_certificate(self, path: Path | None) -> None:
        """Only the path is kept here: the file is read on the worker when saving."""
        self.certificate_path = path
        self.remove_button.setEnabled(path is not None)
        if path is None:
            self.file_label.setText("No file")
            return
        try:
            shown = f"{path.name} ({size(path.stat().st_size)})"
        except OSError:
            shown = path.name  # reading it on saving says what is wrong
        self.file_label.setText(shown)
        self.file_label.setToolTip(str(path))

    def completion_input(self) -> CompletionInput:
        return CompletionInput(
            course_id=self.course_combo.currentData(),
            completed_on=to_date(self.date_edit),
            certificate_reference=self.reference_edit.text(),
            evidence_note=self.note_edit.toPlainText(),
        )

    def save(self) -> None:
        training = self._workspace.training
        staff_ids = [person.id for person in self._staff]
        path = self.certificate_path
        data = self.completion_input()

        def write(_task: object) -> ChangeSet:
            if path is None:
                return training.record_completion(staff_ids, data)
            with_file = replace(data, certificate=read_certificate(path))
            return training.record_completion(staff_ids, with_file)

        self.submit_write(write)
