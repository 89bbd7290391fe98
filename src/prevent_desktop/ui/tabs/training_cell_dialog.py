"""One cell of the training matrix: where a person stands on a course, and every completion
behind it.

Completions are never edited, so the only writes here are adding one (through the record
dialog) and deleting one entered by mistake (the audit log keeps it). The status is worked
out with the same domain rule as the matrix, from the newest completion just read, so it is
never stale after a write. Certificates leave the database only as a copy the person saves
where they choose, and the dialogs say that the copy is NOT encrypted.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.training import CellStatus, cell_status
from prevent_desktop.errors import describe_os_error
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training import TrainingService
from prevent_desktop.services.training_views import CourseView, RecordView, StaffView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.tabs.concern_form_dialog import note_label
from prevent_desktop.ui.tabs.concern_format import day, size, when
from prevent_desktop.ui.tabs.concern_tables import plain_table
from prevent_desktop.ui.tabs.training_record_dialog import RecordCompletionDialog
from prevent_desktop.ui.worker import DatabaseWorker

SAVE_TITLE = "Prevent Desktop — Save a copy of the certificate (the copy is NOT encrypted)"


class RecordTableModel(RowTableModel):
    COMPLETED, EXPIRES, REFERENCE, NOTE, BY, AT, FILE = range(7)
    HEADERS = (
        "Completed on",
        "Expires on",
        "Certificate ref.",
        "Evidence note",
        "Recorded by",
        "Recorded at",
        "Certificate file",
    )

    def record(self, row: int) -> RecordView | None:
        return self.row_item(self.index(row, 0))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record: RecordView | None = self.row_item(index)
        if record is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.NOTE:
            return plain_tooltip(record.evidence_note) if record.evidence_note else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.FILE:
            return plain_tooltip(file_text(record)) if record.certificate_size else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            day(record.completed_on),
            day(record.expires_on) if record.expires_on else "Never expires",
            record.certificate_reference or "—",
            " ".join(record.evidence_note.split()) or "—",  # one line per record in the table
            record.recorded_by_name,
            when(record.recorded_at),
            file_text(record),
        )[index.column()]


def file_text(record: RecordView) -> str:
    if not record.certificate_size:
        return "—"
    return f"{record.certificate_name} ({size(record.certificate_size)})"


def status_text(status: CellStatus, expires: date | None, required: bool) -> str:
    """The symbol and the word, as in the matrix, so colour is never the only sign: for
    example "✓ Valid — expires 01/01/2027 · required for this job role"."""
    if status in (CellStatus.MISSING, CellStatus.NOT_REQUIRED):
        detail = "never completed"
    elif expires is None:
        detail = "never expires"
    elif status is CellStatus.EXPIRED:
        detail = f"expired {day(expires)}"
    else:
        detail = f"expires {day(expires)}"
    need = "required for this job role" if required else "not required for this job role"
    return f"{status.symbol} {status.label} — {detail} · {need}"


def choose_copy_destination(parent: QWidget, name: str) -> Path | None:
    """The save-file dialog (tests replace this)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(documents) / Path(name).name)
    chosen, _filter = QFileDialog.getSaveFileName(parent, SAVE_TITLE, suggested)
    return Path(chosen) if chosen else None


def save_certificate(
    training: TrainingService, record_id: str, destination: Path
) -> Callable[[object], Path]:
    """The worker task that reads a certificate out of the database and writes the copy."""

    def task(_task: object) -> Path:
        _name, content = training.certificate(record_id)
        try:
            destination.write_bytes(content)
        except OSError as error:
            raise describe_os_error(error, destination, "saving the certificate") from error
        return destination

    return task


