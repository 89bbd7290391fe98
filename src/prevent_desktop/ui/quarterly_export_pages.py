"""The quarterly export wizard's first two pages: which quarter, and what head office will
receive (its public key, entered here by a manager when it is missing, and the concern
records policy with the reason when this user can send only statistics).

The pages read the wizard's `setup` (loaded on the worker) and never the database themselves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.quarterly_export import HEAD_OFFICE_KEY_SETTING, POLICIES
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.head_office_fields import HeadOfficeKeyField
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE
from prevent_desktop.ui.sync_key_dialogs import large_monospace

if TYPE_CHECKING:
    from prevent_desktop.ui.quarterly_export_wizard import QuarterlyExportWizard

QUARTERS_OFFERED = 8  # two years back: a late return is still possible, older ones are not
DAY_FORMAT = "%d/%m/%Y"
WARNING_STYLE = ERROR_STYLE  # a tinted box with "⚠": it must not be missed


@dataclass(frozen=True)
class ExportSetup:
    """What the wizard shows before anything is written, read on the worker."""

    site_name: str
    site_code: str
    head_office_key: str | None
    policy: str
    effective_policy: str
    note: str  # why effective_policy differs from policy; "" when it does not


def load_setup(workspace: Workspace) -> ExportSetup:
    """Runs on the worker."""
    site = workspace.site.site()
    quarterly = workspace.quarterly
    effective, note = quarterly.effective_policy()
    return ExportSetup(
        site.name,
        site.code,
        quarterly.head_office_key(),
        quarterly.concern_policy(),
        effective,
        note,
    )


def period_text(quarter: Quarter) -> str:
    return f"From {quarter.start:{DAY_FORMAT}} to {quarter.end:{DAY_FORMAT}}"


def note_label(text: str, parent: QWidget, style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class QuarterPage(QWizardPage):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Which quarter?")
        self.setSubTitle(
            "A return covers one calendar quarter. Head office keeps the latest return each "
            "site sends for a quarter."
        )
        self.today = today
        self.current = Quarter.containing(today)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Quarter")
        quarter = self.current
        for _ in range(QUARTERS_OFFERED):
            running = " — still running" if quarter == self.current else ""
            self.combo.addItem(f"{quarter.label}{running}", str(quarter))
            quarter = quarter.previous()
        self.combo.setCurrentIndex(1)  # the last complete quarter
        caption = QLabel("&Quarter:", self)
        caption.setBuddy(self.combo)
        self.period_label = QLabel(self)
        self.period_label.setAccessibleName("The quarter's dates")
        self.running_note = note_label("", self)
        form = QFormLayout()
        form.addRow(caption, self.combo)
        form.addRow("Dates:", self.period_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.running_note)
        layout.addStretch(1)
        self.combo.currentIndexChanged.connect(self._show_period)
        self._show_period()

    def quarter(self) -> Quarter:
        return Quarter.parse(str(self.combo.currentData()))

    def set_quarter(self, quarter: Quarter) -> None:
        index = self.combo.findData(str(quarter))
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _show_period(self) -> None:
        quarter = self.quarter()
        self.period_label.setText(period_text(quarter))
        running = quarter == self.current
        self.running_note.setVisible(running)
        if running:
            self.running_note.setText(
                f"This quarter is still running: the return shows the site as it stands "
                f"today, {self.today:{DAY_FORMAT}}, and deadlines are judged on today. Send "
                "the return again after the quarter ends: head office keeps the later one."
            )


class ContentPage(QWizardPage):
    """Head office's key (complete only once it is set) and the concern records policy."""

    def __init__(self, wizard: QuarterlyExportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.may_set_key = wizard.workspace.actor.can(Permission.CHANGE_SETTINGS)
        self.setTitle("What head office will receive")
        self.setSubTitle(
            "The return for the quarter: the risk register and what changed in it, training "
            "compliance, incident plan reviews and drills, and concern statistics."
        )
        key_box = QGroupBox("Head office's public key", self)
        self.key_status = QLabel("Reading the settings…", key_box)
        self.key_status.setWordWrap(True)
        self.key_value = QLabel(key_box)
        self.key_value.setFont(large_monospace(1.0))
        self.key_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_value.setAccessibleName("Head office's public key")
        self.key_field = HeadOfficeKeyField(key_box)
        self.save_key_button = QPushButton("Sa&ve the key", key_box)
        self.save_key_button.setAutoDefault(False)
        self.change_key_button = QPushButton("C&hange the key…", key_box)
        self.change_key_button.setAutoDefault(False)
        key_message = QLabel(key_box)
        key_message.setWordWrap(True)
        self.key_message = FormMessage(key_message)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_field, 1)
        key_row.addWidget(self.save_key_button, 0, Qt.AlignmentFlag.AlignTop)
        key_layout = QVBoxLayout(key_box)
        key_layout.addWidget(self.key_status)
        key_layout.addWidget(self.key_value)
        key_layout.addLayout(key_row)
        key_layout.addWidget(self.change_key_button, 0, Qt.AlignmentFlag.AlignLeft)
        key_layout.addWidget(key_message)

        policy_box = QGroupBox("Concern records", self)
        self.policy_label = QLabel(policy_box)
        self.policy_label.setWordWrap(True)
        self.policy_note = note_label("", policy_box, WARNING_STYLE)
        self.policy_note.setObjectName("policyNote")
        self.policy_note.hide()
        self.policy_hint = note_label(
            "A manager chooses this for the site in Site ▸ Settings… (Head office)", policy_box
        )
        policy_layout = QVBoxLayout(policy_box)
        policy_layout.addWidget(self.policy_label)
        policy_layout.addWidget(self.policy_note)
        policy_layout.addWidget(self.policy_hint)

        layout = QVBoxLayout(self)
        layout.addWidget(key_box)
        layout.addWidget(policy_box)
        layout.addStretch(1)
        for widget in (self.key_value, self.key_field, self.save_key_button):
            widget.hide()
        self.change_key_button.hide()
        self.key_field.edited.connect(self._key_edited)
        self.key_field.edit.returnPressed.connect(self.save_key)
        self.save_key_button.clicked.connect(self.save_key)
        self.change_key_button.clicked.connect(self._change_key)

    def isComplete(self) -> bool:
        setup = self._wizard.setup
        return setup is not None and bool(setup.head_office_key)

    def setup_loaded(self, setup: ExportSetup) -> None:
        key = setup.head_office_key
        self.key_message.clear()
        if key:
            self.key_status.setText(
                "✓ Set. The return is encrypted to this key, so only head office can open it:"
            )
            self.key_value.setText(key)
        elif self.may_set_key:
            self.key_status.setText(
                "⚠ Not set yet. The return is encrypted to head office's public key, so it is "
                "needed first: head office gives it to each site (it begins age1). Paste it "
                "here and save it; it is kept for every later export."
            )
        else:
            self.key_status.setText(
                "⚠ Not set yet, and only a manager can enter it. Ask a manager of the site to "
                "enter head office's public key (Site ▸ Settings… (Head office)), then make the "
                "export again."
            )
        self.key_value.setVisible(bool(key))
        self._show_key_field(not key and self.may_set_key)
        self.change_key_button.setVisible(bool(key) and self.may_set_key)
        self._show_policy(setup)
        self.completeChanged.emit()

    def _show_policy(self, setup: ExportSetup) -> None:
        chosen = POLICIES.get(setup.policy, setup.policy)
        if setup.effective_policy == setup.policy:
            self.policy_label.setText(f"Head office receives: <b>{html.escape(chosen)}</b>.")
            self.policy_note.hide()
            return
        sent = POLICIES.get(setup.effective_policy, setup.effective_policy)
        self.policy_label.setText(
            f"The site's choice is <b>{html.escape(chosen)}</b>, but this export will send: "
            f"<b>{html.escape(sent)}</b>."
        )
        self.policy_note.setText(f"⚠ {setup.note}")
        self.policy_note.show()

    def _show_key_field(self, shown: bool) -> None:
        self.key_field.setVisible(shown)
        self.save_key_button.setVisible(shown)
        self.save_key_button.setEnabled(self.key_field.is_valid())

    def _change_key(self) -> None:
        self.change_key_button.hide()
        self.key_field.set_text("")
        self._show_key_field(True)
        self.key_field.edit.setFocus()

    def _key_edited(self) -> None:
        self.key_message.clear()
        self.save_key_button.setEnabled(self.key_field.is_valid())

    def save_key(self) -> None:
        if not self.may_set_key or not self.key_field.is_valid():
            return
        key = self.key_field.text()
        quarterly = self._wizard.workspace.quarterly
        self.save_key_button.setEnabled(False)

        def save(_task: object) -> str | None:
            quarterly.set_head_office_key(key)
            return quarterly.head_office_key()

        self._wizard.worker.submit(
            save,
            self._key_saved,
            self.key_message.failure_handler(self, self._key_edited),
            parent_widget=self,
        )

    def _key_saved(self, key: str | None) -> None:
        setup = self._wizard.setup
        if setup is None:
            return
        self._wizard.setup = replace(setup, head_office_key=key)
        self._wizard.changed.emit(ChangeSet("setting", "update", (HEAD_OFFICE_KEY_SETTING,)))
        self.setup_loaded(self._wizard.setup)
        self.key_message.note("Head office's public key is saved for every later export.")
