"""A concern's attachments: choosing a file to attach, and where to save a copy of one.

Files go into the database encrypted, read on the worker. There is no "open in another
program": that would mean a plaintext temporary file, which the app never writes. A copy is
saved only where the lead chooses, and the dialogs say that the copy is NOT encrypted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from prevent_desktop.errors import KnownError, ValidationError, describe_os_error
from prevent_desktop.services.concerns import MAX_ATTACHMENT_BYTES, ConcernService
from prevent_desktop.services.context import ChangeSet

ATTACH_TITLE = "Prevent Desktop — Attach a file (it is stored encrypted in the database)"
SAVE_TITLE = "Prevent Desktop — Save a copy of the attachment (the copy is NOT encrypted)"
# A file far past the limit is refused from its size alone: reading a 4 GB video into memory
# only for the service to refuse it would stall the worker. Up to this size the service
# decides, with its own message.
READ_LIMIT = 8 * MAX_ATTACHMENT_BYTES


def choose_file_to_attach(parent: QWidget) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, ATTACH_TITLE, _documents())
    return Path(chosen) if chosen else None


def choose_copy_destination(parent: QWidget, name: str) -> Path | None:
    suggested = str(Path(_documents()) / Path(name).name)
    chosen, _filter = QFileDialog.getSaveFileName(parent, SAVE_TITLE, suggested)
    return Path(chosen) if chosen else None


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def read_for_attachment(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > READ_LIMIT:
            raise ValidationError(
                f"'{path.name}' is {size / 1_048_576:.0f} MB; an attachment can be at most "
                f"{MAX_ATTACHMENT_BYTES // 1_048_576} MB. Keep it in your secure records "
                "system and say where in the chronology."
            )
        return path.read_bytes()
    except OSError as error:
        raise KnownError(f"Could not read {path}: {error.strerror or error}.") from error


def attach(concerns: ConcernService, concern_id: str, path: Path) -> Callable[[object], ChangeSet]:
    """The worker task that reads `path` and stores it with the concern."""

    def task(_task: object) -> ChangeSet:
        return concerns.add_attachment(concern_id, path.name, read_for_attachment(path))

    return task


def save_copy(
    concerns: ConcernService, attachment_id: str, destination: Path
) -> Callable[[object], Path]:
    """The worker task that decrypts an attachment (logged as an access) and writes it out."""

    def task(_task: object) -> Path:
        _name, content = concerns.read_attachment(attachment_id)
        try:
            destination.write_bytes(content)
        except OSError as error:
            raise describe_os_error(error, destination, "saving the attachment") from error
        return destination

    return task
