"""Analytics: two indexes the dashboard's figures are read from, so that they need not read the table.

- `ix_conversation_events_figures`: the rows that count (customer messages, the knowledge base's replies and
  handoffs), by conversation, with every column the per-conversation grouping reads.
- `ix_conversation_events_outcomes`: the knowledge base's replies by outcome and time, with the entry (hits).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FIGURES_ROWS = sa.text("(event <> 'action' OR action = 'action_handoff')")


def upgrade() -> None:
    """Create both indexes."""
    op.create_index(
        "ix_conversation_events_figures", "conversation_events",
        ["conversation", "occurred_at", "event", "action", "faq_outcome", "channel"],
        sqlite_where=FIGURES_ROWS, postgresql_where=FIGURES_ROWS,
    )
    op.create_index(
        "ix_conversation_events_outcomes", "conversation_events",
        ["faq_outcome", "occurred_at", "faq_id", "conversation"],
    )


def downgrade() -> None:
    """Drop both indexes."""
    op.drop_index("ix_conversation_events_outcomes", table_name="conversation_events")
    op.drop_index("ix_conversation_events_figures", table_name="conversation_events")
