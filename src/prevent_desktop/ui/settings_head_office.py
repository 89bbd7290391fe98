"""The Settings dialog's Head office page: head office's public key and what the quarterly
return carries of the concern log. The fields live in ui/head_office_fields.py
(`HeadOfficeKeyField`, `ConcernPolicyBox`, shared with the export wizard).

Before saving, it asks as the export does (services/quarterly_export.py's HeadOfficeChanged):
when a key already set is replaced (a wrong key sends the returns to someone else) and when
concern records are to go in full, names included.

The key is shown again in groups of four, to read back to head office over the phone: a
site has nothing else of head office's to compare (head office's own fingerprint is of its
signing key, which a site never sees), and head office shows this same key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.head_office_fields import (
    ConcernPolicyBox,
    HeadOfficeKeyField,
    key_problem,
)
from prevent_desktop.ui.settings_page import (
    Confirmation,
    Invalid,
    PendingWrite,
    SettingsPage,
    SettingsValues,
)
from prevent_desktop.ui.styles import NOTE_STYLE

INTRO = (
    "Each quarter the site sends head office a return (Sync ▸ Quarterly export to head "
    "office…). It is encrypted to head office's public key, so only head office can open it. "
    "Head office gives the key to each site: paste it here once."
)


def in_groups(key: str, size: int = 4, per_line: int = 0) -> str:
    """A key as it is read aloud: 'age1 qz3x …', with `per_line` groups a line (0: one line)."""
    groups = [key[i : i + size] for i in range(0, len(key), size)]
    if not per_line:
        return " ".join(groups)
    return "\n".join(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


class HeadOfficePage(SettingsPage):
    title = "Head office"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stored_key: str | None = None
        self._stored_policy = ""
        self.key_field = HeadOfficeKeyField(self)
        key_label = QLabel("Head office's &public key:", self)
        key_label.setBuddy(self.key_field.edit)
        key_error, self.key_message = self.field_message()
        self.read_back = QLabel("—", self)
        self.read_back.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.read_back.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.read_back.setAccessibleName("Head office's key in groups of four, to read back")
        read_back_note = QLabel(
            "Read it back to head office before the first return: they see the same key "
            "under Sync ▸ Head office's public key.",
            self,
        )
        read_back_note.setWordWrap(True)
        read_back_note.setStyleSheet(NOTE_STYLE)
        self.policy_box = ConcernPolicyBox(self)
        policy_error, self.policy_message = self.field_message()

        form = QFormLayout()
        form.addRow(key_label, self.cell(self.key_field, key_error))
        form.addRow("To compare:", self.cell(self.read_back, read_back_note))
        self.layout_.addWidget(self.note(INTRO))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.policy_box)
        self.layout_.addWidget(policy_error)
        self.layout_.addStretch(1)
        self.key_field.edited.connect(self._key_edited)

    def _key_edited(self) -> None:
        self.key_message.clear()
        key = self.key_field.text()
        self.read_back.setText(in_groups(key, per_line=8) if self.key_field.is_valid() else "—")

    def show_values(self, values: SettingsValues) -> None:
        self._stored_key = values.head_office_key
        self._stored_policy = values.concern_policy
        self.key_field.set_text(values.head_office_key or "")
        self.policy_box.choose(values.concern_policy)

    def set_editable(self, editable: bool) -> None:
        self.key_field.edit.setReadOnly(not editable)
        self.policy_box.setEnabled(editable)

    def pending_writes(self) -> list[PendingWrite]:
        key, policy = self.key_field.text(), self.policy_box.chosen()
        problem = key_problem(key)
        if problem is not None:  # the field says what is wrong, just above
            self.key_message.error(
                "Nothing was saved: head office's public key above is not right yet."
            )
            raise Invalid(self.key_field.edit)
        if not key and self._stored_key:
            self.key_message.error(
                "Head office's public key cannot be removed, only replaced: paste the new one."
            )
            raise Invalid(self.key_field.edit)
        writes: list[PendingWrite] = []
        if key and key != self._stored_key:  # first: a refused key leaves the policy unchanged
            writes.append(self._key_write(key))
        if policy != self._stored_policy:
            writes.append(self._policy_write(policy))
        return writes

    def _key_write(self, key: str) -> PendingWrite:
        def write(ws: Workspace) -> ChangeSet:
            ws.quarterly.set_head_office_key(key)
            return ChangeSet("setting", "update")

        confirm = None
        if self._stored_key:
            confirm = Confirmation(
                "Replace head office's key",
                "From now on the quarterly returns are encrypted to the new key, so that only "
                f"whoever holds it can open them:\n\n{in_groups(key)}\n\nCheck with head "
                "office (by phone, not by replying to an email) that this is their key.",
                "Replace the key",
            )
        return PendingWrite(
            write, lambda: setattr(self, "_stored_key", key), self.key_message, confirm
        )

    def _policy_write(self, policy: str) -> PendingWrite:
        def write(ws: Workspace) -> ChangeSet:
            ws.quarterly.set_concern_policy(policy)
            return ChangeSet("setting", "update")

        confirm = None
        if policy == "full":
            confirm = Confirmation(
                "Send names to head office",
                "From the next return, concern records go to head office in full, with the "
                "names of the people they are about. Check that your organisation's policy "
                "and data-sharing agreement allow it.",
                "Send full records",
            )
        return PendingWrite(
            write, lambda: setattr(self, "_stored_policy", policy), self.policy_message, confirm
        )
