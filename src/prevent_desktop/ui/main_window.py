"""The main window: the four tabs, the status bar, and the account, site and sync menus. At
head office (a head-office database) the tabs give way to head office's view of the sites'
returns, and the Sync menu holds what head office does with them.

It owns no records itself. Tabs load their own; writes made through its dialogs come back as
ChangeSets that it broadcasts on `changed`, so a tab refreshes without any other part of the
window knowing it exists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
)

from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.overview_views import Link
from prevent_desktop.services.site import SiteView, ThreatLevelEntry
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.bug_dialog import show_message
from prevent_desktop.ui.change_passphrase_dialog import ChangePassphraseDialog
from prevent_desktop.ui.forms.main_window_ui import Ui_MainWindow
from prevent_desktop.ui.freed_memory import release_freed_memory
from prevent_desktop.ui.head_office_view import HeadOfficeView
from prevent_desktop.ui.help_dialogs import AboutDialog, ShortcutsDialog, UserGuideDialog
from prevent_desktop.ui.overview_links import follow_link
from prevent_desktop.ui.recovery_key_dialog import (
    RecoveryKeyDialog,
    SafeguardingRecoveryKeyDialog,
)
from prevent_desktop.ui.register_settings_dialog import RegisterSettingsDialog
from prevent_desktop.ui.restore_safeguarding_dialog import RestoreSafeguardingDialog
from prevent_desktop.ui.settings_dialog import SettingsDialog
from prevent_desktop.ui.status_panel import StatusPanel
from prevent_desktop.ui.sync_dialogs import SyncMenu
from prevent_desktop.ui.tabs.concern_log import ConcernLogTab
from prevent_desktop.ui.tabs.concern_settings_dialog import ConcernSettingsDialog
from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
from prevent_desktop.ui.tabs.overview import OverviewTab
from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
from prevent_desktop.ui.tabs.strategy import StrategyTab
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab
from prevent_desktop.ui.threat_level_dialog import ThreatLevelDialog
from prevent_desktop.ui.users_dialog import UsersDialog
from prevent_desktop.ui.worker import DatabaseWorker, is_cancellation, report_failure

APP_TITLE = "Prevent Desktop"
STATUS_MESSAGE_MS = 15_000

AnyDialog = TypeVar("AnyDialog", bound=QDialog)
AnyTab = TypeVar("AnyTab", bound=TabPage)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    sign_out_requested = Signal()
    changed = Signal(object)  # a ChangeSet from any write made in this window

    def __init__(self, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._worker = worker
        self._workspace = workspace
        self._keychain = keychain
        self._site: SiteView | None = None
        # Bumped by clear_views: results of loads started before it are dropped on arrival.
        self._generation = 0

        self.head_office_view: HeadOfficeView | None = None
        self.overview_tab: OverviewTab | None = None
        self.tabs: list[TabPage] = []
        if workspace.database.head_office:
            # Head office keeps no register, concerns, training or plans: only the returns.
            self.head_office_view = HeadOfficeView(worker, workspace, self, open_dialog=self._open)
            self.ui.tabs.hide()
            self.ui.centralLayout.addWidget(self.head_office_view)
            self.head_office_view.status_message.connect(
                lambda text: self.ui.statusBar.showMessage(text, STATUS_MESSAGE_MS)
            )
        else:
            self.overview_tab = OverviewTab(worker, workspace)
            self.overview_tab.link_activated.connect(self.follow_link)
            self.tabs = [
                self.overview_tab,
                RiskRegisterTab(worker, workspace),
                ConcernLogTab(worker, workspace),
                TrainingMatrixTab(worker, workspace),
                IncidentPlanTab(worker, workspace),
                StrategyTab(worker, workspace),
            ]
        # The tab being loaded ahead of being shown, one at a time (see _preload_next).
        self._preloading: TabPage | None = None
        for tab in self.tabs:
            self.ui.tabs.addTab(tab, tab.title)
            self.changed.connect(tab.on_changed)
            tab.loaded.connect(lambda page=tab: self._tab_loaded(page))
            tab.changed.connect(self.changed)
            tab.title_changed.connect(lambda text, page=tab: self._set_tab_title(page, text))
            if isinstance(tab, RiskRegisterTab):
                tab.threat_level_requested.connect(self.open_threat_level)

        self.status_panel = StatusPanel(self)
        self.ui.statusBar.addPermanentWidget(self.status_panel)
        self.status_panel.threat_level_clicked.connect(self.open_threat_level)
        self.changed.connect(self._on_changed)
        self.ui.tabs.currentChanged.connect(self._tab_brought_forward)

        self._connect_actions()
        self._apply_permissions()
        self.refresh_views()
        if workspace.users.must_choose_own_passphrase():
            # After the window is shown, so that the question has the window behind it.
            QTimer.singleShot(0, self, self.ask_for_own_passphrase)

    def ask_for_own_passphrase(self) -> ChangePassphraseDialog:
        """A passphrase a manager set is known to them: until the user chooses their own,
        nothing confidential (safeguarding access) can be given to them."""
        dialog = self.open_change_passphrase()
        dialog.setWindowTitle(f"{APP_TITLE} — Choose your own passphrase")
        dialog.ui.introLabel.setText(
            "Your passphrase was set by a manager. Choose your own now: only then is it yours "
            "alone, and only then can a safeguarding lead be given access to the concern log. "
            "Type the passphrase you were given as the current one."
        )
        me = self._workspace.actor.user_id
        dialog.accepted.connect(lambda: self._own_passphrase_chosen(me))
        return dialog

    def _own_passphrase_chosen(self, user_id: str) -> None:
        self._apply_permissions()
        self.changed.emit(ChangeSet("user", "update", (user_id,)))

    # ---- views -------------------------------------------------------------------------------

    def refresh_views(self) -> None:
        """Load the status bar and the tab in front (after sign-in or unlock); the other tabs
        load behind it, one by one, or as soon as they are brought forward."""
        self.status_panel.show_user(self._workspace.actor)
        self._load_site()
        self._load_threat_level()
        self._preloading = None
        for tab in self.tabs:
            tab.stale = True
        front = self.ui.tabs.currentWidget()
        if isinstance(front, TabPage):
            front.load()
        if self.head_office_view is not None:
            self.head_office_view.refresh()

    def _tab_brought_forward(self, index: int) -> None:
        tab = self.ui.tabs.widget(index)
        if isinstance(tab, TabPage):
            tab.load_if_stale()

    def _tab_loaded(self, tab: TabPage) -> None:
        release_freed_memory()  # what the load built and dropped
        if self._preloading in (None, tab):
            self._preloading = None
            # After the shown load has painted: a preload never delays what the user sees.
            # Dropped if the window is cleared (locked) before it runs.
            generation = self._generation
            QTimer.singleShot(
                0, self, lambda: self._preload_next() if generation == self._generation else None
            )

    def _preload_next(self) -> None:
        """Load the next stale tab while the user looks at this one, so that its title shows
        its counts and it is ready when brought forward. One at a time, each after the last
        has been shown, so a task the user asks for waits behind one load at most."""
        if self._preloading is not None or not self._worker.running:
            return
        tab = next((t for t in self.tabs if t.stale), None)
        if tab is not None:
            self._preloading = tab
            tab.load()

    def tab_of(self, kind: type[AnyTab]) -> AnyTab | None:
        return next((tab for tab in self.tabs if isinstance(tab, kind)), None)

    def follow_link(self, link: Link) -> None:
        """Open what an Overview item points at: its tab, filtered to exactly those records."""
        follow_link(self, link)

    def show_tab(self, tab: TabPage) -> None:
        self.ui.tabs.setCurrentWidget(tab)

    def _set_tab_title(self, tab: TabPage, text: str) -> None:
        self.ui.tabs.setTabText(self.ui.tabs.indexOf(tab), text)

    def clear_views(self) -> None:
        """Drop every displayed record and close every dialog (the app is locking)."""
        self._generation += 1
        self._close_dialogs()
        self._preloading = None
        for tab in self.tabs:
            tab.clear()
            tab.drop_waiting()
            tab.stale = True
        if self.head_office_view is not None:
            self.head_office_view.clear()
        self.status_panel.clear()
        self.ui.statusBar.clearMessage()
        self.setWindowTitle(APP_TITLE)

    def _close_dialogs(self) -> None:
        # Deepest first, so a message box asked from inside a dialog closes before its parent.
        dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        dialogs.sort(key=_depth, reverse=True)
        for dialog in dialogs:
            dialog.reject()

    def _load_site(self) -> None:
        generation = self._generation
        site = self._workspace.site
        self._worker.submit(
            lambda _task: site.site(),
            lambda view: self._show_site(view) if generation == self._generation else None,
            parent_widget=self,
        )

    def _load_threat_level(self) -> None:
        generation = self._generation
        site = self._workspace.site
        self._worker.submit(
            lambda _task: site.current_threat_level(),
            lambda entry: self._show_threat(entry) if generation == self._generation else None,
            parent_widget=self,
        )

    def _show_site(self, site: SiteView) -> None:
        self._site = site
        self.status_panel.show_site(site)
        self.setWindowTitle(f"{APP_TITLE} — {site.name}")
        if self.head_office_view is not None:
            self.status_panel.site_label.setText(f"Head office: {site.name}")
            self.setWindowTitle(f"{APP_TITLE} — {site.name} (head office)")

    def _show_threat(self, entry: ThreatLevelEntry) -> None:
        self.status_panel.show_threat_level(entry)

    def _on_changed(self, change: ChangeSet) -> None:
        if change.record_type == "threat_level":
            self._load_threat_level()
        elif change.record_type == "site":
            self._load_site()

    # ---- menus ---------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        ui = self.ui
        ui.actionLock.triggered.connect(self.lock_requested)
        ui.actionSignOut.triggered.connect(self.sign_out_requested)
        ui.actionQuit.triggered.connect(lambda: QApplication.quit())
        ui.actionThreatLevel.triggered.connect(self.open_threat_level)
        ui.actionUsers.triggered.connect(self.open_users)
        ui.actionSettings.triggered.connect(self.open_settings)
        ui.actionRegisterSettings.triggered.connect(self.open_register_settings)
        # Added here rather than in main_window.ui: the concern log's own menu entry.
        self.actionConcernSettings = QAction("&Concern log settings…", self)
        self.actionConcernSettings.setToolTip(
            "The indicator checklist, the types of concern and the retention rule"
        )
        ui.menuSite.insertAction(ui.actionSettings, self.actionConcernSettings)
        self.actionConcernSettings.triggered.connect(self.open_concern_settings)
        self.actionSafeguardingKey = QAction("Safeguarding &recovery key…", self)
        self.actionSafeguardingKey.setToolTip(
            "Print the key that gives a lead back access to concern details"
        )
        self.actionRestoreSafeguarding = QAction("Restore safeguarding &access…", self)
        for action in (self.actionSafeguardingKey, self.actionRestoreSafeguarding):
            ui.menuSite.insertAction(ui.actionSettings, action)
        self.actionSafeguardingKey.triggered.connect(self.open_safeguarding_key)
        self.actionRestoreSafeguarding.triggered.connect(self.open_restore_safeguarding)
        ui.actionChangePassphrase.triggered.connect(self.open_change_passphrase)
        ui.actionShowRecoveryKey.triggered.connect(self.open_recovery_key)
        ui.actionBackUp.triggered.connect(self.back_up)
        ui.actionAbout.triggered.connect(self.open_about)
        self.actionShortcuts = QAction("&Keyboard shortcuts…", self)
        ui.menuHelp.insertAction(ui.actionAbout, self.actionShortcuts)
        self.actionShortcuts.triggered.connect(self.open_shortcuts)
        self.actionUserGuide = QAction("&User guide", self)
        self.actionUserGuide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        ui.menuHelp.insertAction(self.actionShortcuts, self.actionUserGuide)
        self.actionUserGuide.triggered.connect(self.open_user_guide)
        # Sync ▸ keys, export, import, pairing and conflicts: the flows live in sync_dialogs.
        # At head office: importing returns, the reports and its public key instead.
        self.sync_menu: SyncMenu | None = None
        if self.head_office_view is not None:
            self._sync_qmenu = self.head_office_view.menu
        else:
            self.sync_menu = SyncMenu(
                self._worker,
                self._workspace,
                self,
                open_dialog=self._open,
                refresh=self.refresh_views,
                site_code=lambda: self._site.code if self._site is not None else "",
            )
            self._sync_qmenu = self.sync_menu.menu
        ui.menuBar.insertMenu(ui.menuHelp.menuAction(), self._sync_qmenu)
        self._build_go_menu()

    def _build_go_menu(self) -> None:
        """Go ▸ one entry per tab, Ctrl+1 to Ctrl+9: every tab is a keystroke away (and the
        Keyboard shortcuts list picks them up from here)."""
        self.menuGo = QMenu("&Go", self)
        self.menuGo.setObjectName("menuGo")
        for number, tab in enumerate(self.tabs[:9], start=1):
            action = self.menuGo.addAction(tab.title)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, page=tab: self.show_tab(page))
        self.menuGo.menuAction().setVisible(bool(self.tabs))
        self.ui.menuBar.insertMenu(self._sync_qmenu.menuAction(), self.menuGo)

    def _apply_permissions(self) -> None:
        """Hide what this user's role may not do. The services refuse it anyway."""
        actor = self._workspace.actor
        ui = self.ui
        # A lead who holds the safeguarding key opens Users to grant it to another lead.
        ui.actionUsers.setVisible(self._may_open_users())
        self.actionConcernSettings.setVisible(actor.can(Permission.EDIT_CONCERN_LISTS))
        holds_key = self._workspace.concerns.holds_key()
        self.actionSafeguardingKey.setVisible(holds_key)
        self.actionRestoreSafeguarding.setVisible(
            actor.can(Permission.READ_CONCERNS) and not holds_key
        )
        ui.actionSettings.setVisible(SettingsDialog.allowed(actor))
        ui.actionShowRecoveryKey.setVisible(actor.can(Permission.VIEW_RECOVERY_KEY))
        ui.actionBackUp.setVisible(actor.can(Permission.MAKE_BACKUP))
        self._sync_qmenu.menuAction().setVisible(actor.can(Permission.SYNC_BUNDLES))
        if not actor.can(Permission.SET_THREAT_LEVEL):
            ui.actionThreatLevel.setText("National &threat level…")
        if self.head_office_view is not None:
            for action in (
                ui.actionRegisterSettings,
                self.actionConcernSettings,
                self.actionSafeguardingKey,
                self.actionRestoreSafeguarding,
            ):
                action.setVisible(False)  # the site's records and settings: none here

    def _open(self, dialog: AnyDialog) -> AnyDialog:
        """Show a dialog of this window without blocking, one of each kind at a time."""
        for existing in self.findChildren(type(dialog)):
            if existing is not dialog and existing.isVisible():
                dialog.deleteLater()
                existing.raise_()
                existing.activateWindow()
                return existing
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # While a dialog is modal the window's own shortcuts are blocked; Ctrl+L must not be.
        dialog.addAction(self.ui.actionLock)
        changed = getattr(dialog, "changed", None)
        if changed is not None:
            changed.connect(self.changed)
        dialog.open()
        return dialog

    def open_threat_level(self) -> ThreatLevelDialog:
        return self._open(ThreatLevelDialog(self._worker, self._workspace, self))

    def _may_open_users(self) -> bool:
        workspace = self._workspace
        return workspace.actor.can(Permission.MANAGE_USERS) or workspace.concerns.holds_key()

    def open_users(self) -> UsersDialog | None:
        if not self._may_open_users():
            return None
        return self._open(UsersDialog(self._worker, self._workspace, self))

    def open_concern_settings(self) -> ConcernSettingsDialog | None:
        if not self._workspace.actor.can(Permission.EDIT_CONCERN_LISTS):
            return None
        return self._open(ConcernSettingsDialog(self._worker, self._workspace, self))

    def open_safeguarding_key(self) -> SafeguardingRecoveryKeyDialog | None:
        if not self._workspace.concerns.holds_key():
            return None
        return self._open(SafeguardingRecoveryKeyDialog(self._worker, self._workspace, self))

    def open_restore_safeguarding(self) -> RestoreSafeguardingDialog:
        dialog = RestoreSafeguardingDialog(self._worker, self._workspace, self)
        dialog.accepted.connect(lambda: self._safeguarding_restored(dialog))
        return self._open(dialog)

    def _safeguarding_restored(self, dialog: RestoreSafeguardingDialog) -> None:
        self._apply_permissions()
        if dialog.result_change is not None:
            self.changed.emit(dialog.result_change)
        self.ui.statusBar.showMessage(
            "Safeguarding access restored: the concern log shows every detail again.",
            STATUS_MESSAGE_MS,
        )

    def open_register_settings(self) -> RegisterSettingsDialog:
        return self._open(RegisterSettingsDialog(self._worker, self._workspace, self))

    def open_settings(self) -> SettingsDialog | None:
        if not SettingsDialog.allowed(self._workspace.actor):
            return None
        return self._open(SettingsDialog(self._worker, self._workspace, self))

    def open_head_office_settings(self) -> SettingsDialog | None:
        """Settings, on the page with head office's key (the Overview's checklist links here)."""
        dialog = self.open_settings() if self.head_office_view is None else None
        if dialog is not None and dialog.head_office is not None:
            dialog.show_page(dialog.head_office)
        return dialog

    def open_change_passphrase(self) -> ChangePassphraseDialog:
        dialog = ChangePassphraseDialog(self._worker, self._workspace, self._keychain, self)
        dialog.accepted.connect(
            lambda: self.ui.statusBar.showMessage(dialog.result_note or "", STATUS_MESSAGE_MS)
        )
        return self._open(dialog)

    def open_recovery_key(self) -> RecoveryKeyDialog | None:
        if not self._workspace.actor.can(Permission.VIEW_RECOVERY_KEY):
            return None
        return self._open(RecoveryKeyDialog(self._worker, self._workspace, self))

    # ---- backup --------------------------------------------------------------------------

    def choose_backup_file(self) -> Path | None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        code = self._site.code if self._site and self._site.code else "site"
        suggested = Path(documents) / f"Prevent Desktop backup {code} {date.today():%Y-%m-%d}.db"
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            f"{APP_TITLE} — Back up (encrypted, with its key file)",
            str(suggested),
            "Prevent Desktop backups (*.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return Path(chosen) if chosen else None

    def back_up(self) -> None:
        destination = self.choose_backup_file()
        if destination is None:
            return
        workspace = self._workspace
        self._worker.submit(
            lambda task: workspace.backup_to(destination, should_cancel=lambda: task.cancelled),
            lambda _none: self._backed_up(destination),
            self._backup_failed,
            progress="Backing up the database…",
            parent_widget=self,
        )

    def _backup_failed(self, error: BaseException) -> None:
        if is_cancellation(error):  # the export removed its partial file
            self.ui.statusBar.showMessage(
                "Backup cancelled; nothing was written.", STATUS_MESSAGE_MS
            )
            return
        report_failure(error, self)

    def _backed_up(self, destination: Path) -> None:
        self.ui.statusBar.showMessage(f"Backup saved to {destination}", STATUS_MESSAGE_MS)
        show_message(
            f"The backup was saved to {destination}, with its key file beside it. It is "
            "encrypted and opens with the same passphrases and recovery key. Keep the two "
            "files together, somewhere other than this computer.",
            self,
            title=f"{APP_TITLE} — Backup saved",
            icon=QMessageBox.Icon.Information,
        )

    def open_about(self) -> None:
        """The versions come from the database (SQLCipher's), so through the worker."""
        database = self._workspace.database
        self._worker.submit(
            lambda _task: database.sqlcipher_version(),
            self._show_about,
            parent_widget=self,
        )

    def _show_about(self, sqlcipher_version: str) -> None:
        self._open(AboutDialog(sqlcipher_version, self))

    def open_user_guide(self) -> UserGuideDialog:
        return self._open(UserGuideDialog(self))

    def open_shortcuts(self) -> ShortcutsDialog:
        return self._open(ShortcutsDialog(self.ui.menuBar, self))


def _depth(widget: QDialog) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None:
        depth += 1
        parent = parent.parentWidget()
    return depth
