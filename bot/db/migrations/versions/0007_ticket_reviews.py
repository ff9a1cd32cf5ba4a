"""质检: the score, flags and supervisor's review of each finished live ticket.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create `ticket_reviews`, deleted with its ticket."""
    op.create_table(
        "ticket_reviews",
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agents.id"), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("served_from", sa.Float(), nullable=False),
        sa.Column("served_until", sa.Float(), nullable=False),
        sa.Column("inspected_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("agents.id"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    for column in ("agent_id", "score", "reviewed_at"):
        op.create_index(f"ix_ticket_reviews_{column}", "ticket_reviews", [column])


def downgrade() -> None:
    """Drop `ticket_reviews`."""
    op.drop_table("ticket_reviews")
