"""conversation_insights: the customer's heat before time cooled it, when, and why

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The stored heat of existing rows was the last message's, agents' replies included. The
    # new columns start empty; the message analyses carry an engine version, so `accord
    # analysis refresh` (or the next message of each conversation) recomputes them, and the
    # worker's cooling tick leaves rows without a base as they are.
    with op.batch_alter_table("conversation_insights", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heat_base", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("heat_at", accord.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("heat_why", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_insights", schema=None) as batch_op:
        batch_op.drop_column("heat_why")
        batch_op.drop_column("heat_at")
        batch_op.drop_column("heat_base")
