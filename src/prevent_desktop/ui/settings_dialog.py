"""Site ▸ Settings: every setting a site manager looks after, in one place. A list of pages
(General, Reminders, Retention, Head office) beside the page shown.

Everything is read in one task on the database worker. Save collects what changed on every
page; if anything typed is wrong, it says so under that field, shows its page and saves
nothing. Otherwise it asks the questions the changes need (a replaced head-office key, names
going to head office), then makes the writes in one task, one service call each, and emits
`changed` with each write's ChangeSet. Should the service refuse one, the writes before it
stay saved (and are announced), the refusal shows under its field, and the dialog stays open.

Managers change settings (CHANGE_SETTINGS, checked by the services); anyone else who opens
the dialog sees the settings read-only. At head office only General applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import KnownError
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.settings_general import GeneralPage
from prevent_desktop.ui.settings_head_office import HeadOfficePage
from prevent_desktop.ui.settings_page import (
    Invalid,
    PendingWrite,
    SettingsPage,
    SettingsValues,
    read_values,
)
from prevent_desktop.ui.settings_records import RemindersPage, RetentionPage
from prevent_desktop.ui.styles import NOTICE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker

READ_ONLY_NOTE = "Only a manager can change these settings: you can see them here."


@dataclass(frozen=True)
class SaveOutcome:
    """The ChangeSets of the writes made, in order, and the one refused (if any) with why."""

    done: tuple[ChangeSet, ...]
    refused: int | None = None
    message: str = ""


def run_writes(workspace: Workspace, writes: list[Callable[[Workspace], ChangeSet]]) -> SaveOutcome:
    """On the worker: each write in turn, stopping at the first the service refuses."""
    done: list[ChangeSet] = []
    for index, write in enumerate(writes):
        try:
            done.append(write(workspace))
        except KnownError as error:
            return SaveOutcome(tuple(done), index, error.message)
    return SaveOutcome(tuple(done))


class SettingsDialog(QDialog):
    """Emits `changed(ChangeSet)` for each setting saved; accepts once all are saved."""

    changed = Signal(object)
    loaded = Signal()

    @staticmethod
    def allowed(actor: Actor) -> bool:
        """Whether the menu should offer the dialog (the services refuse anyone else)."""
        return actor.can(Permission.CHANGE_SETTINGS)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Prevent Desktop — Settings")
        self._worker = worker
        self._workspace = workspace
        self.can_change = self.allowed(workspace.actor)
        self.is_loaded = False

        self.page_list = QListWidget(self)
        self.page_list.setAccessibleName("Settings pages")
        self.page_list.setMaximumWidth(150)
        self.page_list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.stack = QStackedWidget(self)
        self.general = GeneralPage(worker, self.stack)
        self.pages: list[SettingsPage] = [self.general]
        self.reminders: RemindersPage | None = None
        self.retention: RetentionPage | None = None
        self.head_office: HeadOfficePage | None = None
        if not workspace.database.head_office:  # head office keeps no training or concerns
            self.reminders = RemindersPage(self.stack)
            self.retention = RetentionPage(workspace.concerns.holds_key(), self.stack)
            self.head_office = HeadOfficePage(self.stack)
            self.pages += [self.reminders, self.retention, self.head_office]
        for page in self.pages:
            self.page_list.addItem(page.title)
            self.stack.addWidget(page)
            page.setEnabled(False)  # until the settings have been read
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)

        self.read_only_note = QLabel(READ_ONLY_NOTE, self)
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(NOTICE_STYLE)
        self.read_only_note.setVisible(not self.can_change)
        message = QLabel(self)
        message.setWordWrap(True)
        self._message = FormMessage(message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        # Not the box's accepted(): the dialog closes only once every write has been made.
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.save_button.setEnabled(False)
        self.save_button.setVisible(self.can_change)
        if not self.can_change:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addLayout(body, 1)
        layout.addWidget(message)
        layout.addWidget(self.buttons)
        self.resize(820, 520)

        worker.submit(
            lambda _task: read_values(workspace),
            self._show,
            self._message.failure_handler(self),
            parent_widget=self,
        )

    def _show(self, values: SettingsValues) -> None:
        for page in self.pages:
            page.show_values(values)
            page.set_editable(self.can_change)
            page.setEnabled(True)
        self.save_button.setEnabled(self.can_change)
        self.is_loaded = True
        self.page_list.setFocus()
        self.loaded.emit()

    def show_page(self, page: SettingsPage) -> None:
        self.page_list.setCurrentRow(self.pages.index(page))

    # ---- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if not (self.is_loaded and self.can_change and self.save_button.isEnabled()):
            return
        self._message.clear()
        writes: list[PendingWrite] = []
        for page in self.pages:
            page.clear_messages()
        for page in self.pages:
            try:
                writes += page.pending_writes()
            except Invalid as invalid:
                self.show_page(page)
                invalid.field.setFocus()
                return
        if not writes:
            self.accept()
            return
        for write in writes:
            question = write.confirm
            if question is not None and not confirmation.ask(
                self, question.title, question.text, question.action
            ):
                return
        self._run(writes)

    def _run(self, writes: list[PendingWrite]) -> None:
        workspace = self._workspace
        calls = [write.write for write in writes]
        self.save_button.setEnabled(False)
        self.stack.setEnabled(False)
        self._worker.submit(
            lambda _task: run_writes(workspace, calls),
            lambda outcome: self._saved(writes, outcome),
            self._message.failure_handler(self, after=self._enable),
            progress="Saving the settings…",
            parent_widget=self,
        )

    def _enable(self) -> None:
        self.save_button.setEnabled(True)
        self.stack.setEnabled(True)

    def _saved(self, writes: list[PendingWrite], outcome: SaveOutcome) -> None:
        for write, change in zip(writes, outcome.done, strict=False):
            write.saved()
            self.changed.emit(change)
        if outcome.refused is None:
            self.accept()
            return
        self._enable()
        refused = writes[outcome.refused]
        refused.message.error(outcome.message)
        self.show_page(next(page for page in self.pages if page.owns(refused.message)))
