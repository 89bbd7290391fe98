"""Sync conflicts: records changed on two laptops before they synced, and the choice between
the version in place and the one that lost.

The list and both versions come from `workspace.sync` on the worker (which lists concern
conflicts to safeguarding leads only). The comparison hides the bookkeeping fields and never
shows sealed values: a concern's protected details read "(protected data)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.sync import ConflictView, SyncService
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.sync_import_summary import local_time_text, record_type_words
from prevent_desktop.ui.worker import DatabaseWorker

HIDDEN_FIELDS = frozenset({"id", "hlc", "versions", "origin_site", "created_at", "updated_at"})
DIFFERS = "≠"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A stored choice such as "leadership_values": shown as words.
_CHOICE = re.compile(r"[a-z]+(_[a-z]+)+")
_DIFFERENT_BACKGROUND = QColor("#fff4ce")


@dataclass(frozen=True)
class ConflictRow:
    conflict: ConflictView
    what: str
    from_laptop: str


@dataclass(frozen=True)
class FieldRow:
    field: str
    current: str
    other: str
    differs: bool


def load_conflicts(sync: SyncService) -> list[ConflictRow]:
    """Runs on the worker."""
    labels = {paired.device_id: paired.label for paired in sync.paired_devices()}
    return [
        ConflictRow(
            conflict,
            sync.describe(conflict.id),
            labels.get(conflict.from_device, f"Unknown laptop ({conflict.from_device[:8]})"),
        )
        for conflict in sync.conflicts()
    ]


def value_text(value: Any) -> str:
    """A field's value for reading: UK dates, Yes/No, and nothing sealed."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict) and ("$b64" in value or "$blob" in value):
        return "(protected data)"
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if _ISO_DATE_TIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return local_time_text(moment) if moment.tzinfo else f"{moment:%d/%m/%Y %H:%M}"
        if _CHOICE.fullmatch(value):
            return value.replace("_", " ").capitalize()
        return value
    return str(value)


def field_words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def compare(current: dict[str, Any] | None, other: dict[str, Any]) -> list[FieldRow]:
    """The fields of both versions side by side, bookkeeping left out."""
    names = [name for name in other if name not in HIDDEN_FIELDS]
    if current is not None:
        names += [name for name in current if name not in HIDDEN_FIELDS and name not in other]
    rows = []
    for name in names:
        now = current.get(name) if current is not None else None
        then = other.get(name)
        rows.append(
            FieldRow(
                field_words(name),
                value_text(now) if current is not None else "(no longer exists)",
                value_text(then),
                current is None or now != then,
            )
        )
    return rows


class ConflictTableModel(RowTableModel):
    WHAT, TYPE, FOUND, FROM = range(4)
    HEADERS = ("What", "Type", "Found", "From laptop")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: ConflictRow | None = self.row_item(index)
        if row is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == self.WHAT:
            text = row.what
        elif column == self.TYPE:
            text = record_type_words(row.conflict.record_type)
        elif column == self.FOUND:
            text = local_time_text(row.conflict.detected_at)
        else:
            text = row.from_laptop
        return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text


