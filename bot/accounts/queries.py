"""Read services over one customer's cards, accounts, bills and policies; never another customer's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.accounts.models import Account, Card, Claim, CreditCardBill, Policy, Transaction
from bot.accounts.views import (
    BalanceView,
    BillView,
    CardView,
    ClaimView,
    PolicyView,
    TransactionPage,
    TransactionView,
)

KIND_WORDS = {"debit": "debit", "credit": "credit", "储蓄卡": "debit", "借记卡": "debit", "信用卡": "credit"}


def card_kind(word: str | None) -> str | None:
    """`debit`/`credit` for English or Chinese card words (储蓄卡, 借记卡, 信用卡); None if unknown."""
    return KIND_WORDS.get(word.strip()) if word else None


def _card_view(card: Card) -> CardView:
    return CardView(card.id, card.number[-4:], card.kind, card.product_name, card.status, card.credit_limit)


def _owned_cards(session: Session, customer_id: int, kind: str | None = None, tail: str | None = None) -> list[Card]:
    query = select(Card).where(Card.customer_id == customer_id).order_by(Card.id)
    if kind:
        query = query.where(Card.kind == kind)
    if tail:
        query = query.where(Card.number.endswith(tail, autoescape=True))
    return list(session.scalars(query))


def cards(session: Session, customer_id: int, kind: str | None = None) -> list[CardView]:
    """The customer's cards, optionally only `debit` or `credit` ones."""
    return [_card_view(card) for card in _owned_cards(session, customer_id, card_kind(kind))]


def _credit_debt(session: Session, card_id: int) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(Transaction.amount), 0)).where(Transaction.card_id == card_id))
    return max(-Decimal(str(total)).quantize(Decimal("0.01")), Decimal("0"))


def balances(
    session: Session, customer_id: int, card_type: str | None = None, tail: str | None = None
) -> list[BalanceView]:
    """Deposit balances and credit-card debts, filtered by card kind and the card's last digits."""
    kind = card_kind(card_type)
    found: list[BalanceView] = []
    if kind in (None, "debit"):
        query = (
            select(Account, Card)
            .outerjoin(Card, Account.card_id == Card.id)
            .where(Account.customer_id == customer_id)
            .order_by(Account.id)
        )
        if tail:
            query = query.where(Card.number.endswith(tail, autoescape=True))
        for account, card in session.execute(query):
            found.append(
                BalanceView(
                    kind="debit",
                    card_tail=card.number[-4:] if card else None,
                    product_name=card.product_name if card else account.account_type,
                    account_type=account.account_type,
                    balance=account.balance,
                    currency=account.currency,
                    card_status=card.status if card else "active",
                )
            )
    if kind in (None, "credit"):
        for card in _owned_cards(session, customer_id, "credit", tail):
            debt = _credit_debt(session, card.id)
            limit = card.credit_limit or Decimal("0")
            found.append(
                BalanceView(
                    kind="credit",
                    card_tail=card.number[-4:],
                    product_name=card.product_name,
                    account_type=None,
                    balance=debt,
                    currency="CNY",
                    credit_limit=limit,
                    available_credit=max(limit - debt, Decimal("0")),
                    card_status=card.status,
                )
            )
    return found


