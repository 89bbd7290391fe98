"""The Settings dialog's Reminders and Retention pages.

Reminders: how long before training expires the matrix calls it due soon (the only "due soon"
window the app has; risk, plan and referral reviews fall due on their own dates).

Retention: how long concerns are kept. Changing the rule works every concern's review-by date
out again from sealed dates of birth, so the service lets only a safeguarding lead holding
safeguarding access do it; anyone else sees the rule read-only, with that reason. The same
service calls as Concern log settings.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from prevent_desktop.domain.concern import RetentionRule
from prevent_desktop.ui.setting_fields import due_soon_spin, retention_spins
from prevent_desktop.ui.settings_page import PendingWrite, SettingsPage, SettingsValues
from prevent_desktop.ui.styles import NOTICE_STYLE

RETENTION_NOTE = (
    "Each concern is kept until its review-by date: the end of the year of the person's date "
    "of birth plus the first number of years or, when the date of birth is not known, the "
    "second number of years after the concern is closed. Past that date it appears in the "
    "concern log's retention review, where a lead decides to delete or keep it."
)
NOT_A_LEAD_NOTE = (
    "Only a safeguarding lead who holds safeguarding access can change the rule: every "
    "concern's review-by date is worked out again from dates of birth, which only leads can "
    "read. A lead changes it under Concern log settings."
)


class RemindersPage(SettingsPage):
    title = "Reminders"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stored_days = 0
        self.days_spin = due_soon_spin(self)
        days_label = QLabel("Training &due soon within:", self)
        days_label.setBuddy(self.days_spin)
        days_error, self.days_message = self.field_message()
        days_note = self.note(
            "Training that expires within this many days shows as due soon on the training "
            "matrix, in its reports and in the quarterly return. It still counts as in date "
            "until it expires."
        )
        form = QFormLayout()
        form.addRow(days_label, self.cell(self.days_spin, days_error, days_note))
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    def show_values(self, values: SettingsValues) -> None:
        self._stored_days = values.due_soon_days
        self.days_spin.setValue(values.due_soon_days)

    def set_editable(self, editable: bool) -> None:
        self.days_spin.setEnabled(editable)

    def pending_writes(self) -> list[PendingWrite]:
        days = self.days_spin.value()
        if days == self._stored_days:
            return []
        return [
            PendingWrite(
                lambda ws: ws.training.set_due_soon_days(days),
                lambda: setattr(self, "_stored_days", days),
                self.days_message,
            )
        ]


class RetentionPage(SettingsPage):
    title = "Retention"

    def __init__(self, can_set_rule: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_set_rule = can_set_rule
        self._stored = RetentionRule()
        self.birth_spin, self.closure_spin = retention_spins(self)
        birth_label = QLabel("Keep until date of &birth plus:", self)
        birth_label.setBuddy(self.birth_spin)
        closure_label = QLabel("Without a date of birth, &after closure:", self)
        closure_label.setBuddy(self.closure_spin)
        rule_error, self.rule_message = self.field_message()
        self.reason = QLabel(NOT_A_LEAD_NOTE, self)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(NOTICE_STYLE)
        self.reason.setAccessibleName("Why the retention rule cannot be changed here")
        self.reason.setVisible(not can_set_rule)
        form = QFormLayout()
        form.addRow(self.note(RETENTION_NOTE))
        form.addRow(self.reason)
        form.addRow(birth_label, self.birth_spin)
        form.addRow(closure_label, self.closure_spin)
        form.addRow(rule_error)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    def show_values(self, values: SettingsValues) -> None:
        self._stored = values.retention
        self.birth_spin.setValue(values.retention.years_after_birth)
        self.closure_spin.setValue(values.retention.years_after_closure)

    def set_editable(self, editable: bool) -> None:
        for spin in (self.birth_spin, self.closure_spin):
            spin.setEnabled(editable and self.can_set_rule)

    def pending_writes(self) -> list[PendingWrite]:
        if not self.can_set_rule:
            return []
        rule = RetentionRule(self.birth_spin.value(), self.closure_spin.value())
        if rule == self._stored:
            return []
        return [
            PendingWrite(
                lambda ws: ws.concerns.set_retention_rule(rule),
                lambda: setattr(self, "_stored", rule),
                self.rule_message,
            )
        ]
