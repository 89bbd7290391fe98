"""Schema migrations and the layering rules (a Qt-free core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3
from alembic import command
from sqlalchemy import inspect

from prevent_desktop.errors import KnownError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import backup, schema
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import build_engine, raw_key_literal
from prevent_desktop.store.keyslots import new_database_key
from prevent_desktop.store.models import Base
from tests.conftest import PASSPHRASE

SRC = Path(__file__).resolve().parents[2] / "src" / "prevent_desktop"


def test_migrations_from_an_empty_database_match_the_models(data_dir: Path) -> None:
    path = data_dir / "empty.db"
    engine = build_engine(path, new_database_key())
    try:
        with engine.begin() as connection:
            assert schema.current_revision(connection) is None
            schema.upgrade(connection)
            assert schema.current_revision(connection) == schema.head_revision()
            tables = set(inspect(connection).get_table_names())
        assert set(Base.metadata.tables) <= tables
        # Alembic's autogenerate finds nothing left to do: models and migrations agree.
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def _set_revision(path: Path, key: bytes, revision: str) -> None:
    connection = sqlcipher3.connect(str(path))
    connection.execute(f'PRAGMA key = "{raw_key_literal(key)}"')
    connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.commit()
    connection.close()


def test_file_from_a_newer_program_is_refused_untouched(workspace: Workspace) -> None:
    path, key = workspace.database.path, workspace.database.key
    workspace.close()
    _set_revision(path, key, "9999_from_the_future")
    before = path.read_bytes()
    with pytest.raises(KnownError, match="newer version"):
        Database.open_with_key(path, key)
    assert path.read_bytes() == before


def test_upgrade_on_open_backs_up_first(workspace: Workspace) -> None:
    """A file written by the foundation release (schema 0001) is backed up, then upgraded."""
    path, key = workspace.database.path, workspace.database.key
    workspace.close()
    engine = build_engine(path, key)
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0001_foundation")
    engine.dispose()

    database = Database.open_with_key(path, key)
    try:
        assert database.schema_revision() == schema.head_revision()
        assert database.counts()["risk"] == 0 and database.counts()["user"] == 3
        assert database.integrity_problems() == []
    finally:
        database.close()
    made = backup.automatic_backups(path.parent / "backups", path.stem)
    assert len(made) == 1 and "before-upgrade" in made[0].name
    old = Database.open_with_key(made[0], key, migrate=False)
    try:
        assert old.schema_revision() == "0001_foundation"
        assert old.counts()["user"] == 3
    finally:
        old.close()


def test_automatic_backups_rotate(workspace: Workspace) -> None:
    database = workspace.database
    for _ in range(backup.KEEP_AUTOMATIC_BACKUPS + 3):
        backup.make_automatic_backup(database.engine, database.path, database.key, reason="test")
    kept = backup.automatic_backups(database.path.parent / "backups", database.path.stem)
    assert len(kept) == backup.KEEP_AUTOMATIC_BACKUPS
    for item in kept:
        assert not item.read_bytes().startswith(b"SQLite format 3")
        assert item.with_name(item.name + ".keys").exists()
    opened, _, _ = Database.unlock(kept[0], "sam", PASSPHRASE)
    try:
        assert opened.counts()["user"] == 3
    finally:
        opened.close()


def test_core_imports_without_qt() -> None:
    """Every non-ui module imports with PySide6 made unimportable."""
    modules = sorted(
        ".".join(("prevent_desktop", *p.relative_to(SRC).with_suffix("").parts))
        for p in SRC.rglob("*.py")
        if p.relative_to(SRC).parts[0] not in ("ui", "app.py") and "migrations" not in p.parts
    )
    script = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.') or name == 'shiboken6':\n"
        "            raise ImportError('Qt is not allowed in the core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules)\n"
        "print('ok', len(" + repr(modules) + "))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_cli_help_imports_no_qt() -> None:
    code = (
        "import sys; from prevent_desktop import cli; cli.build_parser();"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_the_sync_upgrade_keys_settings_by_name_and_keeps_the_chronology_append_only(
    workspace: Workspace,
) -> None:
    """0005 -> 0006: version vectors added to every synced table (existing rows start empty),
    settings re-keyed so that one setting is one record on every laptop, and the concern
    chronology's append-only triggers still in force afterwards."""
    import uuid

    from sqlalchemy import select, text

    from prevent_desktop.store.models import SETTING_NAMESPACE, Setting

    path, key = workspace.database.path, workspace.database.key
    workspace.close()
    engine = build_engine(path, key)
    with engine.begin() as connection:
        command.downgrade(schema.alembic_config(connection), "0005_incident_plans")
        connection.execute(text("UPDATE setting SET id = 'old-' || substr(id, 5)"))
    engine.dispose()

    database = Database.open_with_key(path, key)
    try:
        with database.reader() as session:
            settings = session.scalars(select(Setting)).all()
            assert settings
            for setting in settings:
                assert setting.id == str(uuid.uuid5(SETTING_NAMESPACE, setting.key))
                assert setting.versions == "{}"
            triggers = {
                row[0]
                for row in session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                )
            }
        assert {"concern_entry_append_only", "concern_step_append_only"} <= triggers
    finally:
        database.close()
