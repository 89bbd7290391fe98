"""The concern person index: who each concern is about, re-encrypted for this laptop's leads.

Never synced. Triggers remove a concern's entry whenever its sealed details change, it is
deleted (the erasure at the end of retention does both) or its row is written anew (INSERT OR
REPLACE): an edit through SQL, by this program or a tool, never leaves an entry behind. A
migration that rebuilds the concern table (Alembic's batch mode) drops triggers and must
create these again; tests/unit/test_concern_person_index.py checks the head schema has them.

Revision ID: 0009_concern_person_index
Revises: 0008_scale_indexes
Create Date: 2026-11-26 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_concern_person_index"
down_revision: str | None = "0008_scale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = {
    "concern_person_index_on_change": (
        "AFTER UPDATE OF details_sealed, deleted ON concern "
        "WHEN OLD.details_sealed IS NOT NEW.details_sealed OR NEW.deleted"
    ),
    "concern_person_index_on_delete": "AFTER DELETE ON concern",
    # INSERT OR REPLACE deletes the old row without firing the delete trigger.
    "concern_person_index_on_insert": "AFTER INSERT ON concern",
}


def upgrade() -> None:
    op.create_table(
        "concern_person_index",
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.Column("concern_stamp", sa.String(length=80), nullable=False),
        sa.Column("person_sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("concern_id"),
    )
    for name, when in _TRIGGERS.items():
        row = "NEW" if "INSERT" in when else "OLD"
        op.execute(
            f"CREATE TRIGGER {name} {when} "
            f"BEGIN DELETE FROM concern_person_index WHERE concern_id = {row}.id; END"
        )


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("concern_person_index")
