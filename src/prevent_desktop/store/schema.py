"""Schema version and migrations, run with Alembic on an open encrypted connection."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection

SCRIPT_LOCATION = "prevent_desktop.store:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def needs_upgrade(connection: Connection) -> bool:
    return current_revision(connection) != head_revision()


def is_newer_than_program(connection: Connection) -> bool:
    """True when a newer Prevent Desktop has migrated this file past what we know."""
    current = current_revision(connection)
    if current is None:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(current) is None
    except CommandError:
        return True


def upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")
