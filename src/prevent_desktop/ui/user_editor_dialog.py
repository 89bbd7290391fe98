"""Adding a user, or changing an existing user's name and role."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from prevent_desktop.domain.roles import Role
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.users import UserView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.forms.user_editor_dialog_ui import Ui_UserEditorDialog
from prevent_desktop.ui.last_holder import retry_when_confirmed
from prevent_desktop.ui.worker import DatabaseWorker

# What each role may do, in the words of roles.py's grants, so a manager picks knowingly.
ROLE_DESCRIPTIONS = {
    Role.MANAGER: (
        "Runs the site: users, the threat level, settings, backups, the recovery key and the "
        "risk register. Reads concern details only when also the safeguarding lead."
    ),
    Role.SAFEGUARDING_LEAD: (
        "Reads and decides on every concern and referral, keeps the risk register and can "
        "make backups."
    ),
    Role.STAFF: "Reports concerns. Cannot read concerns reported by others.",
}


class UserEditorDialog(QDialog):
    """`user=None` adds a new user (with a first passphrase); otherwise edits `user`.
    Emits `changed(ChangeSet)` and accepts once the service has saved."""

    changed = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        user: UserView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_UserEditorDialog()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._user = user
        self._message = FormMessage(self.ui.errorLabel)
        self.done_message = ""  # what the users dialog says once this has saved
        self._save_button = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)

        for role in Role:
            self.ui.roleCombo.addItem(role.label, role.value)
        if user is None:
            self.setWindowTitle("Prevent Desktop — Add user")
            self._save_button.setText("&Add user")
            self.ui.roleCombo.setCurrentIndex(self.ui.roleCombo.findData(Role.STAFF.value))
        else:
            self.setWindowTitle(f"Prevent Desktop — Edit {user.display_name}")
            self.ui.displayNameEdit.setText(user.display_name)
            self.ui.loginEdit.setText(user.login)
            # Key slots are bound to the user name, so it cannot change after creation.
            self.ui.loginEdit.setReadOnly(True)
            self.ui.loginEdit.setToolTip("A user name cannot be changed once created.")
            self.ui.roleCombo.setCurrentIndex(self.ui.roleCombo.findData(user.role.value))
            self.ui.leadCheck.setChecked(user.is_safeguarding_lead)
            self.ui.passphraseGroup.hide()

        self.ui.roleCombo.currentIndexChanged.connect(self._role_changed)
        self.ui.displayNameEdit.textChanged.connect(self._update_save_button)
        self.ui.loginEdit.textChanged.connect(self._update_save_button)
        self.ui.passphraseFields.acceptable_changed.connect(self._update_save_button)
        self._save_button.clicked.connect(self._save)
        self._role_changed()
        self._update_save_button()
        if user is not None:
            # Without the passphrase group the add-user height would leave a gap.
            self.layout().activate()
            self.resize(self.width(), self.heightForWidth(self.width()))

    def role(self) -> Role:
        return Role(self.ui.roleCombo.currentData())

    def _role_changed(self) -> None:
        role = self.role()
        # The lead role implies the lead flag; only managers and staff choose it separately.
        is_lead_role = role is Role.SAFEGUARDING_LEAD
        if is_lead_role:
            self.ui.leadCheck.setChecked(True)
        self.ui.leadCheck.setEnabled(not is_lead_role)
        self.ui.roleHintLabel.setText(ROLE_DESCRIPTIONS[role])

    def _update_save_button(self) -> None:
        complete = bool(self.ui.displayNameEdit.text().strip() and self.ui.loginEdit.text().strip())
        if self._user is None:
            complete = complete and self.ui.passphraseFields.is_acceptable()
        self._save_button.setEnabled(complete)

    def _save(self, force_last_holder: bool = False) -> None:
        self._message.clear()
        users = self._workspace.users
        name = self.ui.displayNameEdit.text()
        role = self.role()
        is_lead = self.ui.leadCheck.isChecked()
        if self._user is None:
            login = self.ui.loginEdit.text()
            passphrase = self.ui.passphraseFields.passphrase()

            def write(_task: object) -> ChangeSet:
                return users.add_user(
                    login=login,
                    display_name=name,
                    role=role,
                    is_safeguarding_lead=is_lead,
                    passphrase=passphrase,
                )
        else:
            user_id = self._user.id

            def write(_task: object) -> ChangeSet:
                return users.update_user(
                    user_id,
                    display_name=name,
                    role=role,
                    is_safeguarding_lead=is_lead,
                    force_last_holder=force_last_holder,
                )

        self.setEnabled(False)
        self._worker.submit(
            write,
            self._saved,
            retry_when_confirmed(
                self,
                lambda: self._save(force_last_holder=True),
                self._message.failure_handler(self, after=lambda: self.setEnabled(True)),
            ),
            parent_widget=self,
        )

    def _saved(self, change: ChangeSet) -> None:
        self.setEnabled(True)
        name = self.ui.displayNameEdit.text().strip()
        self.done_message = (
            f"{name} was added." if self._user is None else f"Changes to {name} were saved."
        )
        self.changed.emit(change)
        self.accept()
