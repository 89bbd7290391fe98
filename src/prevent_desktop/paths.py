"""The one place that decides where data, logs and backups live.

Defaults come from platformdirs; `--data-dir` (or `set_data_dir`) moves all of them under one
folder, which is how tests keep away from the developer's real files.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "PreventDesktop"
APP_AUTHOR = "PreventDesktop"
DATABASE_FILENAME = "prevent.db"

_override: Path | None = None


def set_data_dir(path: Path | None) -> None:
    global _override
    _override = Path(path).expanduser().resolve() if path is not None else None


def data_dir() -> Path:
    if _override is not None:
        return _override
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    if _override is not None:
        return _override / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database() -> Path:
    return data_dir() / DATABASE_FILENAME


def backup_dir_for(database: Path) -> Path:
    """Automatic backups sit beside the database they belong to, in a backups folder."""
    return database.parent / "backups"


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
