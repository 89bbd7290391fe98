"""The page check of an unlocked database, run beside the session, with its finding brought
back to the UI thread (store/page_check.py says why it no longer holds up the unlock).

When every page is sound, the same thread then makes the day's automatic backup if one is due
(store/backup.backup_if_due): only a database just found sound is copied, so the ten kept
backups are never pushed out by copies of a damaged one. A lock or quit cancels it, leaving
nothing half written."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from prevent_desktop.errors import KnownError, OperationCancelled, describe_os_error
from prevent_desktop.store import backup
from prevent_desktop.store.database import Database
from prevent_desktop.store.page_check import PageCheck

logger = logging.getLogger(__name__)

# How long quitting waits for a check to end (the driver must not be torn down under it): the
# check takes a few seconds on a gigabyte, and quitting that soon after unlocking is rare.
QUIT_WAIT_S = 10.0

DAMAGE_MESSAGE = (
    "Prevent Desktop checked every page of this database and found {count} damaged "
    "page(s) ({first}). Records kept on those pages cannot be read, and changes may be lost.\n\n"
    "Make no more changes. Sign out: the unlock window then offers to restore the latest "
    "automatic backup, if there is one. `prevent-desktop check` lists every damaged page "
    "(user guide: "
    '"If something goes wrong").'
)

BACKUP_FAILED_MESSAGE = (
    "Today's automatic backup could not be made: {reason}\n\nYour records are safe in the "
    "database, but without recent backups a damaged file could not be restored. Free some "
    "space or fix the folder, then sign in again; or make a backup yourself (Site → Back up now…)."
)


def damage_message(pages: list[str]) -> str:
    return DAMAGE_MESSAGE.format(count=len(pages), first=pages[0])


class BackgroundPageCheck(QObject):
    """Starts at once; `damage_found(list of pages)` arrives on the UI thread if any is
    damaged. Nothing is said when every page is sound, nor when the daily backup is made;
    `backup_failed(reason)` if it could not be."""

    damage_found = Signal(list)
    backup_failed = Signal(str)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._check = PageCheck(database)
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="page-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pages = self._check.run()
        if self._stopped or pages is None:
            return
        if pages:
            logger.error("The page check found %d damaged page(s): %s", len(pages), pages[0])
            self.damage_found.emit(pages)  # queued to the UI thread, where this object lives
        else:
            logger.info("The page check found every page sound")
            self._back_up_if_due()

    def _back_up_if_due(self) -> None:
        database = self._database
        # The key before the engine: a lock closing the database between the two reads then
        # leaves either no key (refused) or a closed engine (refuses to connect), never a
        # live engine with no key. Closing after both is caught by the cancel.
        key = database.key
        engine = database.engine
        try:
            made = backup.backup_if_due(
                engine, database.path, key, should_cancel=lambda: self._stopped
            )
        except OperationCancelled:
            return
        except OSError as error:  # listing or rotating the backups folder
            if not self._stopped:
                logger.warning("The daily automatic backup failed: %s", type(error).__name__)
                self.backup_failed.emit(
                    describe_os_error(error, database.path, "backing up").message
                )
            return
        except KnownError as error:
            if not self._stopped:  # a lock closes the database under it: not a failure
                logger.warning("The daily automatic backup failed: %s", type(error).__name__)
                self.backup_failed.emit(error.message)
            return
        if made is not None:
            logger.info("Made the daily automatic backup")

    def stop(self, *, wait: bool = False) -> None:
        """The session is ending: what the check finds now is not reported. `wait` (when
        quitting) lets a running check end before the driver goes."""
        self._stopped = True
        self._check.cancel()
        if wait:
            self._thread.join(QUIT_WAIT_S)

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()
