"""Knowledge editing: effective and expiry dates of entries, drafts, published versions with revisions, and the
entries as the files last had them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the date columns and the editing tables."""
    with op.batch_alter_table("faq_entries") as batch:
        batch.add_column(sa.Column("effective", sa.Date(), nullable=True))
        batch.add_column(sa.Column("expires", sa.Date(), nullable=True))
    op.create_table(
        "kb_drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(64), nullable=False, index=True),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
    )
    op.create_table(
        "kb_versions",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(64), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("rollback_of", sa.Integer(), nullable=True),
    )
    op.create_table(
        "kb_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.Integer(), sa.ForeignKey("kb_versions.version", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("entry_id", sa.String(64), nullable=False, index=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_table(
        "kb_file_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("fields", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    """Drop the editing tables and the date columns."""
    for table in ("kb_file_entries", "kb_revisions", "kb_versions", "kb_drafts"):
        op.drop_table(table)
    with op.batch_alter_table("faq_entries") as batch:
        batch.drop_column("expires")
        batch.drop_column("effective")
