"""The incident plan tab's contacts: a table of every contact, and the dialog to fill one in.

A local contact the site has not filled in (no phone, no email) is the gap that matters most
when a plan is printed and kept by the phone, so it is flagged in words ("⚠ Not filled in")
and not by colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.incident_views import ContactInput, ContactView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.palette import warning_colour
from prevent_desktop.ui.tabs.concern_form_dialog import ConcernFormDialog, text_box
from prevent_desktop.ui.worker import DatabaseWorker

NOT_FILLED_IN = "⚠ Not filled in"


def contact_status(contact: ContactView) -> str:
    if contact.missing:
        return NOT_FILLED_IN
    return "Local" if contact.local else "National"


def contact_line(contact: ContactView) -> str:
    """One line for a plan's detail: who, how to reach them, or the flag."""
    reach = " · ".join(p for p in (contact.phone, contact.phone_other, contact.email) if p)
    who = contact.name + (f" ({contact.organisation})" if contact.organisation else "")
    return f"{who} — {NOT_FILLED_IN}" if contact.missing else f"{who} — {reach or '—'}"


class ContactTable(QTableWidget):
    """Every contact; `edit_requested(ContactView)` on double-click (editors only)."""

    COLUMNS = ("Name", "Organisation", "Phone", "Email", "Status", "Used by")
    edit_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("incidentContacts")
        self.setAccessibleName("Contacts")
        self.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Sized for the flag, which the contents sizing measures short (the ⚠ glyph).
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(4, self.fontMetrics().horizontalAdvance(NOT_FILLED_IN) + 32)
        self.contacts: list[ContactView] = []
        self.doubleClicked.connect(lambda _index: self._request_edit())

    def set_contacts(self, contacts: list[ContactView]) -> None:
        chosen = self.current_contact()
        self.contacts = list(contacts)
        self.setRowCount(len(contacts))
        for row, contact in enumerate(contacts):
            phones = " / ".join(p for p in (contact.phone, contact.phone_other) if p)
            values = (
                contact.name,
                contact.organisation,
                phones,
                contact.email,
                contact_status(contact),
                ", ".join(contact.used_by) or "No plan",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(contact.notes or value)
                if contact.missing and column == 4:
                    item.setForeground(warning_colour())  # the words carry the meaning
                self.setItem(row, column, item)
        if chosen is not None:
            self.select_contact(chosen.id)

    def select_contact(self, contact_id: str) -> None:
        for row, contact in enumerate(self.contacts):
            if contact.id == contact_id:
                self.selectRow(row)

    def current_contact(self) -> ContactView | None:
        row = self.currentRow()
        return self.contacts[row] if 0 <= row < len(self.contacts) else None

    def clear_contacts(self) -> None:
        self.contacts = []
        self.setRowCount(0)

    def _request_edit(self) -> None:
        contact = self.current_contact()
        if contact is not None:
            self.edit_requested.emit(contact)


class ContactDialog(ConcernFormDialog):
    """Add (contact=None) or fill in a contact. Emits `changed(ChangeSet)` and accepts."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        contact: ContactView | None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Add a contact" if contact is None else f"Edit {contact.name}"
        super().__init__(worker, workspace, "", "", title, "&Save", parent)
        self._contact = contact
        self.setWindowTitle(f"Prevent Desktop — {title}")
        self.heading.setText(title)
        self.name_edit = QLineEdit(self)
        self.organisation_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.phone_other_edit = QLineEdit(self)
        self.phone_other_edit.setPlaceholderText("Out of hours, mobile…")
        self.email_edit = QLineEdit(self)
        self.notes_edit = text_box(self, "When to call them, what to say…", 3)
        self.local_check = QCheckBox("A &local contact this site fills in", self)
        self.form.addRow("&Name *", self.name_edit)
        self.form.addRow("&Organisation", self.organisation_edit)
        self.form.addRow("&Phone", self.phone_edit)
        self.form.addRow("Other p&hone", self.phone_other_edit)
        self.form.addRow("&Email", self.email_edit)
        self.form.addRow("No&tes", self.notes_edit)
        self.form.addRow("", self.local_check)
        if contact is not None:
            data = contact.as_input()
            self.name_edit.setText(data.name)
            self.organisation_edit.setText(data.organisation)
            self.phone_edit.setText(data.phone)
            self.phone_other_edit.setText(data.phone_other)
            self.email_edit.setText(data.email)
            self.notes_edit.setPlainText(data.notes)
            self.local_check.setChecked(data.local)
            if contact.missing:
                self.message.error("Not filled in yet: give at least a phone number or an email.")
        if not workspace.actor.can(Permission.EDIT_PLANS):
            # Shown to read; the service would refuse a save anyway.
            for field in (self.name_edit, self.organisation_edit, self.phone_edit):
                field.setReadOnly(True)
            for field in (self.phone_other_edit, self.email_edit):
                field.setReadOnly(True)
            self.notes_edit.setReadOnly(True)
            self.local_check.setEnabled(False)
            self.save_button.setVisible(False)
        self.finish_layout(520)

    def contact_input(self) -> ContactInput:
        return ContactInput(
            name=self.name_edit.text(),
            organisation=self.organisation_edit.text(),
            phone=self.phone_edit.text(),
            phone_other=self.phone_other_edit.text(),
            email=self.email_edit.text(),
            notes=self.notes_edit.toPlainText(),
            local=self.local_check.isChecked(),
        )

    def save(self) -> None:
        incidents, data = self._workspace.incidents, self.contact_input()
        contact_id = self._contact.id if self._contact is not None else None

        def write(_task: object) -> ChangeSet:
            return incidents.save_contact(contact_id, data)

        self.submit_write(write)
