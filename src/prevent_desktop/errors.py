"""Expected failures: each carries a message for the user and a CLI exit code.

Anything that is not one of these is a bug: it is logged with its traceback and shown in a
dialog with copyable details.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


class ExitCode:
    OK = 0
    CHECK_FAILED = 1
    USAGE = 2
    WRONG_SECRET = 3
    DAMAGED = 4
    ENVIRONMENT = 5


class KnownError(Exception):
    """An expected failure with a message that says what is wrong and what to do."""

    exit_code = ExitCode.ENVIRONMENT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KnownError):
    exit_code = ExitCode.USAGE


class WrongPassphrase(KnownError):
    exit_code = ExitCode.WRONG_SECRET

    def __init__(self, message: str, *, retry_after: float = 0.0) -> None:
        super().__init__(message)
        # Seconds before the next try will be checked (store/guess_throttle.py).
        self.retry_after = retry_after


class PassphraseThrottled(WrongPassphrase):
    """Too many wrong passphrases in a row: this try was refused without being checked."""


class WrongKey(KnownError):
    exit_code = ExitCode.WRONG_SECRET


class UnknownUser(KnownError):
    exit_code = ExitCode.WRONG_SECRET


class DamagedDatabase(KnownError):
    """Not a database, truncated, bit-flipped, or its key file is missing or damaged."""

    exit_code = ExitCode.DAMAGED


class DatabaseLocked(KnownError):
    pass


class OperationCancelled(KnownError):
    """The user cancelled a long task; whatever it had half written was removed."""


class DatabaseClosed(KnownError):
    """The database was locked (closed) while something still wanted to use it."""


class AlreadyOpen(KnownError):
    """Another Prevent Desktop window has this database open."""


class StorageFull(KnownError):
    pass


class ReadOnlyLocation(KnownError):
    pass


class PermissionDenied(KnownError):
    """The signed-in user's role does not allow this action."""

    exit_code = ExitCode.USAGE


class ValidationError(KnownError):
    exit_code = ExitCode.USAGE


def describe_os_error(error: OSError, path: Path, doing: str) -> KnownError:
    """Turn an OSError from writing a file into the matching typed error."""
    import errno

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(
            f"The disk holding {path} is full while {doing}. Free some space and try again; "
            "nothing has been overwritten."
        )
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyLocation(
            f"Cannot write to {path} while {doing}: the location is read-only or you lack "
            "permission. Choose another folder; nothing has been overwritten."
        )
    return KnownError(f"Could not write {path} while {doing}: {error.strerror or error}.")


def run_reporting_errors(action: Callable[[], int]) -> int:
    """Run a command (or the app) as `prevent-desktop` does: an expected failure is one line on
    stderr and its exit code, Ctrl+C is exit 130; anything else is a bug and propagates."""
    try:
        return action()
    except KnownError as error:
        print(f"prevent-desktop: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("prevent-desktop: interrupted; nothing more was written.", file=sys.stderr)
        return 130
