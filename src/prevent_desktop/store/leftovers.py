"""Files a crash can leave behind, removed when the database is next opened for use.

Every write that matters goes to a temporary name first and is renamed into place (the key
file and the wrong-passphrase counts: `.<database>.<random>.tmp`; an automatic backup:
`backups/.auto-….db.partial`; a restore: `.<database>.restoring`). A process killed half way
leaves its temporary file; nothing reads it, but each holds (encrypted) data and, left alone,
they pile up. Only our own names are touched, and only once they have not been written for
STALE_AFTER_S: a file younger than that may belong to a backup or restore running right now
in another process. Partial copies written elsewhere (a backup to a stick) are not ours to
look for: writing the same name again removes them (store/backup.export_to).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from prevent_desktop.paths import backup_dir_for
from prevent_desktop.store import backup
from prevent_desktop.store.backup import automatic_backup_pattern
from prevent_desktop.store.keyslots import key_file_path

logger = logging.getLogger(__name__)

STALE_AFTER_S = 15 * 60


def leftovers(database: Path) -> list[Path]:
    """This database's temporary files, whatever their age."""
    name = database.name
    found = list(database.parent.glob(f".{_escape(name)}.*.tmp"))
    staged = database.with_name(f".{name}.restoring")
    found += [p for p in [*backup.database_files(staged), key_file_path(staged)] if p.exists()]
    backups = backup_dir_for(database)
    if backups.is_dir():
        # Anchored on the stem and the time stamp, so that "prevent" never sweeps the
        # backups of "prevent-old" (store/backup.automatic_backups).
        ours = automatic_backup_pattern(database.stem)
        for path in backups.iterdir():
            entry = path.name
            if entry.startswith(".") and ".partial" in entry:
                # The copy, its journal, or its key file (copied before the data).
                if ours.fullmatch(entry[1 : entry.index(".partial")]):
                    found.append(path)
            elif entry.endswith(".keys"):
                # A key file renamed into place just before a kill: its backup never was.
                copy = entry[: -len(".keys")]
                if ours.fullmatch(copy) and not path.with_name(copy).exists():
                    found.append(path)
    return found


def sweep_leftovers(database: Path, *, now: float | None = None) -> list[Path]:
    """Remove this database's stale temporary files; returns those removed."""
    moment = time.time() if now is None else now
    removed = []
    for path in leftovers(database):
        try:
            if moment - path.stat().st_mtime < STALE_AFTER_S:
                continue
            path.unlink()
            removed.append(path)
        except OSError:  # gone already, or a read-only folder: harmless either way
            continue
    if removed:
        logger.info("Removed %d temporary file(s) left by an interrupted write", len(removed))
    return removed


def _escape(text: str) -> str:
    # glob's special characters in a file name are taken literally.
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
