"""Alembic environment: always given an open (encrypted) connection by store/schema.py."""

from __future__ import annotations

from alembic import context

from prevent_desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through prevent_desktop.store.schema, with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
