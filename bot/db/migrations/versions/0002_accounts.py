"""Customers, cards, accounts, transactions, bills, policies, claims and identity checks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)
OPEN_REPORT = sa.text("closed_at IS NULL")

INDEXES = [
    ("ix_cards_customer_id", "cards", ["customer_id"]),
    ("ix_accounts_customer_id", "accounts", ["customer_id"]),
    ("ix_accounts_card_id", "accounts", ["card_id"]),
    ("ix_transactions_account_posted", "transactions", ["account_id", "posted_at"]),
    ("ix_transactions_card_posted", "transactions", ["card_id", "posted_at"]),
    ("ix_policies_customer_id", "policies", ["customer_id"]),
    ("ix_claims_policy_id", "claims", ["policy_id"]),
    ("ix_identity_challenges_sender_id", "identity_challenges", ["sender_id"]),
    ("ix_identity_challenges_phone", "identity_challenges", ["phone"]),
    ("ix_verifications_sender_id", "verifications", ["sender_id"]),
    ("ix_sms_outbox_phone", "sms_outbox", ["phone"]),
    ("ix_channel_bindings_customer_id", "channel_bindings", ["customer_id"]),
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable)


def _create_customer_tables() -> None:
    op.create_table(
        "customers",
        _id(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False, unique=True),
        sa.Column("id_number", sa.String(18), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "cards",
        _id(),
        _fk("customer_id", "customers.id"),
        sa.Column("number", sa.String(19), nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("product_name", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("credit_limit", MONEY, nullable=True),
    )
    op.create_table(
        "accounts",
        _id(),
        _fk("customer_id", "customers.id"),
        sa.Column("account_type", sa.String(8), nullable=False),
        _fk("card_id", "cards.id", nullable=True),
        sa.Column("balance", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_table(
        "transactions",
        _id(),
        _fk("account_id", "accounts.id", nullable=True),
        _fk("card_id", "cards.id", nullable=True),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("counterparty", sa.String(128), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
    )
    op.create_table(
        "credit_card_bills",
        _id(),
        _fk("card_id", "cards.id"),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("statement_amount", MONEY, nullable=False),
        sa.Column("minimum_payment", MONEY, nullable=False),
        sa.Column("paid_amount", MONEY, nullable=False),
        sa.UniqueConstraint("card_id", "period", name="uq_credit_card_bills_card_period"),
    )
    op.create_table(
        "card_loss_reports",
        _id(),
        _fk("card_id", "cards.id"),
        sa.Column("case_number", sa.String(20), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_index(
        "uq_card_loss_reports_open_card",
        "card_loss_reports",
        ["card_id"],
        unique=True,
        sqlite_where=OPEN_REPORT,
        postgresql_where=OPEN_REPORT,
    )


def _create_insurance_tables() -> None:
    op.create_table(
        "policies",
        _id(),
        _fk("customer_id", "customers.id"),
        sa.Column("number", sa.String(11), nullable=False, unique=True),
        sa.Column("product", sa.String(64), nullable=False),
        sa.Column("policy_type", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("sum_insured", MONEY, nullable=False),
        sa.Column("premium", MONEY, nullable=False),
    )
    op.create_table(
        "claims",
        _id(),
        _fk("policy_id", "policies.id"),
        sa.Column("number", sa.String(11), nullable=False, unique=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("incident_date", sa.Date(), nullable=False),
        sa.Column("claim_type", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def _create_identity_tables() -> None:
    op.create_table(
        "identity_challenges",
        _id(),
        sa.Column("sender_id", sa.String(128), nullable=False),
        _fk("customer_id", "customers.id", nullable=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "verifications",
        _id(),
        sa.Column("sender_id", sa.String(128), nullable=False),
        _fk("customer_id", "customers.id"),
        sa.Column("verified_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "sms_outbox",
        _id(),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "channel_bindings",
        _id(),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("external_user_id", sa.String(128), nullable=False),
        _fk("customer_id", "customers.id"),
        sa.Column("verified_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("channel", "external_user_id", name="uq_channel_bindings_user"),
    )


def upgrade() -> None:
    """Create the account-services tables and their indexes."""
    _create_customer_tables()
    _create_insurance_tables()
    _create_identity_tables()
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Drop the account-services tables."""
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table)
    op.drop_index("uq_card_loss_reports_open_card", "card_loss_reports")
    for table in (
        "channel_bindings",
        "sms_outbox",
        "verifications",
        "identity_challenges",
        "claims",
        "policies",
        "card_loss_reports",
        "credit_card_bills",
        "transactions",
        "accounts",
        "cards",
        "customers",
    ):
        op.drop_table(table)
