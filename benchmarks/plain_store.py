"""Benchmark only: the same database, the same code, without the encryption (target 4).

The application has no way to open a database unencrypted, and this module does not add one:
it exists only in benchmarks/, which is not shipped. It makes a plaintext copy of a benchmark
database with SQLCipher's own export (same schema, same rows, same page size), and, inside
`unencrypted()`, swaps two names in the store for the length of the block:

- `store.engine.create_engine` gets the URL `build_engine` made and swaps the pysqlcipher
  dialect for SQLAlchemy's plain SQLite dialect driving the SAME driver module (sqlcipher3, so
  the same SQLite build), which differs from it only in not sending `PRAGMA key` (SQLCipher
  refuses an empty key). Every other engine setting (pool, connect pragmas, WAL, synchronous
  FULL, how transactions begin) is `build_engine`'s own, applied to this engine as to the other.
- `store.database.precheck_file`, which rightly refuses a plaintext SQLite file, lets in
  plaintext copies and nothing else.

So both runs go through `build_engine`, `Database`, `Workspace` and the services unchanged;
only the page cipher differs. Files are checked: the copy is plaintext, and the plain run
refuses to open anything that is not.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import sqlcipher3
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlcipher3 import dbapi2 as sqlcipher_dbapi

from prevent_desktop.store import database as database_module
from prevent_desktop.store import engine as engine_module
from prevent_desktop.store.keyslots import key_file_path

PLAIN_HEADER = engine_module.SQLITE_PLAIN_HEADER


def is_plaintext(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(PLAIN_HEADER)) == PLAIN_HEADER


def export_plaintext(encrypted: Path, key: bytes, target: Path) -> None:
    """A plaintext copy of `encrypted` at `target`, with its key file beside it (the key file
    names the database, and the sign-in goes through it on both runs alike)."""
    connection = sqlcipher3.connect(str(encrypted))
    try:
        connection.execute(f'PRAGMA key = "{engine_module.raw_key_literal(key)}"')
        connection.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(target),))
        connection.execute(f"PRAGMA plaintext.page_size = {engine_module.PAGE_SIZE}")
        connection.execute("SELECT sqlcipher_export('plaintext')")
        connection.execute("DETACH DATABASE plaintext")
    finally:
        connection.close()
    shutil.copyfile(key_file_path(encrypted), key_file_path(target))
    if not is_plaintext(target):
        raise RuntimeError(f"the export {target} is not a plaintext SQLite file")


def _create_engine_without_key(url: URL, **kwargs: Any) -> Engine:
    plain = URL.create("sqlite+pysqlite", database=url.database)
    return create_engine(plain, module=sqlcipher_dbapi, **kwargs)


def _plaintext_only(path: Path) -> None:
    if not is_plaintext(path):
        raise RuntimeError(f"{path} is encrypted: the plain run must only open plaintext copies")


@contextmanager
def unencrypted() -> Iterator[None]:
    """Within the block, the store opens plaintext copies (and only those) with no key."""
    with (
        mock.patch.object(engine_module, "create_engine", _create_engine_without_key),
        mock.patch.object(database_module, "precheck_file", _plaintext_only),
    ):
        yield
