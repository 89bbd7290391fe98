"""Indexes for head-office scale (issue 9).

The training grid's latest completion per cell, the concern counts by status, the
follow-ups the Overview lists and the strategy's concern figures are each answered from an
index instead of reading every row (and its sealed details) of a large table. The foreign
keys a bundle may leave pending (a correction's entry, a concern's risk, a record's
certificate) get indexes too, so that checking them never scans a table.

Revision ID: 0008_scale_indexes
Revises: 0007_head_office
Create Date: 2026-11-26 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_scale_indexes"
down_revision: str | None = "0007_head_office"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX: nothing here needs SQLite's copy-the-table batch mode.
    op.create_index(
        "ix_training_record_live_cell",
        "training_record",
        ["deleted", "staff_id", "course_id", "completed_on"],
    )
    op.create_index("ix_training_record_certificate", "training_record", ["certificate_id"])
    op.drop_index("ix_concern_status", table_name="concern")
    op.create_index("ix_concern_status", "concern", ["status", "deleted"])
    op.create_index("ix_concern_follow_up", "concern", ["next_follow_up_on", "status", "deleted"])
    op.create_index("ix_concern_risk", "concern", ["risk_id"])
    op.create_index("ix_concern_entry_corrects", "concern_entry", ["corrects_entry_id"])
    op.create_index("ix_concern_recorded", "concern", ["deleted", "created_at", "status", "id"])
    op.create_index(
        "ix_concern_step_timeline", "concern_step", ["deleted", "concern_id", "at", "to_status"]
    )


def downgrade() -> None:
    op.drop_index("ix_concern_step_timeline", table_name="concern_step")
    op.drop_index("ix_concern_recorded", table_name="concern")
    op.drop_index("ix_concern_entry_corrects", table_name="concern_entry")
    op.drop_index("ix_concern_risk", table_name="concern")
    op.drop_index("ix_concern_follow_up", table_name="concern")
    op.drop_index("ix_concern_status", table_name="concern")
    op.create_index("ix_concern_status", "concern", ["status"])
    op.drop_index("ix_training_record_certificate", table_name="training_record")
    op.drop_index("ix_training_record_live_cell", table_name="training_record")
