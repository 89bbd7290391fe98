"""An import's writes, batched per bundle member: one `executemany` per statement.

A bundle of a large site carries a million rows. Written one statement at a time, SQLAlchemy
compiled and bound each (most of an import's time); through Core `executemany` it still
turned every value into a parameter in Python twice over. So the bulk statements (new rows,
changed rows, other laptops' audit entries) go to the driver's `executemany` as plain tuples,
each value converted once by its column type's own bind processor: stored exactly as the ORM
and Core store it. The rare statements (conflicts kept or forgotten) stay with Core, which
fills in their defaults.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table, delete, insert
from sqlalchemy.orm import Session

from prevent_desktop.store.sync_models import SyncConflict

_Processor = Callable[[Any], Any] | None


class RecordWrites:
    """What one member changes in one table: collected while merging, written by `apply`."""

    def __init__(self, table: Table) -> None:
        self.table = table
        # Grouped by the columns given (in order): one statement serves each group.
        self.inserts: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        self.updates: dict[tuple[str, ...], list[tuple[str, dict[str, Any]]]] = {}
        self.forget_conflicts: list[str] = []
        self.conflicts: list[dict[str, Any]] = []

    def insert(self, values: dict[str, Any]) -> None:
        self.inserts.setdefault(tuple(values), []).append(values)

    def update(self, record_id: str, changes: dict[str, Any]) -> None:
        """Set `changes` (never the id) on the row `record_id`."""
        self.updates.setdefault(tuple(changes), []).append((record_id, changes))

    def apply(self, session: Session) -> None:
        # Per record, in the order row-by-row writes had: the record, then the versions kept
        # for it forgotten (erased), then the losing version kept (a conflict).
        connection = session.connection()
        for names, rows in self.inserts.items():
            insert_many(connection, self.table, names, rows)
        for names, changes in self.updates.items():
            _update_many(connection, self.table, names, changes)
        if self.forget_conflicts:
            session.execute(
                delete(SyncConflict).where(SyncConflict.record_id.in_(self.forget_conflicts))
            )
        if self.conflicts:
            session.execute(insert(table_of(SyncConflict)), self.conflicts)


def insert_many(
    connection: Connection, table: Table, names: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """INSERT `rows` (each with exactly `names`) into `table` in one executemany."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    marks = ", ".join("?" * len(names))
    convert = _row_converter(table, connection.dialect, tuple(names))
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",
        [convert([row[name] for name in names]) for row in rows],
    )


# Ids per lookup statement, well under SQLite's limit on parameters.
IDS_PER_LOOKUP = 5000


def rows_by_id(
    connection: Connection, table: Table, names: Sequence[str], ids: Sequence[str]
) -> list[tuple[Any, ...]]:
    """`names` of the rows of `table` among `ids`, as the driver returns them (no column type
    conversion: a bool is 0 or 1). Through the driver because Core expanded and converted
    each id of an import's million in Python, about a second and a half of a large import."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), IDS_PER_LOOKUP):
        chunk = tuple(ids[start : start + IDS_PER_LOOKUP])
        marks = ", ".join("?" * len(chunk))
        found += map(
            tuple,
            connection.exec_driver_sql(
                f"SELECT {columns} FROM {quote(table.name)} WHERE {quote('id')} IN ({marks})",
                chunk,
            ),
        )
    return found


def _update_many(
    connection: Connection,
    table: Table,
    names: Sequence[str],
    changes: list[tuple[str, dict[str, Any]]],
) -> None:
    # The id is not among the columns set: SQLite would otherwise look for rows referring to
    # the old key, a table scan each while any deferred reference is pending.
    quote = connection.dialect.identifier_preparer.quote
    assignments = ", ".join(f"{quote(name)} = ?" for name in names)
    convert = _row_converter(table, connection.dialect, (*names, "id"))
    connection.exec_driver_sql(
        f"UPDATE {quote(table.name)} SET {assignments} WHERE {quote('id')} = ?",
        [convert([values[name] for name in names] + [record_id]) for record_id, values in changes],
    )


@functools.lru_cache(maxsize=512)  # a few per table; engines come and go with sign-ins
def _row_converter(
    table: Table, dialect: Dialect, names: tuple[str, ...]
) -> Callable[[list[Any]], tuple[Any, ...]]:
    """Values in `names`' order to the driver's parameters, through each column type's bind
    processor (as Core would: an aware datetime to fixed-width UTC text, a date to ISO
    text, a bool to 0 or 1); columns that need none are passed as they are."""
    processors: list[_Processor] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    if not any(processors):
        return tuple
    steps = list(enumerate(processors))

    def convert(values: list[Any]) -> tuple[Any, ...]:
        for index, process in steps:
            if process is not None:
                values[index] = process(values[index])
        return tuple(values)

    return convert


def table_of(model: type[Any]) -> Table:
    """A mapped class's table, for Core statements (no ORM object per row)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
