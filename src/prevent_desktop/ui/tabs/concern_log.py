"""The Concern log tab: concerns about apprentices and what was decided about them.

Who sees what is the service's decision (list_concerns is already scoped); this tab shapes
the page to it: staff see the concerns they logged, managers the list without identities,
leads everything, with the person column, grouping and the retention review. The list never
shows an account; details open only on an explicit action, which the service logs.

Everything comes from one load on the worker; writes come back as ChangeSets, broadcast by
the main window, so the tab reloads the same way whoever made the change. A first load shows
the newest concerns at once while the whole log is read behind them (a head office's 50,000
take seconds): the filters wait for the whole log, so a search never misses a concern that
has not arrived yet.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from prevent_desktop.domain.concern import ConcernStatus
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import KnownError
from prevent_desktop.services.concern_views import ConcernSummary, ReporterView
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.filter_proxy import select_row, selected_item
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.keyboard import set_tab_order
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE
from prevent_desktop.ui.tabs.concern_counts import CountsStrip
from prevent_desktop.ui.tabs.concern_filters import (
    ConcernFilter,
    ConcernFilterBar,
    ConcernFilterProxy,
)
from prevent_desktop.ui.tabs.concern_log_loading import (
    ConcernLogData,
    FirstRows,
    load_first_rows,
    load_log,
)
from prevent_desktop.ui.tabs.concern_report_form import (
    ConcernReportDialog,
    OwnReportDialog,
    logged_message,
)
from prevent_desktop.ui.tabs.concern_table_model import ConcernTableModel
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.worker import DatabaseWorker, is_cancellation, report_failure

MANAGER_REFUSAL = (
    "Only safeguarding leads read a concern's details. You see the list without who it is "
    "about or what was written."
)
NO_ACCESS = (
    "You are a safeguarding lead, but safeguarding access has not been granted to you on this "
    "database yet, so you cannot read concerns' details. Another lead who holds it grants it "
    "under Site ▸ Users; it takes effect when you next sign in."
)
INTRO = {
    "staff": "The concerns you have logged, and where each stands. The safeguarding lead "
    "sees every concern and decides what happens next.",
    "manager": "Every concern on this site, without who it is about or what was written: "
    "only safeguarding leads read those.",
    "lead": "Every concern on this site. Opening one is recorded: leads can see who opened "
    "a concern and when.",
}
FOCUS_NOTE = "Showing {n} concern(s) from the Overview. Clear filters to see the whole log again."
LOADING_REST = "The newest {shown:,} of {total:,} concerns: loading the rest…"
RETENTION_NOTE = (
    "Retention review: {n} past their review-by date and not on legal hold. Open each to "
    "keep it (giving the reason in its chronology) or delete it."
)


class ConcernLogTab(TabPage):
    title = "Concern log"
    purpose = (
        "Concerns that staff notice and share about apprentices, with the safeguarding lead's "
        "follow-up, referrals, decisions and outcomes, and the reasons for each decision."
    )
    evidence = (
        "Evidence for area 4 of the strategy, Apprentice Support: supporting at-risk "
        "apprentices through safeguarding processes."
    )
    record_types = frozenset(
        {
            "concern",
            "concern_step",
            "concern_entry",
            "concern_referral",
            "concern_attachment",
            "concern_option",
            "user",
        }
    )
    shows_empty_state = False

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        concerns = workspace.concerns
        self.sees_all = workspace.actor.can(Permission.LIST_CONCERNS)
        self.is_lead = concerns.is_lead
        self.holds_key = concerns.holds_key()
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self._data: ConcernLogData | None = None
        self._select_after: str | None = None
        self._details: dict[str, QDialog] = {}
        # Only the first rows are shown, of this many (None: the whole log, or nothing).
        self._partial_total: int | None = None

        role = "lead" if self.holds_key else "manager" if self.sees_all else "staff"
        self.intro_label = QLabel(INTRO[role], self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setStyleSheet(NOTE_STYLE)
        self.access_label = QLabel(f"⚠ {NO_ACCESS}", self)
        self.access_label.setObjectName("noSafeguardingAccess")
        self.access_label.setWordWrap(True)
        self.access_label.setStyleSheet(ERROR_STYLE)
        self.access_label.setVisible(self.is_lead and not self.holds_key)
        self.intro_label.setVisible(not (self.is_lead and not self.holds_key))
        self.counts = CountsStrip(self)
        self.counts.setVisible(self.sees_all)
        self.filter_bar = ConcernFilterBar(self.holds_key, self)
        # Concerns the Overview asked to show (None: no such restriction).
        self._focus_ids: frozenset[str] | None = None
        self.model = ConcernTableModel(with_person=self.holds_key, parent=self)
        self.proxy = ConcernFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()

        self.log_button = QPushButton("&Log a concern…", self)
        self.log_button.setObjectName("logConcernButton")
        self.log_button.setToolTip("Record something you saw or heard. In an emergency call 999.")
        self.log_button.setStyleSheet("QPushButton { font-weight: bold; padding: 6px 14px; }")
        self.open_button = QPushButton("&Open…", self)
        self.retention_button = QPushButton("&Retention review", self)
        self.retention_button.setCheckable(True)
        self.retention_button.setToolTip(
            "Only the concerns past their review-by date and not on legal hold"
        )
        self.retention_button.setVisible(self.holds_key)
        self.count_label = QLabel(self)
        notice = QLabel(self)
        notice.setWordWrap(True)
        notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = FormMessage(notice)

        buttons = QHBoxLayout()
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retention_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(scrolling_body(self))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.access_label)
        layout.addWidget(self.counts)
        layout.addWidget(self.filter_bar)
        layout.addLayout(buttons)
        layout.addWidget(notice)
        layout.addWidget(self.table, 1)

        self.filter_bar.filter_changed.connect(self._filters_changed)
        self.filter_bar.clear_button.clicked.connect(self._drop_focus)
        self.filter_bar.group_check.toggled.connect(self._group_toggled)
        self.counts.awaiting_button.clicked.connect(
            lambda: self.filter_bar.choose(
                self.filter_bar.status_combo, ConcernStatus.REPORTED.value
            )
        )
        self.counts.overdue_button.clicked.connect(
            lambda: self.filter_bar.overdue_check.setChecked(True)
        )
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        self.log_button.clicked.connect(self.log_concern)
        self.open_button.clicked.connect(self.open_concern)
        self.retention_button.toggled.connect(self._retention_toggled)
        # Read order: the counts, the filters, the buttons above the list, the list.
        set_tab_order(
            self.counts,
            self.filter_bar,
            self.log_button,
            self.open_button,
            self.retention_button,
            self.table,
        )
        self._update_buttons()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        # Tab moves on to the next control, not cell by cell through every concern.
        table.setTabKeyNavigation(False)
        table.setObjectName("concernTable")
        table.setAccessibleName("Concerns")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(ConcernTableModel.RECORDED, Qt.SortOrder.DescendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        # Fixed starting widths and the last column stretching: on a narrow screen the table
        # scrolls sideways rather than squeezing one column to nothing.
        header.setStretchLastSection(True)
        for column, width in (
            (ConcernTableModel.REF, 95),
            (ConcernTableModel.OBSERVED, 120),
            (ConcernTableModel.RECORDED, 120),
            (ConcernTableModel.REPORTED_BY, 105),
            (ConcernTableModel.STATUS, 165),
            (ConcernTableModel.TYPE, 165),
            (ConcernTableModel.RISK, 120),
            (ConcernTableModel.LEAD, 115),
            (ConcernTableModel.FOLLOW_UP, 130),
            (ConcernTableModel.PERSON, 195),
            (ConcernTableModel.REVIEW_BY, 110),
        ):
            if column < self.model.columnCount():
                header.resizeSection(column, width)
        if self.model.with_person:
            # Who it is about matters most to a lead: beside the reference.
            header.moveSection(ConcernTableModel.PERSON, 1)
        header.sortIndicatorChanged.connect(self._sorted)
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        table.doubleClicked.connect(lambda _index: self.open_concern())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_concern)
        return table

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, workspace = self._generation, self.workspace
        retention = self.retention_button.isChecked()
        if self._data is None and not retention and self._partial_total is None:
            # Nothing shown yet: the newest concerns first, then the whole log. The worker
            # runs tasks in order, so the first rows never arrive after the whole log.
            self.worker.submit(
                lambda _task: load_first_rows(workspace),
                lambda rows: (
                    self._show_first_rows(rows) if generation == self._generation else None
                ),
                self._first_rows_failed,
                parent_widget=self,
            )
        self.worker.submit(
            lambda _task: load_log(workspace, retention),
            lambda data: self._show(data) if generation == self._generation else None,
            lambda error: self._load_failed(error, generation),
            parent_widget=self,
        )

    def _first_rows_failed(self, error: BaseException) -> None:
        # A known failure (a damaged or locked file) also stops the whole log's load, queued
        # next, which says so; anything else is a fault of this step, reported as one.
        if not isinstance(error, KnownError) and not is_cancellation(error):
            report_failure(error, self)

    def _load_failed(self, error: BaseException, generation: int) -> None:
        """The whole log could not be read: the newest rows are not left on their own as if
        they were the log, and the filters are back for the next load."""
        if generation == self._generation and self._partial_total is not None:
            self._show_partial(None)
            self.model.clear()
        report_failure(error, self)

    def clear(self) -> None:
        self._generation += 1
        self._data = None
        self._show_partial(None)
        self.model.clear()
        self.counts.clear()
        self.notice.clear()
        self.filter_bar.set_choices([], [])
        self.proxy.update_filter(only_ids=None)
        self._focus_ids = None
        self.title_changed.emit(self.title)

    def _show_first_rows(self, rows: FirstRows) -> None:
        if self._data is not None:
            return
        self._show_partial(rows.total if len(rows.concerns) < rows.total else None)
        self.model.set_concerns(rows.concerns)
        self.first_rows_shown.emit()

    def _show_partial(self, total: int | None) -> None:
        """While only the first rows are shown (of `total`), nothing that needs the whole log
        is offered: the filters and sorting would work on the newest concerns alone."""
        self._partial_total = total
        self.filter_bar.setEnabled(total is None)
        self.table.horizontalHeader().setSectionsClickable(total is None)

    def _show(self, data: ConcernLogData) -> None:
        chosen = self._select_after or (self.selected().id if self.selected() else None)
        self._select_after = None
        self._show_partial(None)
        self._data = data
        self.model.set_concerns(data.concerns)
        leads = {s.assigned_lead_id: s.assigned_lead_name for s in data.concerns}
        self.filter_bar.set_choices(
            data.types,
            sorted(
                ((name, lead_id) for lead_id, name in leads.items() if lead_id),
                key=lambda pair: pair[0].casefold(),
            ),
        )
        if data.counts is not None:
            self.counts.show_counts(data.counts)
        self.proxy.update_filter(
            only_ids=data.retention_ids if data.retention_ids is not None else self._focus_ids
        )
        if data.retention_ids is not None:
            self.notice.note(RETENTION_NOTE.format(n=len(data.retention_ids)))
        if chosen is not None:
            self.select_concern(chosen)
        self._update_buttons()
        self.title_changed.emit(self.tab_title())
        self.loaded.emit()

    def tab_title(self) -> str:
        if self._data is None or self._data.counts is None:
            return self.title
        waiting = self._data.counts.awaiting_review
        return f"{self.title} ({waiting} awaiting)" if waiting else self.title

    # ---- selection and filters -----------------------------------------------------------

    def selected(self) -> ConcernSummary | None:
        return selected_item(self.table, self.proxy, self.model)  # type: ignore[no-any-return]

    def select_concern(self, concern_id: str) -> None:
        select_row(self.table, self.proxy, self.model, self.model.row_of(concern_id))

    # ---- links from the Overview ---------------------------------------------------------

    def show_awaiting_lead(self) -> None:
        self._reset_filters()
        self.filter_bar.choose(self.filter_bar.status_combo, ConcernStatus.REPORTED.value)

    def show_follow_ups_overdue(self) -> None:
        self._reset_filters()
        self.filter_bar.overdue_check.setChecked(True)

    def show_only(self, concern_ids: frozenset[str]) -> None:
        """Only these concerns (a referral review due, a follow-up that fell due), until the
        filters are cleared."""
        self._reset_filters()
        self._focus_ids = frozenset(concern_ids)
        self.proxy.update_filter(only_ids=self._focus_ids)
        self.notice.note(FOCUS_NOTE.format(n=len(concern_ids)))

    def _reset_filters(self) -> None:
        if self.retention_button.isChecked():
            self.retention_button.setChecked(False)
        self._drop_focus()
        self.filter_bar.reset()

    def _drop_focus(self) -> None:
        if self._focus_ids is not None:
            self._focus_ids = None
            self.notice.clear()
            self.proxy.update_filter(only_ids=None)

    def _filters_changed(self, concern_filter: ConcernFilter) -> None:
        # The bar knows nothing of the retention review; keep it as it is.
        self.proxy.set_filter(replace(concern_filter, only_ids=self.proxy.concern_filter.only_ids))

    def _group_toggled(self, on: bool) -> None:
        if on:
            self.table.sortByColumn(ConcernTableModel.PERSON, Qt.SortOrder.AscendingOrder)
        else:
            self.table.sortByColumn(ConcernTableModel.RECORDED, Qt.SortOrder.DescendingOrder)

    def _sorted(self, column: int, _order: Qt.SortOrder) -> None:
        # Sorting by anything else takes the grouping apart: say so by unticking it.
        if column != ConcernTableModel.PERSON and self.filter_bar.group_check.isChecked():
            self.filter_bar.group_check.blockSignals(True)
            self.filter_bar.group_check.setChecked(False)
            self.filter_bar.group_check.blockSignals(False)

    def _retention_toggled(self, on: bool) -> None:
        if not on:
            self.notice.clear()
            self.proxy.update_filter(only_ids=None)
        self.refresh()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        noun = "concern" if total == 1 else "concerns"
        if self._partial_total is not None:
            text = LOADING_REST.format(shown=total, total=self._partial_total)
        elif shown == total:
            text = f"{total:,} {noun}"
        else:
            text = f"Showing {shown:,} of {total:,} {noun}"
        self.count_label.setText(text)
        self._update_buttons()

    def open_refusal(self, summary: ConcernSummary | None) -> str | None:
        """Why the selected concern cannot be opened by this user, or None when it can."""
        if summary is None:
            return "Choose a concern in the list first."
        if self.holds_key or summary.reported_by_me:
            return None
        return NO_ACCESS if self.is_lead else MANAGER_REFUSAL

    def _update_buttons(self) -> None:
        summary = self.selected()
        refusal = self.open_refusal(summary)
        self.open_button.setEnabled(refusal is None)
        if summary is not None and refusal is None and not self.holds_key:
            self.open_button.setToolTip("Read what you wrote, and where the concern stands")
        else:
            self.open_button.setToolTip(refusal or "The concern in full, with its chronology")

    # ---- opening and logging -------------------------------------------------------------

    def _open(self, dialog: QDialog, modal: bool = True) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        changed = getattr(dialog, "changed", None)
        if changed is not None:
            changed.connect(self._written)
        if modal:
            dialog.open()
        else:
            dialog.show()
        return dialog

    def _written(self, change: ChangeSet) -> None:
        if change.record_type == "concern" and change.action == "create" and change.ids:
            self._select_after = change.ids[0]
        self.changed.emit(change)

    def log_concern(self) -> ConcernReportDialog:
        dialog = ConcernReportDialog(self.worker, self.workspace, self)
        dialog.logged.connect(
            lambda reference, danger: self.notice.note(logged_message(reference, danger))
        )
        self.notice.clear()
        self._open(dialog)
        return dialog

    def open_concern(self) -> QDialog | None:
        """The lead's full view; the reporter's own report; nothing for anyone else."""
        summary = self.selected()
        if summary is None or self.open_refusal(summary) is not None:
            return None
        if self.holds_key:
            return self._open_details(summary.id)
        concerns, concern_id = self.workspace.concerns, summary.id
        self.worker.submit(
            lambda _task: concerns.open_own_report(concern_id),
            self._show_own_report,
            parent_widget=self,
        )
        return None

    def _open_details(self, concern_id: str) -> QDialog:
        open_already = self._details.get(concern_id)
        if open_already is not None:
            open_already.raise_()
            open_already.activateWindow()
            return open_already
        # Imported here: the detail view is large, and only leads ever open it.
        from prevent_desktop.ui.tabs.concern_detail import ConcernDetailDialog

        dialog = ConcernDetailDialog(self.worker, self.workspace, concern_id, self)
        self._details[concern_id] = dialog
        dialog.destroyed.connect(lambda _obj=None, key=concern_id: self._details.pop(key, None))
        dialog.finished.connect(lambda _result, key=concern_id: self._details.pop(key, None))
        return self._open(dialog, modal=False)

    def _show_own_report(self, view: ReporterView) -> None:
        self._open(OwnReportDialog(view, self), modal=False)
