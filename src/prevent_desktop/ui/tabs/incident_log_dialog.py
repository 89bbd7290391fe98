"""The window of a live incident or drill: tick steps, add notes, close with an outcome.

Non-modal, so that someone can keep it open beside the rest of the app while the incident
runs. Every tick and note is written at once (the service stamps the time and who); the
window then reloads the log, so what it shows is always what was recorded. A closed log is
a record: the checklist and the note box become read-only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.uk_date import uk_date_time
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.incident_views import LogStepView, LogView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.styles import DRILL_STYLE, INCIDENT_STYLE
from prevent_desktop.ui.tabs.incident_print import report_options, save_pdf
from prevent_desktop.ui.worker import DatabaseWorker


def local_time(moment: datetime) -> datetime:
    """Stored times are UTC (SQLite may hand them back without their zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def step_text(number: int, step: LogStepView) -> str:
    text = f"{number}. [{step.role.label}] {step.text}"
    if step.done_at is not None:
        text += f" — done {local_time(step.done_at):%H:%M} by {step.done_by_name}"
    return text


def ask_outcome(parent: QWidget) -> str | None:
    """How it ended; None if cancelled. Tests answer for the user by replacing this."""
    text, ok = QInputDialog.getMultiLineText(
        parent,
        "Prevent Desktop — Close with outcome",
        "How did it end? What happened, was everyone safe, what should change? (required)",
    )
    return text if ok else None


class IncidentLogWindow(QDialog):
    """Emits `changed(ChangeSet)` after each write, for the tab to broadcast."""

    changed = Signal(object)
    loaded = Signal()  # each time the log has been shown (tests wait for it)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        log_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._worker = worker
        self._workspace = workspace
        self.log_id = log_id
        self.view: LogView | None = None
        self._showing = False  # itemChanged fires while the list is filled, not only on ticks

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.times = QLabel(self)
        self.times.setWordWrap(True)
        self.outcome_label = QLabel(self)
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setVisible(False)
        # Wrapped labels must keep their full height when the lists below take the space.
        for label in (self.banner, self.times, self.outcome_label):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.steps = QListWidget(self)
        self.steps.setAccessibleName("Steps: tick each one as it is done")
        self.steps.setWordWrap(True)
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Notes")
        self.notes.setWordWrap(True)
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText("What happened, when, who (timestamped on adding)")
        self.note_button = QPushButton("Add &note", self)
        self.close_log_button = QPushButton("Close with &outcome…", self)
        self.pdf_button = QPushButton("Save log as &PDF…", self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)

        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_log_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.times)
        layout.addWidget(self.outcome_label)
        layout.addWidget(QLabel("Steps", self))
        layout.addWidget(self.steps, 3)
        layout.addWidget(QLabel("Notes", self))
        layout.addWidget(self.notes, 1)
        layout.addLayout(note_row)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)

        self.steps.itemChanged.connect(self._step_changed)
        self.note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        self.close_log_button.clicked.connect(self.close_with_outcome)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.setWindowTitle("Prevent Desktop — Incident log")
        fit_to_screen(self, QSize(720, 640))

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        incidents, log_id = self._workspace.incidents, self.log_id
        self._worker.submit(lambda _task: incidents.log(log_id), self._show, parent_widget=self)

    def _show(self, view: LogView) -> None:
        self.view = view
        drill = view.kind is LogKind.DRILL
        kind = "DRILL" if drill else "INCIDENT"
        state = "open" if view.open else "closed"
        self.setWindowTitle(f"Prevent Desktop — {kind} ({state}) — {view.plan_title}")
        self.banner.setText(
            f"{kind}{'' if view.open else ' (CLOSED)'}: {view.plan_title} "
            f"(plan version {view.plan_version})"
        )
        self.banner.setStyleSheet(DRILL_STYLE if drill else INCIDENT_STYLE)
        times = f"Started {local_time(view.started_at):%d/%m/%Y %H:%M} by {view.started_by_name}."
        if not view.open and view.closed_at is not None:
            times += (
                f" Closed {local_time(view.closed_at):%d/%m/%Y %H:%M} by {view.closed_by_name}."
            )
        self.times.setText(times)
        self.outcome_label.setText(f"Outcome: {view.outcome}")
        self.outcome_label.setVisible(not view.open)
        self._showing = True
        self.steps.clear()
        for number, step in enumerate(view.steps, start=1):
            item = QListWidgetItem(step_text(number, step), self.steps)
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if view.open:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            done = step.done_at is not None
            item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
        self._showing = False
        self.notes.clear()
        for note in view.notes:
            when = uk_date_time(local_time(note.at))  # stored as UTC, possibly without its zone
            self.notes.addItem(f"{when} {note.author_name}: {note.text}")
        for widget in (self.note_edit, self.note_button, self.close_log_button):
            widget.setEnabled(view.open)
        self.pdf_button.setToolTip(
            "" if not view.open else "The PDF shows the log as it stands now; it is still open"
        )
        self.loaded.emit()

    # ---- writes --------------------------------------------------------------------------------

    def _write(self, write: object, after: object = None) -> None:
        self.message.clear()
        self._worker.submit(
            write,  # type: ignore[arg-type]
            lambda change: self._written(change, after),
            self.message.failure_handler(self, after=self.refresh),
            parent_widget=self,
        )

    def _written(self, change: ChangeSet, after: object) -> None:
        if callable(after):
            after()
        self.changed.emit(change)
        self.refresh()

    def _step_changed(self, item: QListWidgetItem) -> None:
        if self._showing or self.view is None or not self.view.open:
            return
        incidents = self._workspace.incidents
        step_id = item.data(Qt.ItemDataRole.UserRole)
        done = item.checkState() == Qt.CheckState.Checked
        self._write(lambda _task: incidents.tick(step_id, done))

    def done(self, result: int) -> None:
        # Closing (by the person, or because the app locks) takes any question this window
        # is asking with it: an outcome half typed must not stay on a locked screen.
        for question in self.findChildren(QInputDialog):
            question.reject()
        super().done(result)

    def tick(self, row: int, done: bool = True) -> None:
        """As a click on the row's box would."""
        item = self.steps.item(row)
        item.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)

    def add_note(self) -> None:
        incidents, log_id, text = self._workspace.incidents, self.log_id, self.note_edit.text()
        self._write(lambda _task: incidents.add_note(log_id, text), self.note_edit.clear)

    def close_with_outcome(self) -> None:
        outcome = ask_outcome(self)
        if outcome is None:
            return
        incidents, log_id = self._workspace.incidents, self.log_id
        self._write(lambda _task: incidents.close(log_id, outcome))

    def save_pdf(self) -> None:
        view, log_id = self.view, self.log_id
        kind = view.kind.label.lower() if view is not None else "log"
        save_pdf(
            self,
            self._worker,
            self._workspace,
            what=f"{kind} log",
            stem=f"Incident log {view.plan_title if view else ''}".strip(),
            function="write_incident_log",
            options=lambda: report_options(log_id=log_id),
        )
