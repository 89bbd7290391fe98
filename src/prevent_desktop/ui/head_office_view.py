"""Head office's view, shown instead of the four site tabs when the database is head office's:
the quarters the sites have sent returns for, the organisation's position in the chosen one,
a row per site, the sites not heard from, and what head office does with returns (import one,
save the consolidated PDF or workbook, give sites its public key).

The figures are computed on the worker from the stored returns (reports.quarterly_aggregate),
so what the screen shows is what the PDF and the workbook print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.roles import Permission
from prevent_desktop.reports.quarterly_aggregate import organisation_position
from prevent_desktop.services.head_office import SiteRow
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.head_office_figures import (
    OrganisationFigures,
    SitePositionTableModel,
    not_sent_lines,
)
from prevent_desktop.ui.head_office_files import ReturnFiles
from prevent_desktop.ui.head_office_key_dialog import HeadOfficeKeyDialog
from prevent_desktop.ui.styles import NOTE_STYLE, NOTICE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker

NO_RETURNS = (
    "No returns yet. Give each site head office's public key (Head office's public key…); "
    "a manager there enters it once, and the site then sends a return each quarter (Sync ▸ "
    "Quarterly export to head office…). Import each bundle you receive with Import a return…"
)
NOT_ALLOWED = (
    "Your role does not include the sites' returns: head office's managers import and read them."
)


@dataclass(frozen=True)
class HeadOfficeSnapshot:
    organisation: str
    sites: list[SiteRow]
    quarters: list[Quarter]  # every quarter with a return, newest first
    quarter: Quarter | None  # the one shown
    position: dict[str, Any] | None


def load_snapshot(workspace: Workspace, wanted: Quarter | None) -> HeadOfficeSnapshot:
    """Runs on the worker: `wanted` if it has returns, else the newest quarter that has."""
    head_office = workspace.head_office
    sites = head_office.sites()
    quarters = sorted({Quarter.parse(q) for site in sites for q in site.quarters}, reverse=True)
    quarter = wanted if wanted in quarters else (quarters[0] if quarters else None)
    position = organisation_position(head_office.returns(quarter)) if quarter else None
    return HeadOfficeSnapshot(workspace.site.site().name, sites, quarters, quarter, position)


class HeadOfficeView(QWidget):
    """`status_message(str)` asks the window to show a line in its status bar. `menu` is the
    window's Sync menu at head office: the same actions as the buttons."""

    status_message = Signal(str)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        open_dialog: Callable[[QDialog], QDialog] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("headOfficeView")
        self._worker = worker
        self._workspace = workspace
        self._open_dialog = open_dialog or _open_plainly
        self.allowed = workspace.actor.can(Permission.SYNC_BUNDLES)
        self.snapshot: HeadOfficeSnapshot | None = None
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self.files = ReturnFiles(worker, workspace, self)
        self.files.imported.connect(lambda quarter: self.refresh(quarter))

        heading = QLabel("Head office: the sites' quarterly returns", self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        self.quarter_combo = QComboBox(self)
        self.quarter_combo.setAccessibleName("Quarter")
        self.quarter_combo.setMinimumContentsLength(28)
        quarter_label = QLabel("&Quarter:", self)
        quarter_label.setBuddy(self.quarter_combo)
        self.import_button = QPushButton("&Import a return…", self)
        self.pdf_button = QPushButton("Save &PDF report…", self)
        self.xlsx_button = QPushButton("Save E&xcel workbook…", self)
        self.key_button = QPushButton("Head office's public &key…", self)
        top = QHBoxLayout()
        top.addWidget(quarter_label)
        top.addWidget(self.quarter_combo)
        top.addStretch(1)
        for button in (self.import_button, self.pdf_button, self.xlsx_button, self.key_button):
            top.addWidget(button)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(NOTICE_STYLE)
        self.message_label.setObjectName("headOfficeMessage")
        self.figures = OrganisationFigures(self)
        self.model = SitePositionTableModel(self)
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.table.setObjectName("sitePositionTable")
        self.table.setAccessibleName("Position by site")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SitePositionTableModel.SITE, QHeaderView.ResizeMode.Stretch)
        self.table_label = QLabel("Position &by site", self)
        self.table_label.setBuddy(self.table)
        self.not_sent_list = QListWidget(self)
        self.not_sent_list.setAccessibleName("Sites that have not sent a return for this quarter")
        self.not_sent_list.setMaximumHeight(110)
        self.not_sent_label = QLabel("Sites that have &not sent a return for this quarter", self)
        self.not_sent_label.setBuddy(self.not_sent_list)
        self.all_sent_label = QLabel(
            "Every site that has ever sent head office a return has sent one for this quarter.",
            self,
        )
        self.all_sent_label.setStyleSheet(NOTE_STYLE)
        self.all_sent_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.figures)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.not_sent_label)
        layout.addWidget(self.not_sent_list)
        layout.addWidget(self.all_sent_label)
        # Takes the room the table leaves when there is only a message to show.
        self._filler = QWidget(self)
        self._filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self._filler, 1)

        self.menu = QMenu("S&ync", self)
        self.menu.setObjectName("menuSync")
        self.import_action = self._add("&Import a return…", self.files.choose_and_import)
        self.menu.addSeparator()
        self.pdf_action = self._add("Save &PDF report…", lambda: self._save("pdf"))
        self.xlsx_action = self._add("Save E&xcel workbook…", lambda: self._save("xlsx"))
        self.menu.addSeparator()
        self.key_action = self._add("Head office's public &key…", self.open_key_dialog)
        self.import_button.clicked.connect(self.import_action.trigger)
        self.pdf_button.clicked.connect(self.pdf_action.trigger)
        self.xlsx_button.clicked.connect(self.xlsx_action.trigger)
        self.key_button.clicked.connect(self.key_action.trigger)
        self.files.status_message.connect(self.status_message)
        self.quarter_combo.activated.connect(lambda _index: self.refresh(self.chosen_quarter()))
        self.clear()

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def chosen_quarter(self) -> Quarter | None:
        data = self.quarter_combo.currentData()
        return Quarter.parse(str(data)) if data else None

    # ---- loading -------------------------------------------------------------------------

    def refresh(self, quarter: Quarter | None = None) -> None:
        """Load the returns again, showing `quarter` (or the one shown now) if it has any."""
        if not self.allowed:
            self._show_message(NOT_ALLOWED)
            return
        generation = self._generation
        wanted = quarter or self.chosen_quarter()
        workspace = self._workspace
        self._worker.submit(
            lambda _task: load_snapshot(workspace, wanted),
            lambda snapshot: self._show(snapshot) if generation == self._generation else None,
            parent_widget=self,
        )

    def _show(self, snapshot: HeadOfficeSnapshot) -> None:
        self.snapshot = snapshot
        self.quarter_combo.blockSignals(True)
        self.quarter_combo.clear()
        for quarter in snapshot.quarters:
            self.quarter_combo.addItem(quarter.label, str(quarter))
        if snapshot.quarter is not None:
            self.quarter_combo.setCurrentIndex(self.quarter_combo.findData(str(snapshot.quarter)))
        self.quarter_combo.blockSignals(False)
        has_returns = snapshot.quarter is not None and snapshot.position is not None
        self._set_enabled(has_returns)
        if snapshot.quarter is None or snapshot.position is None:
            self._show_message(NO_RETURNS)
            return
        self.message_label.hide()
        self._filler.hide()
        self.figures.show_position(snapshot.quarter, snapshot.position)
        self.model.set_rows(snapshot.position["site_rows"])
        lines = not_sent_lines(snapshot.sites, snapshot.quarter)
        self.not_sent_list.clear()
        self.not_sent_list.addItems(lines)
        for widget in (self.figures, self.table_label, self.table):
            widget.show()
        self.not_sent_label.setVisible(bool(lines))
        self.not_sent_list.setVisible(bool(lines))
        self.all_sent_label.setVisible(not lines)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self._filler.show()
        for widget in (
            self.figures,
            self.table_label,
            self.table,
            self.not_sent_label,
            self.not_sent_list,
            self.all_sent_label,
        ):
            widget.hide()

    def _set_enabled(self, has_returns: bool) -> None:
        self.quarter_combo.setEnabled(has_returns)
        for action, button in (
            (self.pdf_action, self.pdf_button),
            (self.xlsx_action, self.xlsx_button),
        ):
            action.setEnabled(has_returns)
            button.setEnabled(has_returns)
        for action, button in (
            (self.import_action, self.import_button),
            (self.key_action, self.key_button),
        ):
            action.setEnabled(self.allowed)
            button.setEnabled(self.allowed)

    def clear(self) -> None:
        """Drop every figure shown (the app is locking)."""
        self._generation += 1
        self.snapshot = None
        self.quarter_combo.clear()
        self.figures.clear()
        self.model.clear()
        self.not_sent_list.clear()
        self._show_message("Loading the sites' returns…" if self.allowed else NOT_ALLOWED)
        self._set_enabled(False)

    # ---- actions -------------------------------------------------------------------------

    def _save(self, kind: str) -> None:
        snapshot = self.snapshot
        if snapshot is not None and snapshot.quarter is not None:
            self.files.choose_and_save(kind, snapshot.quarter, snapshot.organisation)

    def open_key_dialog(self) -> HeadOfficeKeyDialog | None:
        if not self.allowed:
            return None
        dialog = self._open_dialog(
            HeadOfficeKeyDialog(self._worker, self._workspace, self.window())
        )
        assert isinstance(dialog, HeadOfficeKeyDialog)
        return dialog


def _open_plainly(dialog: QDialog) -> QDialog:
    dialog.open()
    return dialog
