"""Adding or editing one action of a risk's action plan."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.risk import ActionStatus, add_months
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import ActionInput, ActionView, RiskView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date, to_qdate
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker


class ActionEditorDialog(SavingDialog):
    """`action=None` adds an action to `risk`. Emits `changed(ChangeSet)` once saved."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        risk: RiskView,
        action: ActionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self._risk_id = risk.id
        self._action = action
        verb = "Add action" if action is None else "Edit action"
        self.setWindowTitle(f"Prevent Desktop — {verb} for {risk.reference}")

        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setPlaceholderText("What will be done")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.owner_edit = QLineEdit(self)
        self.owner_edit.setPlaceholderText("Who will do it")
        self.due_edit = date_edit(self, add_months(date.today(), 1))
        self.status_combo = QComboBox(self)
        for status in ActionStatus:
            self.status_combo.addItem(status.label, status)
        self.completed_edit = date_edit(self)
        self.evidence_edit = QLineEdit(self)
        self.evidence_edit.setPlaceholderText("Where the proof is: minutes, certificates, logs…")
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)

        form = QFormLayout()
        self.heading = QLabel(f"For {risk.reference} {risk.title}", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the title is the user's text
        self.heading.setWordWrap(True)
        form.addRow(self.heading)
        form.addRow("Ac&tion *", self.description_edit)  # "&Add action" holds A
        form.addRow("&Owner *", self.owner_edit)
        form.addRow("&Due *", self.due_edit)
        form.addRow("Stat&us", self.status_combo)  # "&Save" holds S
        form.addRow("&Completed on", self.completed_edit)
        form.addRow("&Evidence", self.evidence_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Add action" if action is None else "&Save")
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)

        if action is not None:
            self.description_edit.setPlainText(action.description)
            self.owner_edit.setText(action.owner)
            self.due_edit.setDate(to_qdate(action.due_on))
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(action.status)))
            if action.completed_on:
                self.completed_edit.setDate(to_qdate(action.completed_on))
            self.evidence_edit.setText(action.evidence)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self._status_changed()
        fit_to_screen(self, QSize(560, self.sizeHint().height()))

    def _status_changed(self) -> None:
        # Only a done action has a completion date; the field stays visible so it is findable.
        self.completed_edit.setEnabled(self.status() is ActionStatus.DONE)

    def status(self) -> ActionStatus:
        return ActionStatus(self.status_combo.currentData())

    def action_input(self) -> ActionInput:
        status = self.status()
        return ActionInput(
            description=self.description_edit.toPlainText(),
            owner=self.owner_edit.text(),
            due_on=to_date(self.due_edit),
            status=status,
            completed_on=to_date(self.completed_edit) if status is ActionStatus.DONE else None,
            evidence=self.evidence_edit.text(),
        )

    def save(self) -> None:
        self.message.clear()
        data = self.action_input()
        risks = self._workspace.risks
        risk_id = self._risk_id
        action_id = self._action.id if self._action else None

        def write(_task: object) -> ChangeSet:
            if action_id is None:
                return risks.add_action(risk_id, data)
            return risks.update_action(action_id, data)

        self.submit_write(write)
