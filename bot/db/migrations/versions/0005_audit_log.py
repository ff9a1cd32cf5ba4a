"""The append-only, hash-chained access audit log (with its triggers) and the console's failed logins.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from bot.privacy.audit_table import APPEND_ONLY_TRIGGERS, DROP_FUNCTION

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the audit log, its append-only triggers and the failed-login table."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(8), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(128), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_audit_log_customer_id", "audit_log", ["customer_id"])
    for statement in APPEND_ONLY_TRIGGERS.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.create_table(
        "agent_login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    for column in ("username", "address", "at"):
        op.create_index(f"ix_agent_login_failures_{column}", "agent_login_failures", [column])


def downgrade() -> None:
    """Drop both tables (the triggers go with the audit log)."""
    op.drop_table("agent_login_failures")
    op.drop_table("audit_log")
    if statement := DROP_FUNCTION.get(op.get_bind().dialect.name):
        op.execute(statement)
