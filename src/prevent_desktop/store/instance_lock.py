"""One running Prevent Desktop per database: a second launch is told, not let in."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from prevent_desktop.errors import AlreadyOpen, describe_os_error


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".instance.lock")
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:  # a subclass of OSError, so it comes first
            raise AlreadyOpen(
                f"{self.path.name[: -len('.instance.lock')]} is already open in another Prevent "
                "Desktop window on this computer. Switch to that window, or close it first."
            ) from None
        except OSError as error:
            raise describe_os_error(error, self.path, "opening the database") from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
