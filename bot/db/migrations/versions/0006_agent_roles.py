"""Console roles: each agent is an agent, supervisor, editor or approver (existing accounts become agents).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `agents.role`, `agent` for every existing account."""
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="agent"))


def downgrade() -> None:
    """Drop `agents.role`."""
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("role")
