"""Adding to a concern's chronology, or correcting an entry.

Entries are never edited in place (there is no edit button anywhere): a correction is a new
entry that points at the one it corrects, and both stay on the record. So the correction form
shows the original, read-only, for the lead to refer to while writing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from prevent_desktop.domain.concern import EntryKind
from prevent_desktop.services.concern_views import EntryView
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import aware, date_time_edit
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.tabs.concern_format import when
from prevent_desktop.ui.worker import DatabaseWorker

KINDS = (EntryKind.NOTE, EntryKind.CALL, EntryKind.MEETING, EntryKind.ACTION)
CORRECTION_NOTE = (
    "The original entry stays on the record, marked as corrected by this one. Say what was "
    "wrong and what is right."
)


class EntryDialog(ConcernFormDialog):
    """`corrects=None` adds an entry; otherwise the new entry corrects `corrects`, which is
    entry number `number` of the chronology."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        reference: str,
        corrects: EntryView | None = None,
        number: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        title = "Add chronology entry" if corrects is None else f"Correct entry {number}"
        save_text = "&Add entry" if corrects is None else "&Add correction"
        super().__init__(worker, workspace, concern_id, reference, title, save_text, parent)
        self.corrects = corrects
        # A correction is always of kind "correction": no choice is offered (or built).
        self.kind_combo: QComboBox | None = None
        if corrects is None:
            self.kind_combo = QComboBox(self)
            for kind in KINDS:
                self.kind_combo.addItem(kind.label, kind)
        self.occurred_edit = date_time_edit(self)
        self.body_edit = text_box(
            self,
            "What happened, who was involved, what was said, what happens next (required)",
            lines=7,
        )
        self.original_edit: QPlainTextEdit | None = None
        if corrects is not None:
            original = QPlainTextEdit(corrects.body, self)
            original.setReadOnly(True)
            original.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            original.setMaximumHeight(original.fontMetrics().lineSpacing() * 5 + 14)
            self.original_edit = original
            self.form.addRow(
                "Original:",
                QLabel(
                    f"{corrects.kind.label}, {when(corrects.occurred_at)}, "
                    f"by {corrects.author_name}",
                    self,
                ),
            )
            self.form.addRow("", original)
            self.form.addRow("Kind:", QLabel(EntryKind.CORRECTION.label, self))
        elif self.kind_combo is not None:
            self.form.addRow("&Kind:", self.kind_combo)
        self.form.addRow("&When *", self.occurred_edit)
        self.form.addRow("&Entry *" if corrects is None else "&Correction *", self.body_edit)
        if corrects is not None:
            self.add_note(CORRECTION_NOTE)
        self.finish_layout(620)

    def kind(self) -> EntryKind:
        if self.kind_combo is None:
            return EntryKind.CORRECTION
        return EntryKind(self.kind_combo.currentData())

    def save(self) -> None:
        concerns, concern_id = self._workspace.concerns, self._concern_id
        kind, body, occurred = self.kind(), self.body_edit.toPlainText(), aware(self.occurred_edit)
        corrects_id = self.corrects.id if self.corrects is not None else None

        def write(_task: object) -> ChangeSet:
            return concerns.add_entry(
                concern_id, kind, body, occurred_at=occurred, corrects_entry_id=corrects_id
            )

        self.submit_write(write)