class FieldComparisonModel(RowTableModel):
    FIELD, CURRENT, OTHER = range(3)
    HEADERS = ("Field", "Current version", "Other version")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: FieldRow | None = self.row_item(index)
        if row is None:
            return None
        column = index.column()
        text = (row.field, row.current, row.other)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            # The mark says it for people who cannot tell the tint, and for screen readers.
            return f"{DIFFERS} {text}" if column == self.FIELD and row.differs else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(text)
        if role == Qt.ItemDataRole.FontRole and row.differs:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.differs:
            return QBrush(_DIFFERENT_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.differs:
            return QBrush(QColor("#1f1f1f"))  # readable on the tint in a dark theme too
        return None


def _table(parent: QWidget, name: str, model: RowTableModel) -> QTableView:
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    return view


class SyncConflictsDialog(QDialog):
    """Emits `records_changed` after a conflict is settled, for the main window to reload."""

    records_changed = Signal()

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncConflictsDialog")
        self.setWindowTitle("Prevent Desktop — Sync conflicts")
        self._worker = worker
        self._sync = workspace.sync
        self._generation = 0  # bumped per selection: a slow load for an old one is dropped
        self.loaded = False
        self.compared: ConflictRow | None = None

        intro = QLabel(
            "These records were changed on two laptops before the laptops synced. The later "
            "change is in place; the other version was kept here. Choose which stays: your "
            "choice reaches the other laptops with the next bundle.",
            self,
        )
        intro.setWordWrap(True)
        self.model = ConflictTableModel(self)
        self.list_view = _table(self, "conflictsView", self.model)
        self.list_view.setAccessibleName("Sync conflicts to review")
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConflictTableModel.WHAT, QHeaderView.ResizeMode.Stretch)
        self.list_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.empty_label = QLabel("No sync conflicts to review.", self)
        self.empty_label.setStyleSheet(NOTE_STYLE)
        self.empty_label.hide()

        self.compare_title = QLabel("Choose a conflict above to compare its two versions.", self)
        self.compare_title.setWordWrap(True)
        self.comparison = FieldComparisonModel(self)
        self.compare_view = _table(self, "comparisonView", self.comparison)
        self.compare_view.setAccessibleName("The two versions, field by field")
        compare_header = self.compare_view.horizontalHeader()
        compare_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        compare_header.setSectionResizeMode(
            FieldComparisonModel.FIELD, QHeaderView.ResizeMode.ResizeToContents
        )
        legend = QLabel(
            f"{DIFFERS} and bold mark the fields that differ. Ids, clock stamps and version "
            "numbers are not shown.",
            self,
        )
        legend.setStyleSheet(NOTE_STYLE)
        legend.setWordWrap(True)

        self.keep_button = QPushButton("&Keep current", self)
        self.keep_button.setAccessibleName("Keep the current version")
        self.use_other_button = QPushButton("&Use the other version", self)
        self.use_other_button.setAccessibleName("Use the other version instead")
        for button in (self.keep_button, self.use_other_button):
            button.setAutoDefault(False)
        self.keep_button.clicked.connect(self.keep_current)
        self.use_other_button.clicked.connect(self.use_other)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.keep_button)
        actions.addWidget(self.use_other_button)
        message = QLabel(self)
        message.setWordWrap(True)
        self._message = FormMessage(message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        # The comparison and its buttons, hidden with the list when nothing is left.
        self.compare_panel = QWidget(self)
        panel = QVBoxLayout(self.compare_panel)
        panel.setContentsMargins(0, 6, 0, 0)
        for widget in (self.compare_title, self.compare_view, legend):
            widget.setParent(self.compare_panel)
            panel.addWidget(widget, 1 if widget is self.compare_view else 0)
        for button in (self.keep_button, self.use_other_button):
            button.setParent(self.compare_panel)
        panel.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.compare_panel, 3)
        layout.addStretch(0)
        layout.addWidget(message)
        layout.addWidget(buttons)
        self.resize(960, 720)
        self._update_buttons()
        self.reload()

    # ---- the list ------------------------------------------------------------------------

    def reload(self) -> None:
        sync = self._sync
        self._worker.submit(lambda _task: load_conflicts(sync), self._show, parent_widget=self)

    def _show(self, rows: list[ConflictRow]) -> None:
        self.model.set_rows(rows)
        self.comparison.clear()
        self.compared = None
        self.list_view.setVisible(bool(rows))
        self.compare_panel.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self.compare_title.setText("Choose a conflict above to compare its two versions.")
        self.loaded = True
        if rows:
            self.list_view.selectRow(0)
            self.list_view.setFocus()
        self._update_buttons()

    def selected(self) -> ConflictRow | None:
        rows = self.list_view.selectionModel().selectedRows()
        return self.model.row_item(rows[0]) if rows else None

    def _selection_changed(self) -> None:
        self._generation += 1
        self.compared = None
        self.comparison.clear()
        self._update_buttons()
        row = self.selected()
        if row is None:
            return
        generation, sync, conflict_id = self._generation, self._sync, row.conflict.id
        self._worker.submit(
            lambda _task: (sync.current_version(conflict_id), sync.losing_version(conflict_id)),
            lambda versions: self._compare(row, versions, generation),
            self._message.failure_handler(self),
            parent_widget=self,
        )

    def _compare(
        self,
        row: ConflictRow,
        versions: tuple[dict[str, Any] | None, dict[str, Any]],
        generation: int,
    ) -> None:
        if generation != self._generation:
            return  # another conflict was chosen meanwhile
        current, other = versions
        self.comparison.set_rows(compare(current, other))
        self.compare_view.resizeRowsToContents()
        self.compare_title.setText(
            f"{row.what}: the current version, and the other version from {row.from_laptop}"
        )
        self.compared = row
        self._update_buttons()

    # ---- settling ------------------------------------------------------------------------

    def keep_current(self) -> None:
        row = self.compared
        if row is not None:
            self._resolve(row, restore_losing=False)

    def use_other(self) -> None:
        row = self.compared
        if row is None or not confirmation.ask(
            self,
            "Use the other version",
            f"Replace the current version of {row.what} with the other version?",
            "&Use the other version",
            "The fields marked ≠ change to the other version's values. The change is recorded "
            "in the audit log and reaches the other laptops with the next bundle.",
        ):
            return
        self._resolve(row, restore_losing=True)

    def _resolve(self, row: ConflictRow, *, restore_losing: bool) -> None:
        self._message.clear()
        self.setEnabled(False)
        sync, conflict_id = self._sync, row.conflict.id
        self._worker.submit(
            lambda _task: sync.resolve(conflict_id, restore_losing=restore_losing),
            lambda _none: self._resolved(row, restore_losing),
            self._message.failure_handler(self, after=self._settled_or_not),
            parent_widget=self,
        )

    def _settled_or_not(self) -> None:
        self.setEnabled(True)
        self.reload()  # another window may have settled it already

    def _resolved(self, row: ConflictRow, restored: bool) -> None:
        self.setEnabled(True)
        self._message.note(
            f"{row.what}: the other version is back in place."
            if restored
            else f"{row.what}: the current version is kept."
        )
        self.records_changed.emit()
        self.reload()

    def _update_buttons(self) -> None:
        ready = self.compared is not None
        self.keep_button.setEnabled(ready)
        self.use_other_button.setEnabled(ready)
