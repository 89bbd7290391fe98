"""Amending a concern's details: who it is about, where, the account, who else was there,
the indicators, the type and the immediate-risk level.

A lead corrects a misspelt name or adds what was learnt later; the reason is required and
goes into the chronology, and the reporter's own copy stays as they wrote it (the service
sees to both).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.concern import APPRENTICESHIP_STAGES, ImmediateRisk, SubjectKind
from prevent_desktop.services.concern_views import ConcernDetails, ConcernSummary, PersonDetails
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, to_date
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.worker import DatabaseWorker


def _line(parent: QWidget, text: str) -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setCursorPosition(0)  # show the start of a long value, not its end
    return edit


class AmendDetailsDialog(ConcernFormDialog):
    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        summary: ConcernSummary,
        details: ConcernDetails,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            worker,
            workspace,
            summary.id,
            summary.reference,
            "Amend details",
            "&Save amendment",
            parent,
        )
        person = details.person
        self.kind_combo = QComboBox(self)
        for kind in SubjectKind:
            self.kind_combo.addItem(kind.label, kind)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(person.kind))
        self.name_edit = _line(self, person.name)
        self.learner_edit = _line(self, person.learner_reference)
        self.born_check = QCheckBox("Known:", self)
        self.born_check.setChecked(person.date_of_birth is not None)
        self.born_edit = date_edit(self, person.date_of_birth)
        self.born_check.toggled.connect(self.born_edit.setEnabled)
        self.born_edit.setEnabled(person.date_of_birth is not None)
        self.employer_edit = _line(self, person.employer)
        self.programme_edit = _line(self, person.programme)
        self.stage_combo = QComboBox(self)
        self.stage_combo.setEditable(True)  # a site may describe a stage its own way
        self.stage_combo.addItems(["", *APPRENTICESHIP_STAGES])
        self.stage_combo.setCurrentText(person.stage)
        self.description_edit = _line(self, person.description)
        self.description_edit.setPlaceholderText("For someone unnamed: what they look like")

        self.location_edit = _line(self, details.location)
        self.context_edit = text_box(self, "What was going on at the time", lines=2)
        self.context_edit.setPlainText(details.context)
        self.others_edit = _line(self, details.others_present)
        self.account_edit = text_box(self, "What was seen or heard (required)", lines=8)
        self.account_edit.setPlainText(details.account)
        self.indicator_list = QListWidget(self)
        self._fill_indicators([], details.indicators)
        self.type_combo = QComboBox(self)
        self._fill_types([], summary.concern_type)
        self.risk_combo = QComboBox(self)
        for risk in ImmediateRisk:
            self.risk_combo.addItem(risk.label, risk)
        self.risk_combo.setCurrentIndex(self.risk_combo.findData(summary.immediate_risk))
        self.reason_edit = text_box(self, "Why the details are amended (required)", lines=2)
        self.reason_edit.setMaximumHeight(self.reason_edit.minimumHeight())  # room for the rest

        person_box = QGroupBox("The person", self)
        person_form = QFormLayout(person_box)
        # A widget, not a bare layout, so that the row's label can have a mnemonic.
        born_row = QWidget(self)
        born_layout = QHBoxLayout(born_row)
        born_layout.setContentsMargins(0, 0, 0, 0)
        born_layout.addWidget(self.born_check)
        born_layout.addWidget(self.born_edit, 1)
        born_row.setFocusProxy(self.born_check)
        person_form.addRow("&Who:", self.kind_combo)
        person_form.addRow("&Name:", self.name_edit)
        person_form.addRow("&Learner reference:", self.learner_edit)
        person_form.addRow("Date of &birth:", born_row)
        person_form.addRow("&Employer or workplace:", self.employer_edit)
        person_form.addRow("&Programme:", self.programme_edit)
        person_form.addRow("&Stage:", self.stage_combo)
        person_form.addRow("&Description:", self.description_edit)
        where_box = QGroupBox("Where and who else", self)
        where_form = QFormLayout(where_box)
        where_form.addRow("L&ocation:", self.location_edit)
        where_form.addRow("&Context:", self.context_edit)
        where_form.addRow("O&thers present:", self.others_edit)
        where_form.addRow("T&ype of concern:", self.type_combo)
        where_form.addRow("Immediate ris&k:", self.risk_combo)
        account_box = QGroupBox("The account and indicators", self)
        account_layout = QVBoxLayout(account_box)
        account_layout.addWidget(self.account_edit, 2)
        account_layout.addWidget(self.indicator_list, 1)

        left = QVBoxLayout()
        left.addWidget(person_box)
        left.addWidget(where_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(account_box, 1)
        self.body.insertLayout(self.body.indexOf(self.heading) + 1, columns, 1)
        self.form.addRow("&Reason *", self.reason_edit)
        self.add_note(
            "The reason is added to the chronology. The reporter's own copy of what they "
            "wrote is kept as it was."
        )
        self.finish_layout(1000, 680)
        concerns = workspace.concerns
        self._worker.submit(
            lambda _task: (concerns.options("indicator"), concerns.options("type")),
            self._options_loaded,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _options_loaded(self, options: tuple[list[str], list[str]]) -> None:
        indicators, types = options
        self._fill_indicators(indicators, self.indicators())
        self._fill_types(types, self.type_combo.currentText())

    def _fill_types(self, labels: list[str], current: str) -> None:
        # The concern's own type stays offered even if it has since been retired.
        self.type_combo.clear()
        self.type_combo.addItems([*labels, *([current] if current not in labels else [])])
        self.type_combo.setCurrentText(current)

    def _fill_indicators(self, labels: list[str], ticked: tuple[str, ...]) -> None:
        # Indicators ticked when the concern was logged stay listed even if since retired.
        self.indicator_list.clear()
        for label in [*labels, *(t for t in ticked if t not in labels)]:
            item = QListWidgetItem(label, self.indicator_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = label in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def indicators(self) -> tuple[str, ...]:
        items = (self.indicator_list.item(row) for row in range(self.indicator_list.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def details(self) -> ConcernDetails:
        person = PersonDetails(
            kind=SubjectKind(self.kind_combo.currentData()),
            name=self.name_edit.text().strip(),
            learner_reference=self.learner_edit.text().strip(),
            date_of_birth=to_date(self.born_edit) if self.born_check.isChecked() else None,
            employer=self.employer_edit.text().strip(),
            programme=self.programme_edit.text().strip(),
            stage=self.stage_combo.currentText().strip(),
            description=self.description_edit.text().strip(),
        )
        return ConcernDetails(
            person=person,
            account=self.account_edit.toPlainText(),
            location=self.location_edit.text().strip(),
            context=self.context_edit.toPlainText().strip(),
            others_present=self.others_edit.text().strip(),
            indicators=self.indicators(),
        )

    def save(self) -> None:
        concerns, concern_id = self._workspace.concerns, self._concern_id
        details, reason = self.details(), self.reason_edit.toPlainText()
        concern_type = self.type_combo.currentText()
        risk = ImmediateRisk(self.risk_combo.currentData())
        self.submit_write(
            lambda _task: concerns.amend_details(
                concern_id, details, reason, concern_type=concern_type, immediate_risk=risk
            )
        )
