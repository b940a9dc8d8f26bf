"""policy documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:12:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Saved revisions of the SLA policy, the escalation rules and playbooks; the newest
    # revision of each overrides the configured file or the default shipped with Accord.
    op.create_table(
        "policy_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("playbook_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by_user_id"],
            ["users.id"],
            name=op.f("fk_policy_documents_saved_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_documents")),
        sa.UniqueConstraint(
            "kind",
            "playbook_id",
            "revision",
            name=op.f("uq_policy_documents_kind_playbook_id_revision"),
        ),
    )


def downgrade() -> None:
    op.drop_table("policy_documents")
