"""The reporter's side of a concern: the "Log a concern" form, and reading back one's own.

The form is written for a member of staff in a hurry: the guidance at the top, the required
fields flagged as they are typed, "call 999" shown the moment immediate danger is chosen.
The service validates; its message comes back into the form with everything typed kept.
Choices (indicators, types, risks) are loaded on the worker, so the form opens at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.concern import (
    APPRENTICESHIP_STAGES,
    CALL_999_GUIDANCE,
    QUICK_GUIDANCE,
    ImmediateRisk,
    SubjectKind,
)
from prevent_desktop.services.concern_views import (
    ConcernDetails,
    ConcernInput,
    PersonDetails,
    ReporterView,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.date_widgets import date_edit, date_time_edit, to_date
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen, stack_when_narrow
from prevent_desktop.ui.styles import DANGER_STYLE, FIELD_HINT_STYLE, NOTE_STYLE, NOTICE_STYLE
from prevent_desktop.ui.tabs.concern_table_model import local_time, risk_text
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker

ACCOUNT_HINT = "What was seen or heard; the person's own words in quotes"
HIGH_RISK_NOTE = "High risk: tell the safeguarding lead in person today as well as logging it."


@dataclass(frozen=True)
class FormChoices:
    indicators: list[str]
    types: list[str]
    risks: list[tuple[str, str]]  # (risk id, "R-001 title")


def load_choices(workspace: Workspace) -> FormChoices:
    concerns = workspace.concerns
    return FormChoices(
        concerns.options("indicator"),
        concerns.options("type"),
        [(r.id, f"{r.reference} {r.title}") for r in workspace.risks.list_risks()],
    )


def text_box(parent: QWidget, placeholder: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field of the form
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class RequiredHint(QLabel):
    """A "⚠ Required" beside a field: hidden until the field has been filled and emptied, or
    Save was tried with it empty (an empty new form is not an error yet)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("⚠ Required", parent)
        self.setStyleSheet(FIELD_HINT_STYLE)
        self.setVisible(False)
        self.touched = False

    def update_for(self, filled: bool) -> None:
        self.touched = self.touched or filled
        self.setVisible(self.touched and not filled)


