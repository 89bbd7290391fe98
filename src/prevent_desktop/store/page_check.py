"""Checking every page of an open database (its HMAC) on a thread of its own.

Opening a database reads only the pages it needs, and SQLCipher refuses any page whose HMAC
fails as it is read. The full check (`PRAGMA cipher_integrity_check`) reads every page: seconds
on a head-office database of a gigabyte, so the app no longer makes unlocking wait for it
(issue 9) but runs it beside the session. SQLCipher lets go of Python's lock while it reads,
so the check costs the user's thread nothing. SQLCipher runs the check to its end even when
interrupted (a few seconds on a gigabyte): a lock or sign-out meanwhile only stops it being
reported, and its connection, which holds the key, is closed as soon as it ends.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from prevent_desktop.errors import DatabaseClosed

if TYPE_CHECKING:
    from prevent_desktop.store.database import Database


CHECK_CACHE_KIB = 1024


class PageCheck:
    """One run of the page check on `database`. `run` (on any thread) returns the damaged pages
    found, as SQLCipher describes them; None once cancelled or the database has closed."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._guard = threading.Lock()
        self._cancelled = False
        self._running: Any = None  # the driver connection, while the check runs

    def run(self) -> list[str] | None:
        """Pages found damaged twice running: the check reads the file while the session
        writes to it, and a page caught mid-write must not send anyone to their backups."""
        found = self._check()
        if not found:
            return found
        again = self._check()
        if again is None:
            return None
        return [page for page in found if page in again]

    def _check(self) -> list[str] | None:
        try:
            # The engine read now, not kept: a closed database's engine refuses to connect,
            # where the old one would reconnect with the key still in its URL.
            with self._database.engine.connect() as connection:
                with self._guard:
                    if self._cancelled:
                        return None
                    self._running = connection.connection.dbapi_connection
                try:
                    # Every page passes through once: a small cache is enough, and the
                    # connection is closed afterwards rather than going back to the pool
                    # holding a full one (tens of MB kept for nothing at head office).
                    connection.exec_driver_sql(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
                    pages = connection.exec_driver_sql("PRAGMA cipher_integrity_check")
                    found = [str(row[0]) for row in pages]
                    # SQLCipher does not stop this pragma when interrupted: it runs to the end.
                    return None if self._cancelled else found
                finally:
                    with self._guard:
                        self._running = None
                    connection.invalidate()
        except DatabaseClosed:
            return None
        except (SQLAlchemyError, DBAPIError) as error:
            if self._cancelled or isinstance(getattr(error, "orig", None), DatabaseClosed):
                return None
            # A check that cannot finish is a finding too (as `check` reports it).
            return [f"the check could not finish: {error.__class__.__name__}"]

    def cancel(self) -> None:
        """Stop a running check as soon as SQLCipher notices; a check not started yet will
        not start."""
        with self._guard:
            self._cancelled = True
            if self._running is not None:
                self._running.interrupt()