class CellHistoryDialog(QDialog):
    """Emits `changed(ChangeSet)` after every successful write, and `loaded(records)` each
    time the history has been (re)read."""

    changed = Signal(object)
    loaded = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        staff: StaffView,
        course: CourseView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self.staff = staff
        self.course = course
        self.records: list[RecordView] | None = None
        self.status: CellStatus | None = None
        self.setWindowTitle(f"Prevent Desktop — {staff.name} — {course.name}")

        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)  # the names are escaped
        self.heading.setWordWrap(True)
        self.heading.setText(
            f"<b>{html.escape(staff.name)} — {html.escape(course.name)}</b><br>"
            f"{html.escape(staff.job_role)} · {html.escape(course.provider or 'No provider')}"
            f" · {html.escape(course.validity_text())}"
        )
        self.status_label = QLabel("Reading the history…", self)
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = FormMessage(self.message_label)

        self.model = RecordTableModel(self)
        self.table: QTableView = plain_table(self.model, self, (105, 105, 120, 220, 120, 125))
        # One line per record: a long note is cut short here and read in full in its tooltip.
        self.table.setWordWrap(False)
        self.table.setAccessibleName(f"Training records of {staff.name} for {course.name}")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.save_copy())

        self.can_edit = workspace.actor.can(Permission.EDIT_TRAINING)
        self.add_button = self._button("&Add record…", self.add_record)
        self.copy_button = self._button("&Save certificate copy…", self.save_copy)
        self.delete_button = self._button("&Delete record…", self.delete_record)
        # Reading a certificate is open to everyone who may read the matrix; the two writes
        # are not, and the service would refuse them anyway.
        self.add_button.setVisible(self.can_edit)
        self.delete_button.setVisible(self.can_edit)
        actions = QHBoxLayout()
        for button in (self.add_button, self.copy_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close_box.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addLayout(actions)
        if not self.can_edit:
            layout.addWidget(
                note_label(
                    "Only a manager or a safeguarding lead can add or delete training records.",
                    self,
                )
            )
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(close_box)
        # The buttons sit above the records: Tab reaches them first.
        set_tab_order(self.add_button, self.copy_button, self.delete_button, self.table, close_box)
        fit_to_screen(self, QSize(1080, 420))
        self._update_buttons()
        self.reload()

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in the table must not trigger an action
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ---- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        training = self._workspace.training
        staff_id, course_id = self.staff.id, self.course.id
        self._worker.submit(
            lambda _task: (training.history(staff_id, course_id), training.due_soon_days()),
            self._show,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _show(self, result: tuple[list[RecordView], int]) -> None:
        records, due_soon_days = result
        self.records = records
        self.model.set_rows(records)
        latest = records[0].completed_on if records else None
        rule = self.course.rule
        status, expires = cell_status(
            latest, rule, self.staff.job_role, date.today(), due_soon_days
        )
        self.status = status
        self.status_label.setText(
            status_text(status, expires, rule.required_for(self.staff.job_role))
        )
        if records:
            self.table.selectRow(0)
        self._update_buttons()
        self.loaded.emit(records)

    def selected(self) -> RecordView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        record = self.selected()
        self.copy_button.setEnabled(record is not None and record.certificate_size > 0)
        self.delete_button.setEnabled(record is not None)

    # ---- writing ---------------------------------------------------------------------------

    def add_record(self) -> RecordCompletionDialog:
        dialog = RecordCompletionDialog(
            self._worker, self._workspace, [self.staff], [self.course], self.course.id, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._written)
        dialog.open()  # modal to this window only: the matrix stays usable
        return dialog

    def delete_record(self) -> None:
        record = self.selected()
        if record is None:
            return
        if not confirmation.ask(
            self,
            "Delete a training record",
            f"Delete {self.staff.name}'s completion of {self.course.name} on "
            f"{day(record.completed_on)}?",
            "&Delete record",
            "Only for a record entered by mistake. It leaves the matrix and this history; the "
            "audit log keeps what it was, who recorded it and who deleted it.",
        ):
            return
        training, record_id = self._workspace.training, record.id
        self.message.clear()
        self._worker.submit(
            lambda _task: training.delete_record(record_id),
            self._written,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _written(self, change: ChangeSet) -> None:
        self.message.clear()
        self.changed.emit(change)
        self.reload()

    # ---- certificates ----------------------------------------------------------------------

    def save_copy(self) -> None:
        record = self.selected()
        if record is None or not record.certificate_size:
            return
        destination = choose_copy_destination(self, record.certificate_name)
        if destination is None:
            return
        self.message.clear()
        self._worker.submit(
            save_certificate(self._workspace.training, record.id, destination),
            self._copy_saved,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _copy_saved(self, destination: Path) -> None:
        self.message.note(
            f"A copy was saved to {destination}. This copy is NOT encrypted: keep it somewhere "
            "safe and delete it when it is no longer needed."
        )
