"""The page check of an unlocked database, run beside the session, with its finding brought
back to the UI thread (store/page_check.py says why it no longer holds up the unlock)."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from prevent_desktop.store.database import Database
from prevent_desktop.store.page_check import PageCheck

logger = logging.getLogger(__name__)

# How long quitting waits for a check to end (the driver must not be torn down under it): the
# check takes a few seconds on a gigabyte, and quitting that soon after unlocking is rare.
QUIT_WAIT_S = 10.0

DAMAGE_MESSAGE = (
    "Prevent Desktop checked every page of this database and found {count} damaged "
    "page(s) ({first}). Records kept on those pages cannot be read, and changes may be lost.\n\n"
    "Make no more changes. Close Prevent Desktop and run `prevent-desktop check` for the full "
    'list, then restore the newest backup (user guide: "If something goes wrong").'
)


def damage_message(pages: list[str]) -> str:
    return DAMAGE_MESSAGE.format(count=len(pages), first=pages[0])


class BackgroundPageCheck(QObject):
    """Starts at once; `damage_found(list of pages)` arrives on the UI thread if any is
    damaged. Nothing is said when every page is sound."""

    damage_found = Signal(list)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
