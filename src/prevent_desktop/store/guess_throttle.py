"""A growing wait after wrong passphrases, so that guessing at the laptop is slow.

Argon2id makes each guess cost about half a second; this makes a run of guesses cost far more.
After `FREE_ATTEMPTS` wrong passphrases in a row for one user, the next try must wait 2 s, then
4, 8, … up to `LONGEST_WAIT`. A right passphrase (or a reset with the recovery key) clears it.

The count lives beside the database in `<database>.attempts`, keyed by user id (no names), so
that quitting the app or running the CLI again does not start it afresh. An attempt is counted
*before* its key is derived and uncounted only when it succeeds: two processes guessing at
once, or a process killed mid-guess, still count every try.

What this does not do: stop someone who has copied the database and its key file away. They
guess offline, at Argon2id's price alone (docs/SECURITY.md). If the folder cannot be written
(a read-only stick), the count is kept in memory for this process and a warning is logged.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from prevent_desktop.errors import DatabaseLocked, KnownError, PassphraseThrottled, WrongPassphrase
from prevent_desktop.store.atomic import write_atomic

logger = logging.getLogger(__name__)

ATTEMPTS_SUFFIX = ".attempts"
ATTEMPTS_FORMAT = "prevent-desktop-attempts"
FREE_ATTEMPTS = 3
FIRST_WAIT_SECONDS = 2.0
LONGEST_WAIT_SECONDS = 300.0

# Tests move time forward by replacing this; the app always reads the wall clock.
clock: Callable[[], float] = time.time

# Counts for folders that cannot be written, by attempts-file path (this process only).
_in_memory: dict[str, dict[str, dict[str, float]]] = {}
_memory_lock = threading.Lock()


def attempts_path(database: Path) -> Path:
    return database.with_name(database.name + ATTEMPTS_SUFFIX)


def _lock_path(attempts: Path) -> str:
    # The key file's own lock (store/keyfile_lock.py): no extra file beside the database.
    # Neither holder takes the other's lock while holding its own, so sharing cannot deadlock.
    return str(attempts)[: -len(ATTEMPTS_SUFFIX)] + ".keys.lock"


def wait_after(failures: int) -> float:
    """Seconds to wait before the next try, after `failures` wrong passphrases in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(FIRST_WAIT_SECONDS * 2.0 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT_SECONDS)


@contextmanager
def guarded_guess(database: Path, user_id: str, login: str) -> Iterator[None]:
    """Wrap one passphrase check. Refuses with PassphraseThrottled while the user must wait;
    a WrongPassphrase raised inside stays counted and says how long the next try must wait."""
    path = attempts_path(database)
    now = clock()
    with _locked(path) as counts:
        entry = counts.get(user_id)
        remaining = _remaining(entry, now)
        failures = int(entry["failures"]) if entry else 0
        if remaining > 0:
            raise PassphraseThrottled(
                f"{failures} wrong passphrases in a row for {login!r}: wait "
                f"{describe_wait(remaining)} before trying again. If the passphrase is lost, "
                "a manager can set a new one.",
                retry_after=remaining,
            )
        counts[user_id] = {"failures": failures + 1, "last": now}
    try:
        yield
    except WrongPassphrase as error:
        wait = wait_after(failures + 1)
        if wait <= 0:
            raise
        raise WrongPassphrase(
            f"{error.message} That is {failures + 1} wrong passphrases in a row: wait "
            f"{describe_wait(wait)} before trying again.",
            retry_after=wait,
        ) from None
    # Any other failure (a damaged key file, say) leaves the try counted: that errs on the
    # side of the wait.
    clear(database, user_id)


def clear(database: Path, user_id: str) -> None:
    """Forget a user's wrong passphrases: they got it right, or were given a new one."""
    with _locked(attempts_path(database)) as counts:
        counts.pop(user_id, None)


def describe_wait(seconds: float) -> str:
    whole = max(1, int(seconds + 0.999))
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _remaining(entry: dict[str, float] | None, now: float) -> float:
    if not entry:
        return 0.0
    wait = wait_after(int(entry["failures"]))
    # A clock set back counts as no time passed, never as a longer wait.
    elapsed = max(0.0, now - float(entry["last"]))
    return max(0.0, wait - elapsed)


@contextmanager
def _locked(path: Path) -> Iterator[dict[str, dict[str, float]]]:
    """The counts, under a lock between processes; saved again if they changed."""
    lock = FileLock(_lock_path(path), timeout=10)
    try:
        lock.acquire()
        writable = True
    except Timeout:  # a subclass of OSError, so it comes first
        raise DatabaseLocked(
            "Another Prevent Desktop is checking a passphrase for this database; try again."
        ) from None
    except OSError:
        writable = False  # a folder that cannot be written: this process's memory only
    if not writable:
        with _memory_lock:
            yield _in_memory.setdefault(str(path), {})
        return
    try:
        counts = _in_memory.get(str(path)) or _read(path)
        before = json.dumps(counts, sort_keys=True)
        yield counts
        if json.dumps(counts, sort_keys=True) != before:
            _write(path, counts)
    finally:
        lock.release()


def _read(path: Path) -> dict[str, dict[str, float]]:
    try:
        data: Any = json.loads(path.read_bytes())
        users = data["users"] if data.get("format") == ATTEMPTS_FORMAT else {}
        return {
            str(user): {"failures": int(entry["failures"]), "last": float(entry["last"])}
            for user, entry in dict(users).items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # Unreadable counts start afresh; whoever can damage the file can copy the database
        # away and guess offline anyway.
        logger.warning("The wrong-passphrase counts could not be read; starting afresh")
        return {}


def _write(path: Path, counts: dict[str, dict[str, float]]) -> None:
    payload = json.dumps({"format": ATTEMPTS_FORMAT, "version": 1, "users": counts}, indent=1)
    try:
        write_atomic(path, payload.encode("utf-8") + b"\n", doing="saving the passphrase counts")
    except KnownError:
        logger.warning("The wrong-passphrase counts cannot be saved; keeping them in memory")
        with _memory_lock:
            _in_memory[str(path)] = counts
        return
    with _memory_lock:
        _in_memory.pop(str(path), None)
