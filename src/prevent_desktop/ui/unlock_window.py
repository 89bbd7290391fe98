"""The unlock window: choose a user, type the passphrase, optionally remember the sign-in.

Key derivation (Argon2id, about half a second) runs on the database worker while the window
shows a busy state. A wrong passphrase clears the field and says so inline. After three in a
row the store makes each further try wait (store/guess_throttle.py); the Unlock button then
counts the wait down for that user, and tries nothing until it is over. A sign-in remembered
in the system keychain is used only when the app starts, never after a lock: a lock that a
remembered key undid would protect nothing.

"Use the recovery key…" opens `RecoveryAccessDialog`, which gives a manager a new passphrase
(and rebuilds a missing or damaged key file). The window stays usable when the key file cannot
be read, so that route is open exactly when it is needed most.

When the database will not open because it is damaged (or the app's page check found damage
in the session that just ended), the window offers the latest automatic backup under the
error: "Restore the automatic backup of …" opens `RestoreBackupDialog`.
"""

from __future__ import annotations

import html
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from prevent_desktop.errors import DamagedDatabase, KnownError, UnknownUser, WrongPassphrase
from prevent_desktop.ui.bug_dialog import show_message
from prevent_desktop.ui.forms.unlock_window_ui import Ui_UnlockWindow
from prevent_desktop.ui.styles import ERROR_STYLE, NOTE_STYLE, NOTICE_STYLE
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

# The window paints before the store, the services and the keychain are loaded (issue 9,
# target 1): unlock_tasks (and with it SQLAlchemy, the services and the cryptography) is
# imported on the worker by the first task, and the keychain is first asked there too.
if TYPE_CHECKING:
    from prevent_desktop.services.restore import RestoreOffer
    from prevent_desktop.services.workspace import Workspace
    from prevent_desktop.store.keychain import Keychain
    from prevent_desktop.ui.recovery_access_dialog import RecoveryAccessDialog
    from prevent_desktop.ui.restore_backup_dialog import RestoreBackupDialog
    from prevent_desktop.ui.unlock_tasks import AccessReset, Inspection, SignIn

logger = logging.getLogger(__name__)

LINK_STYLE = (
    "QPushButton { color: palette(link); text-decoration: underline; border: none;"
    " padding: 2px 0px; text-align: left; }"
    "QPushButton:disabled { color: palette(placeholder-text); }"
)


