"""Adding or editing one risk: every field of the register entry, saved on the worker.

The service validates (title, owner, review date, scores); its ValidationError comes back
into the message line under the form, so the person corrects it where they are typing. The
two required text fields are also checked as they are typed: a "Required" hint beside an
emptied field, and Save stays off until both are filled.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.risk import REVIEW_FREQUENCIES, RagThresholds, RiskStatus, add_months
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import CategoryView, RiskInput, RiskView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date, to_qdate
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.keyboard import buttons_in_shown_order, set_tab_order
from prevent_desktop.ui.scrolling import fit_to_screen, scroll_area, stack_when_narrow
from prevent_desktop.ui.styles import FIELD_HINT_STYLE
from prevent_desktop.ui.tabs.review_history import ReviewsBox
from prevent_desktop.ui.tabs.risk_widgets import ScorePair
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker


def _with_hint(parent: QWidget, field: QLineEdit) -> tuple[QWidget, QLabel]:
    """The field with a hidden "⚠ Required" label beside it, as one form row."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    hint = QLabel("⚠ Required", row)
    hint.setStyleSheet(FIELD_HINT_STYLE)
    hint.setVisible(False)
    layout.addWidget(hint)
    row.setFocusProxy(field)  # the row label's mnemonic still lands in the field
    return row, hint


