"""customer_erasures: the tombstone of an erased customer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row per erased customer (`accord customer erase`): ids, when, via which edge and how
    # many rows and files went. Nothing personal; the customers row stays, emptied.
    op.create_table(
        "customer_erasures",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("erased_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("erased_by_user_id", sa.Integer(), nullable=True),
        sa.Column("erased_by", sa.String(length=64), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_erasures_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["erased_by_user_id"],
            ["users.id"],
            name=op.f("fk_customer_erasures_erased_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_erasures")),
    )


def downgrade() -> None:
    op.drop_table("customer_erasures")