class UnlockWindow(QWidget):
    unlocked = Signal(object)  # the signed-in Workspace

    def __init__(
        self,
        worker: DatabaseWorker,
        db_path: Path,
        keychain: Keychain,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_UnlockWindow()
        self.ui.setupUi(self)
        self._worker = worker
        self._db_path = Path(db_path)
        self._keychain = keychain
        self._remembered: set[str] = set()
        self._busy = False
        self._key_file_lost = False  # the last failure was an unreadable key file
        self._keychain_known = False  # asked once the worker has looked for the keychain
        self.recovery_dialog: RecoveryAccessDialog | None = None
        self.restore_dialog: RestoreBackupDialog | None = None
        self._restore_offer: RestoreOffer | None = None
        # Below the error, for a database that will not open (see the module's docstring).
        self.restoreButton = QPushButton(self)
        self.restoreButton.setObjectName("restoreButton")
        self.restoreButton.setStyleSheet(LINK_STYLE)
        self.restoreButton.setCursor(Qt.CursorShape.PointingHandCursor)
        self.restoreButton.hide()
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(outer.indexOf(self.ui.errorLabel) + 1, self.restoreButton)
        self.restoreButton.clicked.connect(self.use_restore_offer)
        self._locked_notice = self.ui.noticeLabel.text()
        self._unlock_text = self.ui.unlockButton.text()
        # Users who must wait after wrong passphrases: casefolded login -> monotonic deadline.
        self._waits: dict[str, float] = {}
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(250)
        self._wait_timer.timeout.connect(self._update_unlock_button)
        self._pending_login = ""
        self._style()
        self.ui.unlockButton.clicked.connect(self.unlock)
        self.ui.passphraseEdit.returnPressed.connect(self.unlock)
        self.ui.userCombo.currentTextChanged.connect(self._reflect_remembered)
        self.ui.userCombo.currentTextChanged.connect(self._update_unlock_button)
        self.ui.quitButton.clicked.connect(self.close)
        self.ui.recoveryButton.clicked.connect(self.use_recovery_key)

    def _style(self) -> None:
        ui = self.ui
        title_font = QFont(ui.titleLabel.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        ui.titleLabel.setFont(title_font)
        name = html.escape(self._db_path.name)
        folder = html.escape(str(self._db_path.parent))
        ui.databaseLabel.setText(
            f"Unlock <b>{name}</b><br><span style='color: palette(placeholder-text);'>"
            f"in {folder}</span>"
        )
        ui.errorLabel.setStyleSheet(ERROR_STYLE)
        ui.noticeLabel.setStyleSheet(NOTICE_STYLE)
        ui.keychainNote.setStyleSheet(NOTE_STYLE)
        ui.forgottenLabel.setStyleSheet(NOTE_STYLE)
        small = QFont(ui.keychainNote.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        ui.keychainNote.setFont(small)
        ui.forgottenLabel.setFont(small)
        ui.recoveryLabel.setStyleSheet(NOTE_STYLE)
        ui.recoveryLabel.setFont(small)
        ui.recoveryButton.setStyleSheet(LINK_STYLE)
        ui.recoveryButton.setFont(small)
        ui.recoveryButton.setCursor(Qt.CursorShape.PointingHandCursor)
        ui.errorLabel.hide()
        ui.noticeLabel.hide()
        ui.keychainNote.hide()
        self._set_busy(False)

    def _show_keychain_state(self) -> None:
        """The remember option as the keychain allows, once the worker has looked for it."""
        self._keychain_known = True
        ui = self.ui
        if self._keychain.available():
            ui.keychainNote.hide()
        else:
            reason = self._keychain.unavailable_reason()
            ui.rememberCheck.setToolTip(reason)
            ui.keychainNote.setText(reason)
            ui.keychainNote.show()
            self._grow_to_fit()
        ui.rememberCheck.setEnabled(not self._busy and self._keychain.available())

    # ---- preparing -----------------------------------------------------------------------

    def prepare(
        self,
        *,
        login: str | None = None,
        locked: bool = False,
        try_remembered: bool = False,
        notice: str = "",
        offer_restore: bool = False,
    ) -> None:
        """Reset the window and read who can sign in. `locked` shows why it reappeared, and
        `notice` anything else worth saying above the form; `try_remembered` (only at
        start-up) signs in with a remembered key if there is one; `offer_restore` offers the
        latest automatic backup at once (the session's page check found damage)."""
        self.ui.passphraseEdit.clear()
        self._hide_error()
        self._hide_restore_offer()
        if offer_restore:
            self._look_for_restore_offer()
        self._key_file_lost = False
        self.ui.noticeLabel.setText(notice or self._locked_notice)
        self.ui.noticeLabel.setVisible(locked or bool(notice))
        self._grow_to_fit()
        preferred = login or self.ui.userCombo.currentText().strip() or None
        self._set_busy(True, "Reading the database's users…")
        db_path, keychain = self._db_path, self._keychain
        self._worker.submit(
            lambda _ctx: _inspect_database(db_path, keychain, preferred, try_remembered),
            lambda inspection: self._inspected(inspection, preferred),
            self._inspection_failed,
            parent_widget=self,
        )

    def _inspected(self, inspection: Inspection, preferred: str | None) -> None:
        self._remembered = inspection.remembered
        combo = self.ui.userCombo
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(inspection.logins)
        chosen = preferred or next(iter(sorted(inspection.remembered)), None)
        if chosen is None and inspection.logins:
            chosen = inspection.logins[0]
        combo.setCurrentText(chosen or "")
        combo.blockSignals(False)
        self._set_busy(False)
        self._show_keychain_state()
        self._reflect_remembered(combo.currentText())
        if inspection.workspace is not None:
            self._finish(inspection.workspace)
            return
        self._focus_first_empty_field()

    def _inspection_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_keychain_state()
        self._fail(error)
        if self._key_file_lost:
            # Nobody can sign in with a passphrase until the key file is back or rebuilt.
            self.ui.recoveryButton.setFocus()

    @Slot(str)
    def _reflect_remembered(self, login: str) -> None:
        if self._keychain_known and self._keychain.available():
            wanted = login.strip().casefold()
            remembered = any(known.casefold() == wanted for known in self._remembered)
            self.ui.rememberCheck.setChecked(remembered)

    # ---- unlocking -----------------------------------------------------------------------

    @Slot()
    def unlock(self) -> None:
        if self._busy or self.seconds_to_wait() > 0:
            return
        login = self.ui.userCombo.currentText().strip()
        passphrase = self.ui.passphraseEdit.text()
        if not login:
            self._show_error("Choose or type your user name.")
            self.ui.userCombo.setFocus()
            return
        if not passphrase:
            self._show_error("Type your passphrase.")
            self.ui.passphraseEdit.setFocus()
            return
        remember = self.ui.rememberCheck.isChecked() if self._keychain.available() else None
        self._hide_error()
        self._pending_login = login
        self._set_busy(True, "Unlocking…")
        db_path, keychain = self._db_path, self._keychain
        self._worker.submit(
            lambda _ctx: _sign_in(db_path, login, passphrase, keychain, remember),
            self._signed_in,
            self._sign_in_failed,
            parent_widget=self,
        )

    def _signed_in(self, result: SignIn) -> None:
        self._set_busy(False)
        self.ui.passphraseEdit.clear()
        if result.keychain_problem:
            show_message(result.keychain_problem, None)
        self._finish(result.workspace)

    def _finish(self, workspace: Workspace) -> None:
        if not self.isVisible():
            # The window was closed while the key was being derived: nobody wants this
            # session any more, so drop its key rather than open a window for it.
            self._worker.submit(lambda _ctx: workspace.close(), lambda _none: None)
            return
        logger.info("Unlocked database %s", workspace.database.database_id)
        self.unlocked.emit(workspace)

    def _sign_in_failed(self, error: BaseException) -> None:
        if isinstance(error, WrongPassphrase) and error.retry_after > 0:
            deadline = time.monotonic() + error.retry_after
            self._waits[self._pending_login.casefold()] = deadline
            self._wait_timer.start()
        self._set_busy(False)
        self.ui.passphraseEdit.clear()
        self._fail(error)
        if isinstance(error, UnknownUser):
            self.ui.userCombo.setFocus()
            self.ui.userCombo.lineEdit().selectAll()
        else:
            self.ui.passphraseEdit.setFocus()

    def _fail(self, error: BaseException) -> None:
        self._key_file_lost = isinstance(error, DamagedDatabase) and "key file" in error.message
        if isinstance(error, DamagedDatabase):
            self._look_for_restore_offer()
        if isinstance(error, KnownError):
            logger.info("Unlock refused: %s", type(error).__name__)
            self._show_error(error.message)
        else:
            self._show_error("Could not unlock because of an unexpected error (details shown).")
            report_failure(error, self)

    # ---- the recovery key ----------------------------------------------------------------

    @Slot()
    def use_recovery_key(self) -> None:
        """Open the recovery-key dialog, offering the users this window knows about."""
        if self._busy:
            return
        from prevent_desktop.ui.recovery_access_dialog import RecoveryAccessDialog

        combo = self.ui.userCombo
        dialog = RecoveryAccessDialog(
            self._worker,
            self._db_path,
            [combo.itemText(i) for i in range(combo.count())],
            combo.currentText().strip(),
            key_file_lost=self._key_file_lost,
            parent=self,
        )
        dialog.access_reset.connect(self._access_reset)
        dialog.finished.connect(lambda _result: self._recovery_dialog_finished(dialog))
        self.recovery_dialog = dialog
        dialog.open()

    def _recovery_dialog_finished(self, dialog: RecoveryAccessDialog) -> None:
        if self.recovery_dialog is dialog:
            self.recovery_dialog = None
        dialog.deleteLater()

    def _access_reset(self, result: AccessReset) -> None:
        logger.info("A manager's passphrase was reset with the recovery key")
        notice = f"New passphrase set for {result.login}: sign in with it."
        if result.kept_key_file is not None:
            notice += (
                f" The unreadable key file was kept as {result.kept_key_file}; other users "
                "need a manager to reset their passphrases."
            )
        self.prepare(login=result.login, notice=notice)

    # ---- restoring the latest automatic backup -------------------------------------------

    def _look_for_restore_offer(self) -> None:
        db_path = self._db_path
        self._worker.submit(
            lambda _ctx: _find_restore_offer(db_path),
            self._show_restore_offer,
            lambda _error: None,  # no offer then; the error shown already says what to do
        )

    def _show_restore_offer(self, offer: RestoreOffer | None) -> None:
        self._restore_offer = offer
        if offer is None:
            self.restoreButton.hide()
            return
        when = f" of {offer.made}" if offer.made else ""
        self.restoreButton.setText(f"Restore the automatic backup{when}…")
        self.restoreButton.setToolTip(str(offer.backup))
        self.restoreButton.show()
        self._grow_to_fit()

    def _hide_restore_offer(self) -> None:
        self._restore_offer = None
        self.restoreButton.hide()

    @property
    def restore_offer(self) -> RestoreOffer | None:
        """The backup offered under the error, or None."""
        return self._restore_offer if self.restoreButton.isVisibleTo(self) else None

    @Slot()
    def use_restore_offer(self) -> None:
        offer = self._restore_offer
        if self._busy or offer is None:
            return
        from prevent_desktop.ui.restore_backup_dialog import RestoreBackupDialog

        combo = self.ui.userCombo
        dialog = RestoreBackupDialog(
            self._worker,
            self._db_path,
            offer,
            [combo.itemText(i) for i in range(combo.count())],
            combo.currentText().strip(),
            key_file_lost=self._key_file_lost,
            parent=self,
        )
        dialog.restored.connect(lambda kept: self._backup_restored(offer, kept))
        dialog.finished.connect(lambda _result: self._restore_dialog_finished(dialog))
        self.restore_dialog = dialog
        dialog.open()

    def _restore_dialog_finished(self, dialog: RestoreBackupDialog) -> None:
        if self.restore_dialog is dialog:
            self.restore_dialog = None
        dialog.deleteLater()

    def _backup_restored(self, offer: RestoreOffer, kept: Path | None) -> None:
        logger.info("The latest automatic backup was restored")
        when = f" of {offer.made}" if offer.made else ""
        notice = (
            f"The automatic backup{when} was restored. Sign in with the passphrase you had then."
        )
        if kept is not None:
            notice += f" The file it replaced is kept as {kept}."
        self.prepare(notice=notice)

    # ---- presentation --------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        ui = self.ui
        for widget in (ui.userCombo, ui.passphraseEdit, ui.recoveryButton, self.restoreButton):
            widget.setEnabled(not busy)
        self._update_unlock_button()
        ui.rememberCheck.setEnabled(
            not busy and self._keychain_known and self._keychain.available()
        )
        ui.busyBar.setVisible(busy)
        ui.busyLabel.setVisible(busy)
        ui.busyLabel.setText(text)

    def seconds_to_wait(self) -> float:
        """How long the chosen user must still wait after wrong passphrases (0: none)."""
        deadline = self._waits.get(self.ui.userCombo.currentText().strip().casefold(), 0.0)
        return max(0.0, deadline - time.monotonic())

    @Slot()
    def _update_unlock_button(self) -> None:
        now = time.monotonic()
        self._waits = {login: end for login, end in self._waits.items() if end > now}
        if not self._waits:
            self._wait_timer.stop()
        remaining = self.seconds_to_wait()
        button = self.ui.unlockButton
        button.setEnabled(not self._busy and remaining <= 0)
        button.setText(f"Wait {int(remaining + 0.999)} s" if remaining > 0 else self._unlock_text)

    def _show_error(self, text: str) -> None:
        self.ui.errorLabel.setText(text)
        self.ui.errorLabel.show()
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        # Word-wrapped labels (the keychain note, a long error naming a file) need height
        # for the current width, which a top-level window does not work out by itself.
        layout = self.layout()
        layout.activate()
        if layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
        else:
            needed = layout.totalSizeHint().height()
        self.setMinimumHeight(needed)
        if needed > self.height():
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._grow_to_fit()

    def _hide_error(self) -> None:
        self.ui.errorLabel.clear()
        self.ui.errorLabel.hide()

    def _focus_first_empty_field(self) -> None:
        if self.ui.userCombo.currentText().strip():
            self.ui.passphraseEdit.setFocus()
        else:
            self.ui.userCombo.setFocus()

    @property
    def error_text(self) -> str:
        """The inline error currently shown, or an empty string."""
        return self.ui.errorLabel.text() if self.ui.errorLabel.isVisibleTo(self) else ""

    @property
    def notice_text(self) -> str:
        """The notice currently shown above the form, or an empty string."""
        return self.ui.noticeLabel.text() if self.ui.noticeLabel.isVisibleTo(self) else ""

    @property
    def busy(self) -> bool:
        return self._busy


# unlock_tasks is imported by the first task that needs it, on the worker.


def _inspect_database(
    db_path: Path, keychain: Keychain, preferred: str | None, try_remembered: bool
) -> Inspection:
    from prevent_desktop.ui.unlock_tasks import inspect_database

    return inspect_database(db_path, keychain, preferred, try_remembered)


def _sign_in(
    db_path: Path, login: str, passphrase: str, keychain: Keychain, remember: bool | None
) -> SignIn:
    from prevent_desktop.ui.unlock_tasks import sign_in

    return sign_in(db_path, login, passphrase, keychain, remember)


def _find_restore_offer(db_path: Path) -> RestoreOffer | None:
    from prevent_desktop.ui.unlock_tasks import find_restore_offer

    return find_restore_offer(db_path)