def page_form(page: QWidget) -> QFormLayout:
    """A form at the top of a page of the stack: the pages share the tallest one's height,
    and a short form must not spread its rows over it."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return form


def with_hint(parent: QWidget, field: QWidget) -> tuple[QWidget, RequiredHint]:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    hint = RequiredHint(row)
    layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignTop)
    row.setFocusProxy(field)  # the row label's mnemonic still lands in the field
    return row, hint


class PersonFields(QGroupBox):
    """Who the concern is about: the kind chooses which fields are shown."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Who it is about", parent)
        self.kind_buttons: dict[SubjectKind, QRadioButton] = {}
        self.kind_group = QButtonGroup(self)
        kinds = QHBoxLayout()
        for kind in SubjectKind:
            button = QRadioButton(kind.label, self)
            self.kind_buttons[kind] = button
            self.kind_group.addButton(button)
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.pages = QStackedWidget(self)

        apprentice = QWidget(self.pages)
        self.name_edit = QLineEdit(apprentice)
        self.name_edit.setAccessibleName("Apprentice's name")
        name_row, self.name_hint = with_hint(apprentice, self.name_edit)
        self.learner_edit = QLineEdit(apprentice)
        self.learner_edit.setAccessibleName("Learner reference")
        self.born_check = QCheckBox("Known:", apprentice)
        self.born_check.setAccessibleName("Date of birth known")
        self.born_edit = date_edit(apprentice)
        self.born_edit.setAccessibleName("Date of birth")
        self.born_edit.setMaximumDate(self.born_edit.date().currentDate())
        self.born_edit.setEnabled(False)
        self.born_check.toggled.connect(self.born_edit.setEnabled)
        # A widget, not a bare layout: the row label's mnemonic needs a buddy to land on.
        born_row = QWidget(apprentice)
        born_layout = QHBoxLayout(born_row)
        born_layout.setContentsMargins(0, 0, 0, 0)
        born_layout.addWidget(self.born_check)
        born_layout.addWidget(self.born_edit)
        born_layout.addStretch(1)
        born_row.setFocusProxy(self.born_check)
        self.employer_edit = QLineEdit(apprentice)
        self.employer_edit.setAccessibleName("Employer or workplace")
        self.programme_edit = QLineEdit(apprentice)
        self.programme_edit.setAccessibleName("Programme")
        self.programme_edit.setPlaceholderText("e.g. Level 2 Warehouse Operative")
        self.stage_combo = QComboBox(apprentice)
        self.stage_combo.setAccessibleName("Stage of the apprenticeship")
        self.stage_combo.addItem("(not known)", "")
        for stage in APPRENTICESHIP_STAGES:
            self.stage_combo.addItem(stage, stage)
        form = page_form(apprentice)
        form.addRow("&Name *", name_row)
        form.addRow("Learner re&ference", self.learner_edit)  # "&Log concern" holds L
        form.addRow("Date of &birth", born_row)
        form.addRow("&Employer or workplace", self.employer_edit)
        form.addRow("&Programme", self.programme_edit)
        form.addRow("&Stage", self.stage_combo)

        other = QWidget(self.pages)
        self.other_name_edit = QLineEdit(other)
        self.other_name_edit.setAccessibleName("Person's name")
        self.other_description_edit = text_box(other, "Who they are (role, relation)", 2)
        form = page_form(other)
        form.addRow("&Name", self.other_name_edit)
        form.addRow("&Description", self.other_description_edit)

        unknown = QWidget(self.pages)
        self.unknown_description_edit = text_box(unknown, "What they look like, where seen", 3)
        form = page_form(unknown)
        form.addRow("&Description", self.unknown_description_edit)

        self._page = {
            SubjectKind.APPRENTICE: apprentice,
            SubjectKind.OTHER: other,
            SubjectKind.UNKNOWN: unknown,
        }
        for page in self._page.values():
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addWidget(self.pages)
        for kind, button in self.kind_buttons.items():
            button.toggled.connect(lambda on, k=kind: self._show(k) if on else None)
        self.kind_buttons[SubjectKind.APPRENTICE].setChecked(True)
        self.name_edit.textChanged.connect(
            lambda text: self.name_hint.update_for(bool(text.strip()))
        )

    def _show(self, kind: SubjectKind) -> None:
        self.pages.setCurrentWidget(self._page[kind])

    def kind(self) -> SubjectKind:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def set_kind(self, kind: SubjectKind) -> None:
        self.kind_buttons[kind].setChecked(True)

    def person(self) -> PersonDetails:
        kind = self.kind()
        if kind is SubjectKind.APPRENTICE:
            return PersonDetails(
                kind,
                name=self.name_edit.text().strip(),
                learner_reference=self.learner_edit.text().strip(),
                date_of_birth=to_date(self.born_edit) if self.born_check.isChecked() else None,
                employer=self.employer_edit.text().strip(),
                programme=self.programme_edit.text().strip(),
                stage=str(self.stage_combo.currentData() or ""),
            )
        if kind is SubjectKind.OTHER:
            return PersonDetails(
                kind,
                name=self.other_name_edit.text().strip(),
                description=self.other_description_edit.toPlainText().strip(),
            )
        return PersonDetails(kind, description=self.unknown_description_edit.toPlainText().strip())

    def flag_missing(self) -> None:
        if self.kind() is SubjectKind.APPRENTICE:
            self.name_hint.touched = True
            self.name_hint.update_for(bool(self.name_edit.text().strip()))


