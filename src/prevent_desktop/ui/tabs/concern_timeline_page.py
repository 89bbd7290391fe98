"""The "Timeline" page of the concern detail dialog: the merged timeline, the selected item in
full, and the buttons that add to it. Which buttons are on depends on what is selected: an
entry can be corrected, a referral gets its outcome and reviews, an attachment a copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.concern_views import ConcernDetailView
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.tabs.concern_timeline import (
    TimelineItem,
    TimelineModel,
    build_timeline,
    timeline_table,
)

SELECT_HINTS = {
    "correct": "Select a chronology entry in the timeline to correct it.",
    "outcome": "Select a referral in the timeline to record its outcome.",
    "review": "Select a referral in the timeline to record its reviews.",
    "save_copy": "Select an attachment in the timeline to save a copy.",
}


class ConcernTimelinePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TimelineModel(self)
        self.view = timeline_table(self.model, self)
        self.view.setAccessibleName("Timeline")
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText("Select an item to read it in full.")
        self.preview.setAccessibleName("The selected item in full")

        def button(text: str, tooltip: str) -> QPushButton:
            made = QPushButton(text, self)
            made.setToolTip(tooltip)
            return made

        self.add_entry_button = button("Add &entry…", "Add a note, call, meeting or action")
        self.correct_button = button("&Correct selected entry…", SELECT_HINTS["correct"])
        self.add_referral_button = button("Add re&ferral…", "Record a referral to an agency")
        self.outcome_button = button("Record &outcome…", SELECT_HINTS["outcome"])
        self.review_button = button("Record re&view…", SELECT_HINTS["review"])
        self.attach_button = button("Attac&h file…", "Attach a document or photo (10 MB at most)")
        self.save_copy_button = button("Save a cop&y…", SELECT_HINTS["save_copy"])
        row = QHBoxLayout()
        for made in (
            self.add_entry_button,
            self.correct_button,
            self.add_referral_button,
            self.outcome_button,
            self.review_button,
            self.attach_button,
            self.save_copy_button,
        ):
            row.addWidget(made)
        row.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        # The buttons sit above the timeline, the full text below it.
        set_tab_order(
            self.add_entry_button,
            self.correct_button,
            self.add_referral_button,
            self.outcome_button,
            self.review_button,
            self.attach_button,
            self.save_copy_button,
            self.view,
            self.preview,
        )
        self._selection_changed()

    def show_view(self, view: ConcernDetailView, select_id: str | None = None) -> None:
        """Show the timeline, keeping the selection (or selecting `select_id`, a new item)."""
        keep = select_id or self._source_id(self.selected_item())
        self.model.set_rows(build_timeline(view))
        if keep is not None:
            self.select_source(keep)
        self._selection_changed()

    def select_source(self, source_id: str) -> bool:
        for row, item in enumerate(self.model.items()):
            if self._source_id(item) == source_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                return True
        return False

    def selected_item(self) -> TimelineItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    @staticmethod
    def _source_id(item: TimelineItem | None) -> str | None:
        return getattr(item.source, "id", None) if item is not None else None

    def _selection_changed(self) -> None:
        item = self.selected_item()
        self.preview.setPlainText(item.full_text() if item is not None else "")
        self.correct_button.setEnabled(item is not None and item.entry is not None)
        referral = item is not None and item.referral is not None
        self.outcome_button.setEnabled(referral)
        self.review_button.setEnabled(referral)
        self.save_copy_button.setEnabled(item is not None and item.attachment is not None)
