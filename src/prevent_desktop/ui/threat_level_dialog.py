"""The national threat level: what it is now, how it has changed, and (for managers) a form to
record a change. The service refuses non-managers whatever this dialog shows."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QDialog, QHeaderView, QWidget

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import uk_format
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.threat_level_dialog_ui import Ui_ThreatLevelDialog
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.threat_history_model import DATE_FORMAT, ThreatHistoryTableModel
from prevent_desktop.ui.worker import DatabaseWorker

# The public threat level system began on 1 August 2006; nothing earlier can be a real entry.
EARLIEST_LEVEL_DATE = QDate(2006, 8, 1)


class ThreatLevelDialog(QDialog):
    """Emits `changed(ChangeSet)` after recording a change, for the main window to broadcast."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ThreatLevelDialog()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._message = FormMessage(self.ui.formMessageLabel)
        self._loaded = False

        self.ui.currentBadge.set_interactive(False)
        self.ui.currentBadge.setMinimumWidth(150)
        self.ui.currentMeaningLabel.setStyleSheet("font-size: 12pt;")

        self.model = ThreatHistoryTableModel(self)
        view = self.ui.historyView
        view.setModel(self.model)
        header = view.horizontalHeader()
        for column in (self.model.DATE, self.model.LEVEL, self.model.SET_BY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        may_set = workspace.actor.can(Permission.SET_THREAT_LEVEL)
        self.ui.formGroup.setVisible(may_set)
        self.ui.viewOnlyLabel.setVisible(not may_set)
        self._prepare_form()
        ui = self.ui
        # Top to bottom: the history, the form to record a change, then Close.
        set_tab_order(
            ui.historyView,
            ui.levelCombo,
            ui.effectiveDateEdit,
            ui.noteEdit,
            ui.saveButton,
            ui.buttonBox,
        )
        self.ui.saveButton.clicked.connect(self._save)
        fit_to_screen(self, self.size())  # the form's size, or the screen's if that is less
        self.reload()

    @property
    def loaded(self) -> bool:
        """True once the current level and history have arrived from the worker."""
        return self._loaded

    def reload(self) -> None:
        site = self._workspace.site
        self._worker.submit(
            lambda _task: (site.current_threat_level(), site.threat_history()),
            self._show,
            parent_widget=self,
        )

    # ---- display -------------------------------------------------------------------------

    def _prepare_form(self) -> None:
        for level in ThreatLevel:
            self.ui.levelCombo.addItem(f"{level.label} — {level.meaning}", level.value)
        today = QDate.currentDate()
        edit = self.ui.effectiveDateEdit
        uk_format(edit)
        # A date in the future is refused by the service too; the widget simply cannot reach one.
        edit.setDateRange(EARLIEST_LEVEL_DATE, today)
        edit.setDate(today)
        edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)

    def _show(self, loaded: tuple[ThreatLevelEntry, list[ThreatLevelEntry]]) -> None:
        current, history = loaded
        self.ui.currentBadge.set_level(current.level)
        self.ui.currentMeaningLabel.setText(f"{current.level.label}: {current.level.meaning}.")
        since = current.effective_on.strftime(DATE_FORMAT)
        who = f", recorded by {current.set_by}" if current.set_by else ""
        self.ui.currentSinceLabel.setText(f"In effect since {since}{who}.")
        self.model.set_entries(history, current.id)
        if not self._loaded:
            # Start the form from the level in force, so a manager changes only what changed.
            index = self.ui.levelCombo.findData(current.level.value)
            self.ui.levelCombo.setCurrentIndex(max(index, 0))
        self._loaded = True

    # ---- recording a change --------------------------------------------------------------

    def _save(self) -> None:
        self._message.clear()
        level = ThreatLevel(self.ui.levelCombo.currentData())
        effective_on: date = self.ui.effectiveDateEdit.date().toPython()  # type: ignore[assignment]
        note = self.ui.noteEdit.text()
        self._set_form_enabled(False)
        self._worker.submit(
            lambda _task: self._workspace.site.set_threat_level(level, effective_on, note),
            lambda change: self._saved(change, level, effective_on),
            self._message.failure_handler(self, after=lambda: self._set_form_enabled(True)),
            parent_widget=self,
        )

    def _saved(self, change: ChangeSet, level: ThreatLevel, effective_on: date) -> None:
        self._set_form_enabled(True)
        self.ui.noteEdit.clear()
        self._message.note(f"Recorded: {level.label} from {effective_on.strftime(DATE_FORMAT)}.")
        self.changed.emit(change)
        self.reload()

    def _set_form_enabled(self, enabled: bool) -> None:
        for widget in (
            self.ui.levelCombo,
            self.ui.effectiveDateEdit,
            self.ui.noteEdit,
            self.ui.saveButton,
        ):
            widget.setEnabled(enabled)

    def clear(self) -> None:
        """Drop what is displayed (the dialog is being closed because the app is locking)."""
        self.model.clear()
        self.ui.noteEdit.clear()
