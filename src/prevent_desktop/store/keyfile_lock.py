"""Serialise changes to a key file between processes (the GUI and a CLI command, say)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from prevent_desktop.errors import DatabaseLocked
from prevent_desktop.store.keyslots import KeyFile


def modify_key_file(path: Path, change: Callable[[KeyFile], None]) -> KeyFile:
    """Re-read the key file under a lock, apply `change`, and save it atomically.

    Re-reading matters: a copy loaded at unlock time may be stale, and saving it would undo a
    passphrase change made meanwhile by another process.
    """
    try:
        with FileLock(str(path) + ".lock", timeout=10):
            key_file = KeyFile.load(path)
            change(key_file)
            key_file.save()
            return key_file
    except Timeout:
        raise DatabaseLocked(
            f"The key file {path} is being changed by another Prevent Desktop; try again."
        ) from None
