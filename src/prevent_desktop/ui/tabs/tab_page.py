"""What every tab shares: its place in the change broadcast, and an honest empty state.

Until a tab's own issue builds its records, the page says what it will hold and which part of
the organisation's Prevent strategy it evidences, rather than showing sample data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.worker import DatabaseWorker

_TEXT_WIDTH = 560


class TabPage(QWidget):
    """A tab. Subclasses set the class attributes and, once they show records, override
    `refresh` (reload on the worker) and `clear` (drop everything displayed)."""

    title = ""
    purpose = ""  # one sentence: what the tab holds
    evidence = ""  # which commitment of the strategy it evidences
    # ChangeSet.record_type values that make this tab reload.
    record_types: frozenset[str] = frozenset()
    # A tab that shows records builds its own page instead.
    shows_empty_state = True

    # A write made from the tab, for the main window to broadcast to every tab (this one too).
    changed = Signal(object)
    # The text the tab's label should show now (e.g. with a count of overdue items).
    title_changed = Signal(str)

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__()
        self.setObjectName(type(self).__name__)
        self.worker = worker
        self.workspace = workspace
        self.empty_state = self._build_empty_state() if self.shows_empty_state else None

    def refresh(self) -> None:
        """Reload what the tab shows. The empty state has nothing to load."""

    def clear(self) -> None:
        """Drop every displayed record (the app is locking). The empty state holds none."""

    def on_changed(self, change: ChangeSet) -> None:
        if change.record_type in self.record_types:
            self.refresh()

    def _build_empty_state(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("emptyState")
        panel.setFixedWidth(_TEXT_WIDTH)
        title = QLabel(self.title, panel)
        title.setObjectName("emptyStateTitle")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        purpose = QLabel(self.purpose, panel)
        purpose.setObjectName("emptyStatePurpose")
        purpose.setStyleSheet("font-size: 11pt;")
        evidence = QLabel(self.evidence, panel)
        evidence.setObjectName("emptyStateEvidence")
        status = QLabel("Not built yet: it arrives in a later version of Prevent Desktop.", panel)
        status.setObjectName("emptyStateStatus")
        for label in (evidence, status):
            label.setStyleSheet("color: palette(placeholder-text);")
        # No alignment flags on addWidget: they stop word-wrapped labels getting their height.
        inner = QVBoxLayout(panel)
        inner.setSpacing(10)
        inner.addStretch(2)
        for label in (title, purpose, evidence, status):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            inner.addWidget(label)
            if label is purpose:
                inner.addSpacing(8)
        inner.addStretch(3)

        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel)
        outer.addStretch(1)
        return panel
