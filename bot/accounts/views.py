"""Read-only snapshots returned by the query services (safe to use after the session closes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class CardView:
    """A card as the customer sees it: the last four digits only."""

    id: int
    tail: str
    kind: str
    product_name: str
    status: str
    credit_limit: Decimal | None


@dataclass(frozen=True)
class BalanceView:
    """The balance of a deposit account, or the debt and available credit of a credit card."""

    kind: str
    card_tail: str | None
    product_name: str
    account_type: str | None
    balance: Decimal
    currency: str
    credit_limit: Decimal | None = None
    available_credit: Decimal | None = None
    card_status: str = "active"


@dataclass(frozen=True)
class TransactionView:
    """One posted transaction; `amount` is negative for money going out."""

    posted_at: datetime
    amount: Decimal
    direction: str
    counterparty: str
    description: str
    channel: str
    card_tail: str | None


@dataclass(frozen=True)
class TransactionPage:
    """One page of transactions and how many match in total."""

    items: list[TransactionView]
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        """Whether a later page exists."""
        return self.page * self.page_size < self.total


@dataclass(frozen=True)
class BillView:
    """A credit-card statement and what is still to be paid."""

    card_tail: str
    product_name: str
    period: str
    statement_date: date
    due_date: date
    statement_amount: Decimal
    minimum_payment: Decimal
    paid_amount: Decimal

    @property
    def outstanding(self) -> Decimal:
        """The part of the statement not yet repaid."""
        return max(self.statement_amount - self.paid_amount, Decimal("0"))


@dataclass(frozen=True)
class PolicyView:
    """An insurance policy."""

    number: str
    product: str
    policy_type: str
    status: str
    start_date: date
    end_date: date
    sum_insured: Decimal
    premium: Decimal


@dataclass(frozen=True)
class ClaimView:
    """An insurance claim and its progress."""

    number: str
    policy_number: str
    product: str
    status: str
    claim_type: str
    incident_date: date
    amount: Decimal | None
    created_at: datetime
    updated_at: datetime
