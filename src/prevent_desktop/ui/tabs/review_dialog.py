"""Recording a review of a risk: what was found, optionally new scores, and the history.

A review is append-only evidence that the register is kept up to date, so the dialog shows
the earlier reviews under the form: the reviewer sees what was said last time.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import ReviewView, RiskView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.tabs.review_history import ReviewTableModel, review_table
from prevent_desktop.ui.tabs.risk_widgets import ScorePair
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker


class ReviewDialog(SavingDialog):
    """Emits `changed(ChangeSet)` and accepts once the review is recorded."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        risk: RiskView,
        thresholds: RagThresholds,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self._risk = risk
        self.setWindowTitle(f"Prevent Desktop — Review {risk.reference}")

        # The title is the user's text: escaped, so "<!--" or "<b>" in it stays visible text.
        self.heading = heading = QLabel(
            f"<b>{html.escape(risk.reference)}</b> {html.escape(risk.title)}", self
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setPlaceholderText(
            "What did the review find? Are the controls working? (required)"
        )
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.rescore_check = QCheckBox("The scores &changed", self)
        self.inherent = ScorePair("Inherent", thresholds, self)
        self.inherent.set_values(risk.inherent_likelihood, risk.inherent_impact)
        self.residual = ScorePair("Residual", thresholds, self)
        self.residual.set_values(risk.residual_likelihood, risk.residual_impact)
        self.rescore_check.toggled.connect(self._rescore_toggled)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)

        self.history_model = ReviewTableModel(self)
        self.history_view = review_table(self.history_model, self)
        self.history_view.setAccessibleName("Earlier reviews")
        self.history_label = QLabel("Earlier reviews: loading…", self)

        form = QFormLayout()
        form.addRow("Co&mment *", self.comment_edit)
        form.addRow("", self.rescore_check)
        form.addRow("Inherent", self.inherent)
        form.addRow("Residual", self.residual)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton(
            "&Record review", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history_view, 1)
        layout.addWidget(buttons)
        self._rescore_toggled(False)
        fit_to_screen(self, QSize(760, 560))
        self._load_history()

    def _rescore_toggled(self, on: bool) -> None:
        self.inherent.setEnabled(on)
        self.residual.setEnabled(on)

    def _load_history(self) -> None:
        risks, risk_id = self._workspace.risks, self._risk.id
        self._worker.submit(
            lambda _task: risks.get_risk(risk_id).reviews,
            self._show_history,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _show_history(self, reviews: tuple[ReviewView, ...]) -> None:
        self.history_model.set_rows(list(reviews))
        self.history_label.setText(
            f"Earlier reviews ({len(reviews)}):" if reviews else "No earlier reviews."
        )

    def save(self) -> None:
        # Not `accept()` straight away: the dialog closes only once the service has saved.
        self.message.clear()
        risks, risk_id = self._workspace.risks, self._risk.id
        comment = self.comment_edit.toPlainText()
        rescored = self.rescore_check.isChecked()
        inherent = self.inherent.values() if rescored else (None, None)
        residual = self.residual.values() if rescored else (None, None)

        def write(_task: object) -> ChangeSet:
            return risks.record_review(
                risk_id,
                comment=comment,
                inherent_likelihood=inherent[0],
                inherent_impact=inherent[1],
                residual_likelihood=residual[0],
                residual_impact=residual[1],
            )

        self.submit_write(write)
