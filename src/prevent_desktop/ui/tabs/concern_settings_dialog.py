"""The concern log's configurable parts: the indicator checklist, the types of concern, and
the retention rule.

Managers and leads edit the lists (the service's EDIT_CONCERN_LISTS). A label dropped from a
list is retired, not deleted: concerns recorded with it keep it. The retention rule needs the
sealed dates of birth to work out every review-by date again, so only a lead who holds the
safeguarding key may change it; others see it read-only, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.concern import RetentionRule
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.setting_fields import retention_spins
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker

RULE_NOTE = (
    "Each concern is kept until its review-by date: the date of birth plus the first number "
    "of years or, when the date of birth is not known, the second number of years after the "
    "concern is closed. Past that date it appears in the retention review."
)


class OptionListEditor(QGroupBox):
    """One ordered list: add, rename (double-click or F2), remove, move, then Save."""

    save_requested = Signal(list)

    def __init__(self, title: str, example: str, can_edit: bool, parent: QWidget) -> None:
        super().__init__(title, parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.new_edit = QLineEdit(self)
        self.new_edit.setPlaceholderText(f"New entry, e.g. {example}")
        self.new_edit.setAccessibleName(f"New entry for {title.lower()}")
        self.add_button = QPushButton("&Add", self)
        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move do&wn", self)
        self.remove_button = QPushButton("Re&move", self)
        self.save_button = QPushButton("&Save list", self)
        label = QLabel(self)
        label.setWordWrap(True)
        self.message = FormMessage(label)

        side = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_edit, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(add_row)
        layout.addWidget(label)

        editing = (self.new_edit, self.add_button, self.up_button, self.down_button)
        for widget in (*editing, self.remove_button, self.save_button):
            widget.setVisible(can_edit)
        self._can_edit = can_edit
        self.add_button.clicked.connect(self.add_entry)
        self.new_edit.returnPressed.connect(self.add_entry)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.labels()))

    def set_labels(self, labels: list[str]) -> None:
        self.list.clear()
        for label in labels:
            self._append(label)

    def _append(self, label: str) -> None:
        item = QListWidgetItem(label, self.list)
        if self._can_edit:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)

    def labels(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def add_entry(self) -> None:
        text = " ".join(self.new_edit.text().split())
        if not text:
            return
        self._append(text)
        self.list.setCurrentRow(self.list.count() - 1)
        self.new_edit.clear()
        self.message.note("Added: Save the list to keep it.")

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.message.note(
                "Removed: Save the list to keep it. Concerns already recorded keep the entry."
            )


class ConcernSettingsDialog(QDialog):
    """Emits `changed(ChangeSet)` after each save, so the concern log reloads."""

    changed = Signal(object)
    loaded = Signal()

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Concern log settings")
        self._worker = worker
        self._concerns = workspace.concerns
        can_edit = workspace.actor.can(Permission.EDIT_CONCERN_LISTS)
        self.can_set_rule = self._concerns.holds_key()

        self.indicators = OptionListEditor(
            "Indicators (the checklist)", "Refuses to work alongside others", can_edit, self
        )
        self.types = OptionListEditor("Types of concern", "Incel-related", can_edit, self)
        self.indicators.save_requested.connect(lambda labels: self._save_list("indicator", labels))
        self.types.save_requested.connect(lambda labels: self._save_list("type", labels))

        self.birth_spin, self.closure_spin = retention_spins(self)
        self.save_rule_button = QPushButton("Save &retention rule", self)
        self.save_rule_button.clicked.connect(self._save_rule)
        note = QLabel(RULE_NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        rule_label = QLabel(self)
        rule_label.setWordWrap(True)
        self.rule_message = FormMessage(rule_label)
        rule = QGroupBox("Retention rule", self)
        form = QFormLayout(rule)
        form.addRow(note)
        form.addRow("Keep until date of &birth plus:", self.birth_spin)
        form.addRow("Without a date of birth, &after closure:", self.closure_spin)
        form.addRow(rule_label)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_rule_button)
        form.addRow(save_row)
        if not self.can_set_rule:
            for widget in (self.birth_spin, self.closure_spin, self.save_rule_button):
                widget.setEnabled(False)
            self.save_rule_button.setToolTip(
                "Only a safeguarding lead with safeguarding access can change the rule: the "
                "review-by dates depend on dates of birth that only leads can read."
            )

        lists = QHBoxLayout()
        lists.addWidget(self.indicators, 1)
        lists.addWidget(self.types, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addWidget(rule)
        layout.addWidget(close)
        fit_to_screen(self, QSize(1000, 640))
        self._load()

    def _load(self) -> None:
        concerns = self._concerns
        self._worker.submit(
            lambda _task: (
                concerns.options("indicator"),
                concerns.options("type"),
                concerns.retention_rule(),
            ),
            self._loaded,
            self.rule_message.failure_handler(self),
            parent_widget=self,
        )

    def _loaded(self, loaded: tuple[list[str], list[str], RetentionRule]) -> None:
        indicators, types, rule = loaded
        self.indicators.set_labels(indicators)
        self.types.set_labels(types)
        self.birth_spin.setValue(rule.years_after_birth)
        self.closure_spin.setValue(rule.years_after_closure)
        self.loaded.emit()

    def _save_list(self, kind: str, labels: list[str]) -> None:
        editor = self.indicators if kind == "indicator" else self.types
        editor.message.clear()
        concerns = self._concerns
        self._write(
            lambda: concerns.set_options(kind, labels),
            editor.message,
            "Saved. Concerns logged from now on use this list.",
        )

    def _save_rule(self) -> None:
        self.rule_message.clear()
        concerns = self._concerns
        rule = RetentionRule(self.birth_spin.value(), self.closure_spin.value())
        self._write(
            lambda: concerns.set_retention_rule(rule),
            self.rule_message,
            "Saved. Every concern's review-by date has been worked out again.",
        )

    def _write(self, write: Callable[[], ChangeSet], message: FormMessage, done: str) -> None:
        def saved(change: ChangeSet) -> None:
            message.note(done)
            self.changed.emit(change)

        self._worker.submit(
            lambda _task: write(), saved, message.failure_handler(self), parent_widget=self
        )
