"""What an imported sync bundle changed: one row per kind of record, and a way on to the
conflicts it left for review.

Record types are shown in words ("Risk actions", not "risk_action"); the same words name a
conflict's record in the conflicts dialog.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.sync.bundle_import import ImportSummary, TypeSummary
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.styles import NOTICE_STYLE

# record type -> (one of them, several of them)
RECORD_TYPE_WORDS: dict[str, tuple[str, str]] = {
    "site": ("Site details", "Site details"),
    "user": ("User", "Users"),
    "setting": ("Setting", "Settings"),
    "threat_level": ("Threat level", "Threat levels"),
    "risk_category": ("Risk category", "Risk categories"),
    "risk": ("Risk", "Risks"),
    "risk_action": ("Risk action", "Risk actions"),
    "risk_review": ("Risk review", "Risk reviews"),
    "job_role": ("Job role", "Job roles"),
    "staff_member": ("Staff member", "Staff members"),
    "course": ("Course", "Courses"),
    "training_certificate": ("Training certificate", "Training certificates"),
    "training_record": ("Training record", "Training records"),
    "concern_option": ("Concern log list entry", "Concern log lists"),
    "concern": ("Concern", "Concerns"),
    "concern_step": ("Concern step", "Concern steps"),
    "concern_entry": ("Concern log entry", "Concern log entries"),
    "concern_referral": ("Referral", "Referrals"),
    "concern_attachment": ("Concern attachment", "Concern attachments"),
    "concern_access": ("Concern access record", "Concern access records"),
    "incident_contact": ("Incident contact", "Incident contacts"),
    "incident_plan": ("Incident plan", "Incident plans"),
    "incident_plan_step": ("Incident plan step", "Incident plan steps"),
    "incident_log": ("Incident log", "Incident logs"),
    "incident_log_step": ("Incident log step", "Incident log steps"),
    "incident_log_note": ("Incident log note", "Incident log notes"),
    "audit_entry": ("Audit log entry", "Audit log entries"),
}
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"


def record_type_words(record_type: str, *, plural: bool = False) -> str:
    words = RECORD_TYPE_WORDS.get(record_type)
    if words is not None:
        return words[1] if plural else words[0]
    return record_type.replace("_", " ").capitalize()  # a type newer than this list


def local_time_text(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in this computer's time zone; a dash when there is none."""
    return moment.astimezone().strftime(DATE_TIME_FORMAT) if moment is not None else "—"


class ImportSummaryTableModel(RowTableModel):
    """Rows of (record type, TypeSummary), then a total row."""

    RECORDS, ADDED, UPDATED, UNCHANGED, CONFLICTS = range(5)
    HEADERS = ("Records", "Added", "Updated", "Unchanged", "Conflicts")

    def set_summary(self, summary: ImportSummary) -> None:
        rows: list[tuple[str, TypeSummary, bool]] = [
            (record_type_words(name, plural=True), tally, False)
            for name, tally in summary.per_type.items()
            if tally.total
        ]
        rows.sort(key=lambda row: row[0].casefold())
        total = TypeSummary()
        for _words, tally, _total in rows:
            total.added += tally.added
            total.updated += tally.updated
            total.unchanged += tally.unchanged
            total.conflicts += tally.conflicts
        self.set_rows([*rows, ("All records", total, True)])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_item(index)
        if row is None:
            return None
        words, tally, is_total = row
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.RECORDS:
                return words
            count = (tally.added, tally.updated, tally.unchanged, tally.conflicts)[column - 1]
            if column == self.CONFLICTS and count:
                return f"⚠ {count}"  # not by colour alone
            return str(count)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.RECORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CONFLICTS and tally.conflicts:
            return "Changed on both laptops: the other version is kept for review."
        return None


class ImportSummaryDialog(QDialog):
    """Shown after a bundle is imported. `review_conflicts_requested` when the user asks to
    settle the conflicts the import found."""

    review_conflicts_requested = Signal()

    def __init__(self, summary: ImportSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummaryDialog")
        self.setWindowTitle("Prevent Desktop — Bundle imported")
        origin = summary.origin
        intro = (
            f"<p>Imported bundle number <b>{summary.sequence}</b> from "
            f"“{html.escape(origin.label)}”.</p>"
        )
        if summary.newly_trusted:
            intro += (
                "<p>This laptop is now paired with that one (fingerprint "
                f"<span style='font-family: monospace'>{html.escape(origin.fingerprint)}"
                "</span>): its next bundles are accepted without asking.</p>"
            )
        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.RichText)

        self.model = ImportSummaryTableModel(self)
        self.model.set_summary(summary)
        self.table = QTableView(self)
        self.table.setObjectName("importSummaryTable")
        self.table.setAccessibleName("Records imported, by type")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ImportSummaryTableModel.RECORDS, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(ImportSummaryTableModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.conflicts_label = QLabel(self)
        self.conflicts_label.setWordWrap(True)
        self.conflicts_label.setStyleSheet(NOTICE_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.review_button = QPushButton("&Review conflicts…", self)
        self.review_button.setAccessibleName("Review the conflicts this import found")
        self.buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.review_button.clicked.connect(self._review)
        conflicts = summary.conflicts
        if conflicts:
            records = "record was" if conflicts == 1 else "records were"
            self.conflicts_label.setText(
                f"⚠ {conflicts} {records} changed on both laptops. The later change is in "
                "place now; the other version is kept so that you can choose between them: "
                "Review conflicts…"
            )
            self.review_button.setDefault(True)
        else:
            self.conflicts_label.hide()
            self.review_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    def _review(self) -> None:
        self.accept()
        self.review_conflicts_requested.emit()