def transactions(
    session: Session,
    customer_id: int,
    start: date,
    end: date,
    direction: str | None = None,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    tail: str | None = None,
    page: int = 1,
    page_size: int = 10,
    newest: int | None = None,
) -> TransactionPage:
    """Transactions between `start` and `end` inclusive, newest first; amount bounds apply to the absolute value.

    With `newest`, only that many of the newest matching transactions count (「最近三笔」).
    """
    owned_cards = _owned_cards(session, customer_id, tail=tail)
    tails = {card.id: card.number[-4:] for card in owned_cards}
    accounts = session.execute(select(Account.id, Account.card_id).where(Account.customer_id == customer_id)).all()
    account_tails = {account_id: tails.get(card_id) for account_id, card_id in accounts if not tail or card_id in tails}
    conditions = [
        or_(Transaction.account_id.in_(list(account_tails)), Transaction.card_id.in_(list(tails))),
        Transaction.posted_at >= datetime.combine(start, time.min),
        Transaction.posted_at < datetime.combine(end + timedelta(days=1), time.min),
    ]
    if direction:
        conditions.append(Transaction.direction == direction)
    if min_amount is not None:
        conditions.append(func.abs(Transaction.amount) >= min_amount)
    if max_amount is not None:
        conditions.append(func.abs(Transaction.amount) <= max_amount)
    total = session.scalar(select(func.count(Transaction.id)).where(*conditions)) or 0
    if newest is not None:
        total = min(total, newest)
    page = max(page, 1)
    offset = (page - 1) * page_size
    rows = session.scalars(
        select(Transaction)
        .where(*conditions)
        .order_by(Transaction.posted_at.desc(), Transaction.id.desc())
        .offset(offset)
        .limit(max(min(page_size, total - offset), 0))
    )
    items = [
        TransactionView(
            posted_at=row.posted_at,
            amount=row.amount,
            direction=row.direction,
            counterparty=row.counterparty,
            description=row.description,
            channel=row.channel,
            card_tail=tails.get(row.card_id) if row.card_id else account_tails.get(row.account_id),
        )
        for row in rows
    ]
    return TransactionPage(items=items, total=total, page=page, page_size=page_size)


def latest_bill(session: Session, customer_id: int, tail: str | None = None) -> BillView | None:
    """The most recent statement of the customer's credit cards (or of the card ending in `tail`)."""
    query = (
        select(CreditCardBill, Card)
        .join(Card, CreditCardBill.card_id == Card.id)
        .where(Card.customer_id == customer_id, Card.kind == "credit")
        .order_by(CreditCardBill.statement_date.desc(), CreditCardBill.id.desc())
    )
    if tail:
        query = query.where(Card.number.endswith(tail, autoescape=True))
    row = session.execute(query).first()
    if row is None:
        return None
    bill, card = row
    return BillView(
        card_tail=card.number[-4:],
        product_name=card.product_name,
        period=bill.period,
        statement_date=bill.statement_date,
        due_date=bill.due_date,
        statement_amount=bill.statement_amount,
        minimum_payment=bill.minimum_payment,
        paid_amount=bill.paid_amount,
    )


def policies(session: Session, customer_id: int, number: str | None = None) -> list[PolicyView]:
    """The customer's policies, or only the one with `number`."""
    query = select(Policy).where(Policy.customer_id == customer_id).order_by(Policy.start_date.desc(), Policy.id)
    if number:
        query = query.where(Policy.number == number.strip().upper())
    return [
        PolicyView(
            number=policy.number,
            product=policy.product,
            policy_type=policy.policy_type,
            status=policy.status,
            start_date=policy.start_date,
            end_date=policy.end_date,
            sum_insured=policy.sum_insured,
            premium=policy.premium,
        )
        for policy in session.scalars(query)
    ]


def claim_status(session: Session, customer_id: int, number: str | None = None) -> ClaimView | None:
    """The claim with `number`, or the customer's latest claim."""
    query = (
        select(Claim, Policy)
        .join(Policy, Claim.policy_id == Policy.id)
        .where(Policy.customer_id == customer_id)
        .order_by(Claim.created_at.desc(), Claim.id.desc())
    )
    if number:
        query = query.where(Claim.number == number.strip().upper())
    row = session.execute(query).first()
    if row is None:
        return None
    claim, policy = row
    return ClaimView(
        number=claim.number,
        policy_number=policy.number,
        product=policy.product,
        status=claim.status,
        claim_type=claim.claim_type,
        incident_date=claim.incident_date,
        amount=claim.amount,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
    )
