"""The composition root of the desktop app: which window shows when, and the session's life.

First launch (no database, no key file) opens the setup wizard; otherwise the unlock window.
An unlock or a new database opens the main window. A lock (menu, Ctrl+L or idle time) clears
the views, hides every window that could show a record, drops the key and shows the unlock
window again with the same user chosen. This is the one module outside `ui/` that touches Qt:
it wires the windows together and owns nothing else.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from prevent_desktop.errors import AlreadyOpen, ExitCode, KnownError, describe_os_error
from prevent_desktop.paths import ensure_dir
from prevent_desktop.store.instance_lock import InstanceLock
from prevent_desktop.ui.bug_dialog import install_exception_hook, show_message
from prevent_desktop.ui.garbage_collector import MainThreadGarbageCollector
from prevent_desktop.ui.idle_lock import IdleLock
from prevent_desktop.ui.logging_setup import configure_logging, stop_logging
from prevent_desktop.ui.palette import ColourScheme
from prevent_desktop.ui.unlock_window import UnlockWindow
from prevent_desktop.ui.worker import DatabaseWorker

# Only what the unlock window needs is imported before it is painted (issue 9, target 1): the
# store, the services, the keychain and the other windows load later, mostly on the worker
# while the user types the passphrase. A test keeps this import graph small.
if TYPE_CHECKING:
    from prevent_desktop.services.context import ChangeSet
    from prevent_desktop.services.workspace import Workspace
    from prevent_desktop.store.keychain import Keychain
    from prevent_desktop.ui.background_page_check import BackgroundPageCheck
    from prevent_desktop.ui.setup_wizard import SetupWizard

logger = logging.getLogger(__name__)

APPLICATION_NAME = "Prevent Desktop"
# For benchmarks/startup.py only: print "first-paint <time.monotonic()>" once the unlock window
# has been painted for the first time, "ready <time.monotonic()>" once it has read who can sign
# in, then quit. Nothing else reads it.
EXIT_AFTER_FIRST_PAINT = "PREVENT_DESKTOP_EXIT_AFTER_FIRST_PAINT"
# MainWindow(worker, workspace, keychain) with lock_requested, sign_out_requested, clear_views.
MainWindowFactory = Callable[[DatabaseWorker, "Workspace", "Keychain"], Any]


def _real_main_window(worker: DatabaseWorker, workspace: Workspace, keychain: Keychain) -> Any:
    from prevent_desktop.ui.main_window import MainWindow

    return MainWindow(worker, workspace, keychain)


def _load_session_modules() -> None:
    """Runs on the worker while the passphrase is typed: the main window and its tabs, and
    SQLAlchemy's one-off mapper set-up, which would otherwise come between Unlock and the main
    window (a few tenths of a second). Importing only defines classes: no widget is made here."""
    from sqlalchemy.orm import configure_mappers

    import prevent_desktop.ui.main_window  # noqa: F401

    configure_mappers()


def _first_launch(db_path: Path) -> bool:
    """Neither the database nor its key file is there. keyslots (which names the key file)
    loads the cryptography, so it is imported only when the database is missing."""
    if db_path.exists():
        return False
    from prevent_desktop.store.keyslots import key_file_path

    return not key_file_path(db_path).exists()


class DeferredKeychain:
    """The system keychain, looked for when first used rather than at start-up: finding it
    imports keyring and probes its backends, a tenth of a second or more. The first use is on
    the database worker, when the unlock window reads who can sign in, so the window paints
    without waiting for it. The same methods as Keychain, which it hands every call to."""

    def __init__(self) -> None:
        self._keychain: Keychain | None = None
        self._lock = threading.Lock()

    def _found(self) -> Keychain:
        with self._lock:
            if self._keychain is None:
                from prevent_desktop.store.keychain import Keychain

                self._keychain = Keychain()
            return self._keychain

    def available(self) -> bool:
        return self._found().available()

    def unavailable_reason(self) -> str:
        return self._found().unavailable_reason()

    def remember(self, database_id: str, login: str, secret: bytes) -> None:
        self._found().remember(database_id, login, secret)

    def recall(self, database_id: str, login: str) -> bytes | None:
        return self._found().recall(database_id, login)

    def forget(self, database_id: str, login: str) -> None:
        self._found().forget(database_id, login)


class _FirstPaintProbe(QObject):
    """Measures start-up (see EXIT_AFTER_FIRST_PAINT). Times are taken after the first paint
    event has been handled, as the same probe does on the benchmark's bare window, and at the
    first event the window gets once it has read who can sign in; then the app quits."""

    def __init__(self, window: UnlockWindow, parent: QObject) -> None:
        super().__init__(parent)
        self._window = window
        self._painted = self._ready = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, lambda: self._report("first-paint"))
        elif self._painted and not self._ready and not self._window.busy:
            self._ready = True
            QTimer.singleShot(0, lambda: self._report("ready"))
        return False

    def _report(self, moment: str) -> None:
        print(f"{moment} {time.monotonic():.6f}", flush=True)
        if moment == "ready":
            QCoreApplication.quit()


class AppController(QObject):
    def __init__(
        self,
        db_path: Path,
        *,
        keychain: Keychain | None = None,
        main_window_factory: MainWindowFactory | None = None,
        worker: DatabaseWorker | None = None,
        idle_interval_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`idle_interval_ms` overrides the site's auto-lock minutes (tests use milliseconds)."""
        super().__init__(parent)
        self.db_path = Path(db_path)
        # Not a subclass of Keychain only because defining one would import keyring.
        self.keychain = keychain if keychain is not None else cast("Keychain", DeferredKeychain())
        self.worker = worker if worker is not None else DatabaseWorker(self)
        self._make_main_window = main_window_factory or _real_main_window
        # Only for the real main window: a test's stand-in needs none of it.
        self._modules_to_load = main_window_factory is None
        self._idle_interval_ms = idle_interval_ms
        self.idle_lock = IdleLock(self)
        self.idle_lock.idle_timeout.connect(self._idle_timeout)
        self.workspace: Workspace | None = None
        self.main_window: Any = None
        self.unlock_window: UnlockWindow | None = None
        self.wizard: SetupWizard | None = None
        self._retired_windows: list[Any] = []
        self._page_check: BackgroundPageCheck | None = None  # beside the open session
        self._ended_page_checks: list[BackgroundPageCheck] = []
        self._geometry: Any = None
        self._last_login: str | None = None
        self._shut_down = False
        self._damage_found = False  # by the page check: the unlock window offers a restore

    def start(self) -> None:
        if _first_launch(self.db_path):
            self._show_wizard()
        else:
            # A database without its key file, or the other way round, is not a first launch:
            # the unlock window says what is missing instead of creating anything.
            self._show_unlock(try_remembered=True)

    # ---- windows ---------------------------------------------------------------------------

    def _show_wizard(self) -> None:
        from prevent_desktop.ui.setup_wizard import SetupWizard

        self.wizard = SetupWizard(self.worker, self.db_path)
        self.wizard.created.connect(self._open_session)
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.show()

    def _wizard_finished(self, _result: int) -> None:
        # Done with for the session; the recovery key it showed should not outlive it.
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()

    def _show_unlock(self, *, locked: bool = False, try_remembered: bool = False) -> None:
        if self.unlock_window is None:
            self.unlock_window = UnlockWindow(self.worker, self.db_path, self.keychain)
            self.unlock_window.unlocked.connect(self._open_session)
            if os.environ.get(EXIT_AFTER_FIRST_PAINT) == "1":
                probe = _FirstPaintProbe(self.unlock_window, self)
                self.unlock_window.installEventFilter(probe)
        window = self.unlock_window
        window.show()
        window.raise_()
        window.activateWindow()
        offer_restore, self._damage_found = self._damage_found, False
        window.prepare(
            login=self._last_login,
            locked=locked,
            try_remembered=try_remembered,
            offer_restore=offer_restore,
        )
        if self._modules_to_load:
            self._modules_to_load = False
            # Queued behind the window's own first task, so it never delays the user list.
            self.worker.submit(lambda _ctx: _load_session_modules(), lambda _none: None, _ignore)

    def _open_session(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._last_login = workspace.actor.login
        window = self._make_main_window(self.worker, workspace, self.keychain)
        window.lock_requested.connect(self.lock)
        window.sign_out_requested.connect(self.sign_out)
        window.changed.connect(self._setting_changed)
        if self._geometry is not None:
            window.restoreGeometry(self._geometry)
        self.main_window = window
        # Show the new window before hiding the old, so the app never has no visible window
        # (Qt would take that as the last window closing and quit).
        window.show()
        if self.unlock_window is not None:
            self.unlock_window.hide()
        for old in self._retired_windows:
            old.deleteLater()  # safe now: any dialog they ran has returned by this time
        self._retired_windows.clear()
        self._start_idle_lock(workspace)
        self._tell_lost_changes(window)
        self._check_pages(workspace, window)

    def _check_pages(self, workspace: Workspace, window: Any) -> None:
        """Every page's HMAC, read beside the session rather than before it opens."""
        from prevent_desktop.ui.background_page_check import (
            BACKUP_FAILED_MESSAGE,
            BackgroundPageCheck,
            damage_message,
        )

        # Weak references: a check outlives its session by a few seconds, and must not keep
        # the session's workspace (and what it decrypted) alive after a lock.
        session, shown = weakref.ref(workspace), weakref.ref(window)

        def tell(pages: list[str]) -> None:
            current = self.workspace
            if current is not None and current is session():
                self._damage_found = True  # the unlock window offers the restore next
                show_message(damage_message(pages), shown())

        def tell_backup_failed(reason: str) -> None:
            current = self.workspace
            if current is not None and current is session():
                show_message(BACKUP_FAILED_MESSAGE.format(reason=reason), shown())

        for ended in [c for c in self._ended_page_checks if c.finished]:
            self._ended_page_checks.remove(ended)
            ended.deleteLater()
        self._page_check = BackgroundPageCheck(workspace.database, self)
        self._page_check.damage_found.connect(tell)
        self._page_check.backup_failed.connect(tell_backup_failed)

    def _stop_page_check(self, *, wait: bool = False) -> None:
        if self._page_check is not None:
            self._page_check.stop(wait=wait)
            # Kept until its thread ends (a QObject must outlive the thread that emits it).
            self._ended_page_checks.append(self._page_check)
            self._page_check = None

    def _tell_lost_changes(self, window: Any) -> None:
        """Saves still queued at the last lock ran after their window had gone: say if any
        failed, or the user would think them kept."""
        for failure in self.worker.take_lost_failures():
            reason = failure.message or "an unexpected error"
            show_message(
                f"A change made just before Prevent Desktop locked could not be saved: {reason}",
                window,
            )

    def _start_idle_lock(self, workspace: Workspace) -> None:
        if self._idle_interval_ms is not None:
            self.idle_lock.set_interval_ms(self._idle_interval_ms)
            self.idle_lock.start()
            return
        self.idle_lock.start()  # the default ten minutes until the site's setting is read
        self._read_auto_lock(workspace)

    def _read_auto_lock(self, workspace: Workspace) -> None:
        def apply(minutes: int) -> None:
            if self.workspace is workspace and self._idle_interval_ms is None:
                self.idle_lock.set_minutes(minutes)

        self.worker.submit(lambda _ctx: workspace.site.auto_lock_minutes(), apply)

    def _setting_changed(self, change: ChangeSet) -> None:
        # A manager changed the auto-lock minutes: the running timer follows at once.
        if change.record_type == "setting" and self.workspace is not None:
            self._read_auto_lock(self.workspace)

    # ---- locking ---------------------------------------------------------------------------

    def lock(self) -> None:
        self._end_session(locked=True)

    def sign_out(self) -> None:
        self._end_session(locked=False)

    def _idle_timeout(self) -> None:
        logger.info("Locking after the auto-lock interval without activity")
        self.lock()

    def _end_session(self, *, locked: bool) -> None:
        if self.workspace is None:
            return
        self.idle_lock.stop()
        self._stop_page_check()
        # Results of queued reads would refill the views we are about to clear. Queued writes
        # still run (and before the close below, which queues behind them).
        self.worker.discard_pending()
        workspace, self.workspace = self.workspace, None
        self.worker.submit(lambda _ctx: workspace.close(), lambda _none: None)
        window, self.main_window = self.main_window, None
        if window is not None:
            self._geometry = window.saveGeometry()
            window.clear_views()
        self._close_other_windows(keep=window)
        self._show_unlock(locked=locked)
        if window is not None:
            # Hidden, not deleted: a dialog of this window may still be inside its exec() call,
            # and deleting the window under it would crash. It is deleted at the next unlock.
            window.hide()
            self._retired_windows.append(window)
        logger.info("Session ended (%s)", "locked" if locked else "signed out")

    def _close_other_windows(self, keep: Any) -> None:
        """Dialogs and pop-ups can show records too: close every one of them."""
        for widget in QApplication.topLevelWidgets():
            if widget is keep or widget is self.unlock_window or not widget.isVisible():
                continue
            if isinstance(widget, QDialog):
                widget.reject()
            widget.hide()

    # ---- quitting --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the worker (waiting for a running task) and drop the key. Safe to repeat."""
        if self._shut_down:
            return
        self._shut_down = True
        self.idle_lock.stop()
        self._stop_page_check(wait=True)
        self.worker.shutdown()
        if self.workspace is not None:
            # The worker has stopped, so nothing else is using the database now.
            self.workspace.close()
            self.workspace = None
        for window in [self.main_window, *self._retired_windows]:
            if window is not None:
                window.clear_views()
        logger.info("Prevent Desktop closed")


def _ignore(error: BaseException) -> None:
    # Loading ahead is only a head start: whatever failed fails again, and is reported, when
    # the main window is built.
    logger.warning("Could not load the main window ahead of time: %s", type(error).__name__)


def _tell(text: str, icon: QMessageBox.Icon) -> None:
    """A blocking message before the event loop starts (there is no window to attach it to)."""
    box = QMessageBox(icon, APPLICATION_NAME, text, QMessageBox.StandardButton.Ok)
    box.exec()


def use_uk_locale() -> None:
    """Dates, calendars (weeks from Monday) and numbers as in the UK, whatever the laptop's
    own locale: the records are kept to UK rules and read by UK staff. Before any widget is
    made, as widgets take the default locale when they are built."""
    QLocale.setDefault(QLocale("en_GB"))


def run_gui(db_path: Path) -> int:
    """Open the desktop app on `db_path`; returns the process exit code."""
    use_uk_locale()
    application = QApplication.instance() or QApplication(sys.argv[:1])
    application.setApplicationName(APPLICATION_NAME)
    if isinstance(application, QApplication):
        # A dark desktop gets a dark palette, now and whenever the desktop changes its mind.
        ColourScheme(application)
    configure_logging()
    collector = MainThreadGarbageCollector()
    collector.start()
    hook = install_exception_hook()
    try:
        return _run(application, Path(db_path).expanduser().absolute())
    finally:
        hook.uninstall()
        collector.stop()
        stop_logging()


def _run(application: QCoreApplication, db_path: Path) -> int:
    lock = InstanceLock(db_path)
    try:
        ensure_dir(db_path.parent)
        lock.acquire()
    except AlreadyOpen as error:
        logger.info("Refused to open a database that another window has open")
        _tell(error.message, QMessageBox.Icon.Information)
        return error.exit_code
    except KnownError as error:  # a read-only or full location, from acquire()
        logger.warning("Could not take the instance lock: %s", type(error).__name__)
        _tell(error.message, QMessageBox.Icon.Warning)
        return error.exit_code
    except OSError as error:
        problem = describe_os_error(error, db_path.parent, "opening the database folder")
        _tell(problem.message, QMessageBox.Icon.Warning)
        return problem.exit_code
    controller = AppController(db_path)
    application.aboutToQuit.connect(controller.shutdown)
    QTimer.singleShot(0, controller.start)
    try:
        return application.exec() or ExitCode.OK
    finally:
        controller.shutdown()
        lock.release()
