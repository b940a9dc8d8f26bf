"""web_sessions: last activity (inactivity timeout) and what a user sees in their session list

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(
            sa.Column("last_seen_at", accord.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("user_agent", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("address", sa.String(length=64), nullable=False, server_default="")
        )
    # A session open during the upgrade counts as seen when it began: an idle one ends.
    op.execute("UPDATE web_sessions SET last_seen_at = created_at")
    with op.batch_alter_table("web_sessions") as batch:
        batch.alter_column(
            "last_seen_at",
            existing_type=accord.db.base.UTCDateTime(timezone=True),
            nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("address")
        batch.drop_column("user_agent")
        batch.drop_column("last_seen_at")