class ConcernReportDialog(SavingDialog):
    """Emits `changed(ChangeSet)` and `logged(reference, immediate_danger)` once saved."""

    logged = Signal(str, bool)
    choices_loaded = Signal()

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Log a concern")
        self._worker = worker
        self._workspace = workspace
        self.reference = ""

        guidance = QLabel(QUICK_GUIDANCE, self)
        guidance.setObjectName("quickGuidance")
        guidance.setWordWrap(True)
        guidance.setStyleSheet(NOTICE_STYLE)

        self.observed_edit = date_time_edit(self)
        self.observed_edit.setMaximumDateTime(QDateTime.currentDateTime().addSecs(300))
        self.observed_edit.setAccessibleName("Date and time observed")
        self.location_edit = QLineEdit(self)
        self.location_edit.setPlaceholderText("e.g. Canteen, ground floor; or online, in a chat")
        self.location_edit.setAccessibleName("Location")
        self.context_edit = text_box(self, "What was going on at the time", 2)
        self.others_edit = text_box(self, "Names or roles of anyone else present", 2)
        self.person = PersonFields(self)

        self.account_edit = text_box(self, ACCOUNT_HINT, 9)
        self.account_edit.setAccessibleName("Factual account")
        # The one field that should take whatever room the dialog has.
        self.account_edit.setMinimumHeight(self.account_edit.height())
        self.account_edit.setMaximumHeight(16_777_215)
        self.account_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        account_row, self.account_hint = with_hint(self, self.account_edit)
        self.indicator_list = QListWidget(self)
        self.indicator_list.setAccessibleName("Indicators observed")
        self.indicator_list.setFixedHeight(self.indicator_list.fontMetrics().lineSpacing() * 7 + 16)
        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName("Type of concern")
        self.type_combo.setToolTip("If unsure, choose 'No ideology identified' or 'Other'.")
        type_row, self.type_hint = with_hint(self, self.type_combo)
        self.risk_combo = QComboBox(self)
        self.risk_combo.setAccessibleName("Immediate risk")
        for risk in ImmediateRisk:
            self.risk_combo.addItem(risk_text(risk), risk.value)
        self.danger_label = QLabel(f"⚠ CALL 999 NOW. {CALL_999_GUIDANCE}", self)
        self.danger_label.setObjectName("call999Guidance")
        self.danger_label.setAccessibleName("Call 999 guidance")
        self.danger_label.setWordWrap(True)
        self.danger_label.setStyleSheet(DANGER_STYLE)
        self.danger_label.setVisible(False)
        self.high_label = QLabel(f"⚠ {HIGH_RISK_NOTE}", self)
        self.high_label.setWordWrap(True)
        self.high_label.setStyleSheet(FIELD_HINT_STYLE)
        self.high_label.setVisible(False)
        self.risk_link_combo = QComboBox(self)
        self.risk_link_combo.setAccessibleName("Linked risk on the register")
        self.risk_link_combo.addItem("(not linked)", None)

        when = QGroupBox("When and where", self)
        form = QFormLayout(when)
        form.addRow("&Observed *", self.observed_edit)
        form.addRow("Lo&cation", self.location_edit)
        form.addRow("Con&text", self.context_edit)
        form.addRow("Ot&hers present", self.others_edit)  # "&Programme" holds P
        what = QGroupBox("What happened", self)
        form = QFormLayout(what)
        form.addRow("&Account *", account_row)
        form.addRow("&Indicators", self.indicator_list)
        form.addRow("T&ype of concern *", type_row)
        form.addRow("Immediate &risk *", self.risk_combo)
        form.addRow(self.danger_label)
        form.addRow(self.high_label)
        form.addRow("Lin&k to a risk", self.risk_link_combo)

        left = QVBoxLayout()
        left.addWidget(when)
        left.addWidget(self.person)
        left.addStretch(1)
        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 1)
        columns.addWidget(what, 1)
        # A laptop screen may be shorter than the form: scroll rather than clip.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Log concern")
        self.save_button.setEnabled(False)  # until the lists have loaded
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        required = QLabel("* required", self)
        required.setStyleSheet(NOTE_STYLE)
        footer = QHBoxLayout()
        footer.addWidget(required)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(guidance)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(footer)

        self.account_edit.textChanged.connect(
            lambda: self.account_hint.update_for(bool(self.account_edit.toPlainText().strip()))
        )
        self.type_combo.currentIndexChanged.connect(
            lambda _i: self.type_hint.update_for(self.type_combo.currentData() is not None)
        )
        self.risk_combo.currentIndexChanged.connect(self._risk_changed)
        stack_when_narrow(self, columns)
        fit_to_screen(self, QSize(1120, 800))
        self.account_edit.setFocus()
        self._load()

    def _load(self) -> None:
        workspace = self._workspace
        self._worker.submit(
            lambda _task: load_choices(workspace),
            self._fill_choices,
            self.message.failure_handler(self),
            parent_widget=self,
        )

    def _fill_choices(self, choices: FormChoices) -> None:
        for label in choices.indicators:
            item = QListWidgetItem(label, self.indicator_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.type_combo.blockSignals(True)  # filling is not choosing
        self.type_combo.addItem("Choose…", None)
        for label in choices.types:
            self.type_combo.addItem(label, label)
        self.type_combo.blockSignals(False)
        for risk_id, text in choices.risks:
            self.risk_link_combo.addItem(text, risk_id)
        self.save_button.setEnabled(True)
        self.choices_loaded.emit()

    def _risk_changed(self) -> None:
        risk = self.chosen_risk()
        self.danger_label.setVisible(risk is ImmediateRisk.IMMEDIATE_DANGER)
        self.high_label.setVisible(risk is ImmediateRisk.HIGH)

    def chosen_risk(self) -> ImmediateRisk:
        return ImmediateRisk(self.risk_combo.currentData())

    def set_risk(self, risk: ImmediateRisk) -> None:
        self.risk_combo.setCurrentIndex(self.risk_combo.findData(risk.value))

    def indicators(self) -> tuple[str, ...]:
        items = (self.indicator_list.item(row) for row in range(self.indicator_list.count()))
        return tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)

    def concern_input(self) -> ConcernInput:
        # Qt gives the local wall-clock time; the service stores an aware UTC moment.
        observed: datetime = self.observed_edit.dateTime().toPython()  # type: ignore[assignment]
        risk_id = self.risk_link_combo.currentData()
        return ConcernInput(
            observed_at=observed.astimezone().astimezone(UTC),
            concern_type=str(self.type_combo.currentData() or ""),
            immediate_risk=self.chosen_risk(),
            details=ConcernDetails(
                person=self.person.person(),
                account=self.account_edit.toPlainText(),
                location=self.location_edit.text().strip(),
                context=self.context_edit.toPlainText().strip(),
                others_present=self.others_edit.toPlainText().strip(),
                indicators=self.indicators(),
            ),
            risk_id=str(risk_id) if risk_id else None,
        )

    def save(self) -> None:
        self.message.clear()
        for hint, filled in (
            (self.account_hint, bool(self.account_edit.toPlainText().strip())),
            (self.type_hint, self.type_combo.currentData() is not None),
        ):
            hint.touched = True
            hint.update_for(filled)
        self.person.flag_missing()
        data = self.concern_input()
        concerns = self._workspace.concerns

        def write(_task: object) -> tuple[ChangeSet, str]:
            change = concerns.log_concern(data)
            return change, concerns.reference_of(change.ids[0])

        self.pause()
        self._worker.submit(
            write,
            self._logged,
            self.message.failure_handler(self, after=self.resume),
            parent_widget=self,
        )

    def _logged(self, result: tuple[ChangeSet, str]) -> None:
        change, self.reference = result
        self.setEnabled(True)
        self.changed.emit(change)
        self.logged.emit(self.reference, self.chosen_risk() is ImmediateRisk.IMMEDIATE_DANGER)
        self.accept()


