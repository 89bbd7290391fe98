"""What every tab shares: its place in the change broadcast, loading on demand, and an honest
empty state.

Only the tab in front loads at once (issue 9: unlocking a head-office-sized database must not
wait for six tabs). A tab behind the others is marked stale instead, and loads when it comes to
the front, or earlier when the main window preloads it while nothing else is waiting.

Until a tab's own issue builds its records, the page says what it will hold and which part of
the organisation's Prevent strategy it evidences, rather than showing sample data.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

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
    # After each load has been shown (the main window's preloading and tests wait for it).
    loaded = Signal()
    # A long first load may show its first rows while the rest is read: emitted when they
    # are shown, before `loaded` (the tabs benchmark times a first show to whichever comes
    # first).
    first_rows_shown = Signal()

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__()
        self.setObjectName(type(self).__name__)
        self.worker = worker
        self.workspace = workspace
        self.empty_state = self._build_empty_state() if self.shows_empty_state else None
        # True until the first load, and again when a change arrives while the tab is behind.
        self.stale = True
        # True from load() until that load has been shown.
        self.loading = False
        self._after_load: list[Callable[[], None]] = []  # when_loaded's actions, waiting
        self.loaded.connect(self._load_shown)

    def in_front(self) -> bool:
        """Whether the tab is the one shown in its tab bar (a tab on its own, as tests make
        them, always is)."""
        stack = self.parentWidget()
        return not isinstance(stack, QStackedWidget) or stack.currentWidget() is self

    def load(self) -> None:
        """Load now, whatever the tab's place."""
        self.stale = False
        self.loading = True
        self.refresh()

    def _load_shown(self) -> None:
        self.loading = False
        waiting, self._after_load = self._after_load, []
        for action in waiting:
            action()

    def when_loaded(self, action: Callable[[], None]) -> None:
        """`action()` now if the tab shows its records, else once its load has been shown: a
        link from the Overview picks a course or a plan that a tab not yet loaded does not
        have in its lists."""
        if self.stale or self.loading:
            self._after_load.append(action)
        else:
            action()

    def drop_waiting(self) -> None:
        """Forget when_loaded's actions (the window is locking: they belong to this session)."""
        self._after_load.clear()
        self.loading = False

    def load_if_stale(self) -> bool:
        if not self.stale:
            return False
        self.load()
        return True

    def refresh(self) -> None:
        """Reload what the tab shows. The empty state has nothing to load."""

    def clear(self) -> None:
        """Drop every displayed record (the app is locking). The empty state holds none."""

    def on_changed(self, change: ChangeSet) -> None:
        if change.record_type not in self.record_types:
            return
        if self.in_front():
            self.load()
        else:
            self.stale = True

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
