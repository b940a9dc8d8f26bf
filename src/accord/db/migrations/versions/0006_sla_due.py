"""conversations.sla_due_at: the stored next SLA due moment

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The SLA sort is an ORDER BY over this column. It starts empty: the due moment needs the
    # SLA policy in force and business calendars, which only the application can compute, and
    # a migration must not import app code that later releases change. The worker's tick (every
    # minute) fills it for every open conversation; `accord case refresh-sla` does it at once.
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sla_due_at", accord.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_conversations_sla_due_at"), ["sla_due_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_sla_due_at"))
        batch_op.drop_column("sla_due_at")