def logged_message(reference: str, immediate_danger: bool) -> str:
    """What the reporter is told once the concern is saved."""
    text = (
        f"Concern {reference} logged. It is now with the safeguarding lead, awaiting their review."
    )
    if immediate_danger:
        text += " If anyone is still in danger, call 999 now."
    else:
        text += " If it cannot wait, tell them in person as well."
    return text


class OwnReportDialog(QDialog):
    """The reporter's read-only view of what they logged, and where it stands now."""

    def __init__(self, view: ReporterView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        summary = view.summary
        self.setWindowTitle(f"Prevent Desktop — Your concern {summary.reference}")
        status = QGroupBox("Where it stands", self)
        form = QFormLayout(status)
        lead = summary.assigned_lead_name or "Not assigned yet"
        for label, value in (
            ("Reference", summary.reference),
            ("Status", f"{summary.status.label} (since {local_time(summary.status_changed_at)})"),
            ("Assigned lead", lead),
            ("Observed", local_time(summary.observed_at)),
            ("Recorded", local_time(summary.recorded_at)),
            ("Type of concern", summary.concern_type),
            ("Immediate risk", risk_text(summary.immediate_risk)),
        ):
            form.addRow(f"{label}:", self._value(value))
        layout = QVBoxLayout(self)
        layout.addWidget(status)
        self.account_edit: QPlainTextEdit | None = None
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(NOTICE_STYLE)
        if view.details is None:
            self.note_label.setText(
                "Your copy of what you wrote can no longer be read: it was locked to your "
                "previous passphrase, and a passphrase reset replaces that key. The "
                "safeguarding lead holds the full record; ask them if you need it."
            )
            layout.addWidget(self.note_label)
        else:
            layout.addWidget(self._written(view.details))
            self.note_label.setText(
                "This is what you wrote, as you wrote it. To add something, tell the "
                "safeguarding lead or log a new concern."
            )
            layout.addWidget(self.note_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        fit_to_screen(self, QSize(720, 640 if view.details is not None else 360))

    def _value(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # someone's own words, never markup
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _written(self, details: ConcernDetails) -> QGroupBox:
        box = QGroupBox("What you wrote", self)
        form = QFormLayout(box)
        form.addRow("About:", self._value(details.person.display()))
        if details.location:
            form.addRow("Location:", self._value(details.location))
        if details.context:
            form.addRow("Context:", self._value(details.context))
        self.account_edit = QPlainTextEdit(details.account, box)
        self.account_edit.setReadOnly(True)
        self.account_edit.setAccessibleName("Your account")
        form.addRow("Account:", self.account_edit)
        if details.others_present:
            form.addRow("Others present:", self._value(details.others_present))
        if details.indicators:
            form.addRow("Indicators:", self._value("; ".join(details.indicators)))
        return box
