"""Each live concern's id and clock stamp, in an index of their own (issue 9).

A lead's session knows who each concern is about, keyed by the concern's id and stamp; finding
a person's other concerns then needs only those two columns of every concern. Without this
index SQLite read each whole row, sealed details and all: a third of a second at head office.
`deleted` comes last, not first: led by it, the index drew the planner's other `deleted = 0`
queries away from their own indexes (the Overview's follow-ups took 0.6 s instead of 0.08 s).
The one query it serves names it (INDEXED BY).

Revision ID: 0010_concern_stamps
Revises: 0009_concern_person_index
Create Date: 2026-11-26 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_concern_stamps"
down_revision: str | None = "0009_concern_person_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_concern_stamp", "concern", ["id", "hlc", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_concern_stamp", table_name="concern")
