"""Knowledge base, synonyms and branch directory.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the knowledge-base tables."""
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("similar", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
    )
    op.create_table(
        "synonyms",
        sa.Column("variant", sa.String(64), primary_key=True),
        sa.Column("canonical", sa.String(64), nullable=False),
    )
    op.create_table(
        "branches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("district", sa.String(32), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("hours", sa.String(128), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
    )
    op.create_index("ix_branches_city", "branches", ["city"])
    op.create_index("ix_branches_district", "branches", ["district"])


def downgrade() -> None:
    """Drop the knowledge-base tables."""
    op.drop_index("ix_branches_district", "branches")
    op.drop_index("ix_branches_city", "branches")
    op.drop_table("branches")
    op.drop_table("synonyms")
    op.drop_table("faq_entries")
