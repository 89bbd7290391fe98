"""The "Details" page of a concern: who it is about, where, what was seen or heard, who else
was there, the indicators, and other concerns about the same person.

Read-only: the account is the record of what the reporter saw, so it changes only through
"Amend details…", which asks why and notes it in the chronology.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.concern_views import ConcernDetailView
from prevent_desktop.ui.tabs.concern_format import person_rows
from prevent_desktop.ui.tabs.concern_tables import SamePersonModel, plain_table


def _text_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # the reporter's words, never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class ConcernDetailsPanel(QWidget):
    """Emits `open_requested(concern_id)` when another concern about the person is opened."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_box = QGroupBox("The person", self)
        self.person_form = QFormLayout(self.person_box)
        self.person_labels: dict[str, QLabel] = {}

        circumstances = QGroupBox("Where and who else", self)
        form = QFormLayout(circumstances)
        # Labels at the top of their row: the indicators run to several lines.
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.person_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.location_label = _text_label(self)
        self.context_label = _text_label(self)
        self.others_label = _text_label(self)
        self.indicators_label = _text_label(self)
        form.addRow("Location:", self.location_label)
        form.addRow("Context:", self.context_label)
        form.addRow("Others present:", self.others_label)
        form.addRow("Indicators:", self.indicators_label)

        account_box = QGroupBox("The account (what was seen or heard)", self)
        self.account_edit = QPlainTextEdit(account_box)
        self.account_edit.setReadOnly(True)  # selectable and copyable, never editable here
        self.account_edit.setAccessibleName("The account (what was seen or heard)")
        QVBoxLayout(account_box).addWidget(self.account_edit)

        self.same_person_box = QGroupBox("Other concerns about this person", self)
        self.same_person_model = SamePersonModel(self)
        self.same_person_view: QTableView = plain_table(
            self.same_person_model, self.same_person_box, (100, 125, 200, 200)
        )
        self.same_person_view.setAccessibleName("Other concerns about this person")
        self.same_person_view.setToolTip("Double-click (or press Enter) to open that concern")
        self.same_person_view.doubleClicked.connect(self._open_other)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.same_person_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(
                lambda: self._open_other(self.same_person_view.currentIndex())
            )
        self.none_label = QLabel("None recorded.", self.same_person_box)
        box_layout = QVBoxLayout(self.same_person_box)
        box_layout.addWidget(self.none_label)
        box_layout.addWidget(self.same_person_view)
        self.same_person_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)

        left = QVBoxLayout()
        left.addWidget(self.person_box)
        left.addWidget(circumstances, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(account_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.same_person_box)

    def show_view(self, view: ConcernDetailView) -> None:
        details = view.details
        while self.person_form.rowCount():
            self.person_form.removeRow(0)
        self.person_labels = {}
        for label, value in person_rows(details.person):
            text = _text_label(self.person_box)
            text.setText(value)
            self.person_labels[label] = text
            self.person_form.addRow(f"{label}:", text)
        self.location_label.setText(details.location or "Not recorded")
        self.context_label.setText(details.context or "Not recorded")
        self.others_label.setText(details.others_present or "Not recorded")
        self.indicators_label.setText(
            "\n".join(f"• {i}" for i in details.indicators) or "None ticked"
        )
        self.account_edit.setPlainText(details.account)
        self.same_person_model.set_rows(list(view.same_person))
        self.same_person_view.setVisible(bool(view.same_person))
        self.none_label.setVisible(not view.same_person)

    def _open_other(self, index: QModelIndex) -> None:
        summary = self.same_person_model.summary(index.row())
        if summary is not None:
            self.open_requested.emit(summary.id)