def _text_box(parent: QWidget, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field of the form
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class RiskEditorDialog(SavingDialog):
    """`risk=None` adds a risk. Emits `changed(ChangeSet)` and accepts once saved.
    `read_only` shows the entry to someone who may not change it."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        categories: list[CategoryView],
        thresholds: RagThresholds,
        risk: RiskView | None = None,
        *,
        read_only: bool = False,
        owners: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self._risk = risk
        if risk is None:
            self.setWindowTitle("Prevent Desktop — Add risk")
        else:
            self.setWindowTitle(f"Prevent Desktop — {risk.reference} {risk.title}")

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("What could go wrong, in a few words")
        # The row's label names the row (field and hint), not the field: name the field too.
        self.title_edit.setAccessibleName("Title (required)")
        self.description_edit = _text_box(self, "The risk in more detail", 3)
        self.area_combo = QComboBox(self)
        for area in StrategyArea:
            self.area_combo.addItem(f"{area.number}. {area.label}", area)
        self.category_combo = QComboBox(self)
        self.category_combo.addItem("(no category)", None)
        for category in categories:
            self.category_combo.addItem(category.name, category.id)
        self.objective_checks: dict[Objective, QCheckBox] = {}
        objectives_box = QWidget(self)
        objectives_layout = QVBoxLayout(objectives_box)
        objectives_layout.setContentsMargins(0, 0, 0, 0)
        objectives_layout.setSpacing(2)
        for objective in Objective:
            check = QCheckBox(f"{objective.value} {objective.label}", objectives_box)
            self.objective_checks[objective] = check
            objectives_layout.addWidget(check)
        self.owner_edit = QLineEdit(self)
        self.owner_edit.setPlaceholderText("Who is responsible (a name or a role)")
        self.owner_edit.setAccessibleName("Owner (required)")
        if owners:
            self.owner_edit.setCompleter(QCompleter(sorted(set(owners)), self.owner_edit))

        self.inherent = ScorePair("Inherent", thresholds, self)
        self.controls_edit = _text_box(self, "What is in place already", 4)
        self.residual = ScorePair("Residual", thresholds, self)
        self.status_combo = QComboBox(self)
        for status in RiskStatus:
            self.status_combo.addItem(status.label, status)
        self.frequency_combo = QComboBox(self)
        for months, label in REVIEW_FREQUENCIES.items():
            self.frequency_combo.addItem(label, months)
        self.next_review_edit = date_edit(self)
        self.notes_edit = _text_box(self, "Anything else the next reviewer should know", 2)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)

        risk_group = QGroupBox("The risk", self)
        left = QFormLayout(risk_group)
        title_row, self.title_hint = _with_hint(self, self.title_edit)
        owner_row, self.owner_hint = _with_hint(self, self.owner_edit)
        # Each Alt+letter once in the dialog ("&Save" holds S, "Strategy &area" A).
        left.addRow("&Title *", title_row)
        left.addRow("&Description", self.description_edit)
        left.addRow("Strategy &area", self.area_combo)
        left.addRow("&Category", self.category_combo)
        left.addRow("Objectives", objectives_box)
        left.addRow("&Owner *", owner_row)
        score_group = QGroupBox("Scores and review", self)
        right = QFormLayout(score_group)
        right.addRow("&Inherent (before controls)", self.inherent)
        right.addRow("Existing contro&ls", self.controls_edit)
        right.addRow("&Residual (after controls)", self.residual)
        right.addRow("Stat&us", self.status_combo)
        right.addRow("Review &every", self.frequency_combo)
        right.addRow("Ne&xt review *", self.next_review_edit)
        right.addRow("&Notes", self.notes_edit)

        self.buttons = QDialogButtonBox(self)
        if read_only:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            self.save_button = None
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.save_button.setText("Add ris&k" if risk is None else "&Save")
            self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addWidget(risk_group, 1)
        columns.addWidget(score_group, 1)
        required = QLabel("* required", self)
        required.setStyleSheet("color: palette(placeholder-text);")
        # The two columns and the reviews scroll on a small screen (200% on a laptop); the
        # message line and the buttons stay in view below them.
        scroll, scrolled = scroll_area(self)
        fields = QVBoxLayout(scrolled)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addLayout(columns)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        # Who last reviewed an existing risk, and the history: read-only, and shown to staff too.
        self.reviews_box: ReviewsBox | None = None
        if risk is not None:
            self.reviews_box = ReviewsBox(self)
            fields.addWidget(self.reviews_box)
        layout.addWidget(self.message_label)
        if self.reviews_box is not None:
            # Made after the buttons, shown above them: Tab reaches it before them too.
            set_tab_order(
                self.notes_edit, self.reviews_box.view, *buttons_in_shown_order(self.buttons)
            )
        footer = QHBoxLayout()
        footer.addWidget(required)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        layout.addLayout(footer)

        self._fill(risk)
        if not read_only:
            # textEdited, not textChanged: only what the person types (or deletes) shows a
            # hint; an empty new form is not an error yet.
            self.title_edit.textEdited.connect(self._check_required)
            self.owner_edit.textEdited.connect(self._check_required)
            self.title_edit.textChanged.connect(lambda _text: self._update_save())
            self.owner_edit.textChanged.connect(lambda _text: self._update_save())
            self._update_save()
        if read_only:
            for widget in (risk_group, score_group):
                widget.setEnabled(False)
        stack_when_narrow(self, columns)
        fit_to_screen(self, QSize(1000, self.sizeHint().height()))
        self._load_reviews()

    def _load_reviews(self) -> None:
        if self._risk is None or self.reviews_box is None:
            return
        # The register's list leaves the history out; one risk in full carries it.
        risks, risk_id, box = self._workspace.risks, self._risk.id, self.reviews_box
        self._worker.submit(
            lambda _task: risks.get_risk(risk_id),
            box.show_risk,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def missing(self) -> list[str]:
        """The required fields still blank, named as the form names them."""
        fields = (("title", self.title_edit), ("owner", self.owner_edit))
        return [name for name, edit in fields if not edit.text().strip()]

    def _check_required(self) -> None:
        self.title_hint.setVisible(not self.title_edit.text().strip())
        self.owner_hint.setVisible(not self.owner_edit.text().strip())
        self._update_save()

    def _update_save(self) -> None:
        if self.save_button is None:
            return
        missing = self.missing()
        self.save_button.setEnabled(not missing)
        self.save_button.setToolTip(
            f"Fill in the {' and the '.join(missing)} first." if missing else ""
        )
        # Once filled, a hint has nothing left to say.
        for hint, edit in ((self.title_hint, self.title_edit), (self.owner_hint, self.owner_edit)):
            if edit.text().strip():
                hint.setVisible(False)

    def _fill(self, risk: RiskView | None) -> None:
        if risk is None:
            self.frequency_combo.setCurrentIndex(self.frequency_combo.findData(3))
            self.next_review_edit.setDate(to_qdate(add_months(date.today(), 3)))
            return
        self.title_edit.setText(risk.title)
        self.title_edit.setCursorPosition(0)  # show the start of a long title, not its end
        self.description_edit.setPlainText(risk.description)
        self.area_combo.setCurrentIndex(max(0, self.area_combo.findData(risk.area)))
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(risk.category_id)))
        for objective, check in self.objective_checks.items():
            check.setChecked(objective in risk.objectives)
        self.owner_edit.setText(risk.owner)
        self.inherent.set_values(risk.inherent_likelihood, risk.inherent_impact)
        self.controls_edit.setPlainText(risk.controls)
        self.residual.set_values(risk.residual_likelihood, risk.residual_impact)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(risk.status)))
        self.frequency_combo.setCurrentIndex(
            max(0, self.frequency_combo.findData(risk.review_frequency_months))
        )
        self.next_review_edit.setDate(to_qdate(risk.next_review_on))
        self.notes_edit.setPlainText(risk.notes)

    def risk_input(self) -> RiskInput:
        inherent = self.inherent.values()
        residual = self.residual.values()
        category = self.category_combo.currentData()
        return RiskInput(
            title=self.title_edit.text(),
            area=StrategyArea(self.area_combo.currentData()),
            owner=self.owner_edit.text(),
            inherent_likelihood=inherent[0],
            inherent_impact=inherent[1],
            residual_likelihood=residual[0],
            residual_impact=residual[1],
            next_review_on=to_date(self.next_review_edit),
            description=self.description_edit.toPlainText(),
            objectives=tuple(o for o, check in self.objective_checks.items() if check.isChecked()),
            category_id=str(category) if category else None,
            controls=self.controls_edit.toPlainText(),
            status=RiskStatus(self.status_combo.currentData()),
            review_frequency_months=int(self.frequency_combo.currentData()),
            notes=self.notes_edit.toPlainText(),
        )

    def save(self) -> None:
        self.message.clear()
        data = self.risk_input()
        risks = self._workspace.risks
        risk_id = self._risk.id if self._risk else None

        def write(_task: object) -> ChangeSet:
            if risk_id is None:
                return risks.create_risk(data)
            return risks.update_risk(risk_id, data)

        self.submit_write(write)
