"""Conversation events for analytics, written by the event-broker consumer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the analytics table."""
    op.create_table(
        "conversation_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation", sa.String(64), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("action", sa.String(64), nullable=True),
        sa.Column("faq_id", sa.String(64), nullable=True),
        sa.Column("faq_outcome", sa.String(16), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_conversation_events_conversation", "conversation_events", ["conversation"])


def downgrade() -> None:
    """Drop the analytics table."""
    op.drop_table("conversation_events")
