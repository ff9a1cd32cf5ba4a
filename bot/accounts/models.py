"""SQLAlchemy models of customers, their cards, accounts, policies and identity checks."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)

from bot.core.db import Base

MONEY = Numeric(14, 2)
OPEN_REPORT = text("closed_at IS NULL")


class Customer(Base):
    """A bank or insurance customer."""

    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False)
    phone = Column(String(20), nullable=False, unique=True)
    id_number = Column(String(18), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False)


class Card(Base):
    """A debit or credit card (kind `debit`|`credit`, status `active`|`lost`|`frozen`)."""

    __tablename__ = "cards"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    number = Column(String(19), nullable=False, unique=True)
    kind = Column(String(8), nullable=False)
    product_name = Column(String(64), nullable=False)
    status = Column(String(8), nullable=False, default="active")
    credit_limit = Column(MONEY, nullable=True)


class Account(Base):
    """A deposit account (储蓄/活期/定期), optionally reached through a debit card."""

    __tablename__ = "accounts"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    account_type = Column(String(8), nullable=False)
    card_id = Column(Integer, ForeignKey("cards.id"), nullable=True, index=True)
    balance = Column(MONEY, nullable=False)
    currency = Column(String(3), nullable=False, default="CNY")


class Transaction(Base):
    """A posted movement on an account or a credit card; `amount` is signed (out is negative)."""

    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_account_posted", "account_id", "posted_at"),
        Index("ix_transactions_card_posted", "card_id", "posted_at"),
    )

    id = Column(Integer, primary_key=True)
    account_id = Column(Integer, ForeignKey("accounts.id"), nullable=True)
    card_id = Column(Integer, ForeignKey("cards.id"), nullable=True)
    posted_at = Column(DateTime, nullable=False)
    amount = Column(MONEY, nullable=False)
    direction = Column(String(3), nullable=False)
    counterparty = Column(String(128), nullable=False, default="")
    description = Column(String(255), nullable=False, default="")
    channel = Column(String(32), nullable=False, default="")


class CreditCardBill(Base):
    """The monthly statement of a credit card; `period` is `YYYY-MM`."""

    __tablename__ = "credit_card_bills"
    __table_args__ = (UniqueConstraint("card_id", "period", name="uq_credit_card_bills_card_period"),)

    id = Column(Integer, primary_key=True)
    card_id = Column(Integer, ForeignKey("cards.id"), nullable=False)
    period = Column(String(7), nullable=False)
    statement_date = Column(Date, nullable=False)
    due_date = Column(Date, nullable=False)
    statement_amount = Column(MONEY, nullable=False)
    minimum_payment = Column(MONEY, nullable=False)
    paid_amount = Column(MONEY, nullable=False, default=0)


class Policy(Base):
    """An insurance policy (车险/医疗险/重疾险/寿险/意外险); number is P + 10 digits."""

    __tablename__ = "policies"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    number = Column(String(11), nullable=False, unique=True)
    product = Column(String(64), nullable=False)
    policy_type = Column(String(8), nullable=False)
    status = Column(String(8), nullable=False)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=False)
    sum_insured = Column(MONEY, nullable=False)
    premium = Column(MONEY, nullable=False)


class Claim(Base):
    """An insurance claim (已报案/审核中/补充材料/已结案/已赔付); number is C + 10 digits."""

    __tablename__ = "claims"

    id = Column(Integer, primary_key=True)
    policy_id = Column(Integer, ForeignKey("policies.id"), nullable=False, index=True)
    number = Column(String(11), nullable=False, unique=True)
    status = Column(String(8), nullable=False)
    incident_date = Column(Date, nullable=False)
    claim_type = Column(String(32), nullable=False)
    description = Column(Text, nullable=False, default="")
    amount = Column(MONEY, nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class CardLossReport(Base):
    """A card-loss report; the partial unique index allows one open report per card."""

    __tablename__ = "card_loss_reports"
    __table_args__ = (
        Index(
            "uq_card_loss_reports_open_card",
            "card_id",
            unique=True,
            sqlite_where=OPEN_REPORT,
            postgresql_where=OPEN_REPORT,
        ),
    )

    id = Column(Integer, primary_key=True)
    card_id = Column(Integer, ForeignKey("cards.id"), nullable=False)
    case_number = Column(String(20), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False)
    closed_at = Column(DateTime, nullable=True)


class IdentityChallenge(Base):
    """A one-time code sent to a phone for one conversation; `customer_id` is null for unknown phones."""

    __tablename__ = "identity_challenges"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=True)
    phone = Column(String(20), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    verified_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)


class Verification(Base):
    """A conversation in which the customer proved their identity, valid until `expires_at`."""

    __tablename__ = "verifications"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    verified_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    ended_at = Column(DateTime, nullable=True)


class SmsOutbox(Base):
    """A text message handed to the SMS gateway stub."""

    __tablename__ = "sms_outbox"

    id = Column(Integer, primary_key=True)
    phone = Column(String(20), nullable=False, index=True)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


class ChannelBinding(Base):
    """A verified link between a user of a messaging channel and a customer."""

    __tablename__ = "channel_bindings"
    __table_args__ = (UniqueConstraint("channel", "external_user_id", name="uq_channel_bindings_user"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    external_user_id = Column(String(128), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    verified_at = Column(DateTime, nullable=False)
