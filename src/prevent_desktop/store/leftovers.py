"""Files a crash can leave behind, removed when the database is next opened for use.

Every write that matters goes to a temporary name first and is renamed into place (the key
file and the wrong-passphrase counts: `.<database>.<random>.tmp`; an automatic backup:
`backups/.auto-….db.partial`; a restore: `.<database>.restoring`). A process killed half way
leaves its temporary file; nothing reads it, but each holds (encrypted) data and, left alone,
they pile up. Only our own names are touched, and only once they have not been written for
STALE_AFTER: a file younger than that may belong to a backup or restore running right now
in another process.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from prevent_desktop.paths import backup_dir_for
from prevent_desktop.store.backup import automatic_backup_pattern

logger = logging.getLogger(__name__)

STALE_AFTER_S = 15 * 60


def leftovers(database: Path) -> list[Path]:
    """This database's temporary files, whatever their age."""
    name = database.name
    found = list(database.parent.glob(f".{_escape(name)}.*.tmp"))
    staged = database.with_name(f".{name}.restoring")
    found += [p for p in _with_companions(staged) if p.exists()]
    backups = backup_dir_for(database)
    if backups.is_dir():
        # Anchored on the stem and the time stamp, so that "prevent" never sweeps the
        # backups of "prevent-old" (store/backup.automatic_backups).
        ours = automatic_backup_pattern(database.stem)
        for partial in backups.glob(".*.partial"):
            if ours.fullmatch(partial.name[1 : -len(".partial")]):
                found += [p for p in _with_companions(partial) if p.exists()]
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


def _with_companions(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), path.with_name(path.name + ".keys")]


def _escape(text: str) -> str:
    # glob's special characters in a file name are taken literally.
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
