"""Deterministic demo data: customers with cards, six months of transactions, bills, policies and claims."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.demo_data import CUSTOMERS, CardSpec, CustomerSpec
from bot.accounts.models import Account, Card, Claim, CreditCardBill, Customer, Policy, Transaction

SEED = 20260101
HISTORY_DAYS = 183
STATEMENT_DAY = 5
DUE_AFTER_DAYS = 20
CENT = Decimal("0.01")

SUPERMARKETS = ("盒马鲜生", "永辉超市", "沃尔玛", "家乐福", "华润万家")
DELIVERY = ("美团外卖", "饿了么")
FRIENDS = ("赵敏", "孙浩", "周婷", "吴强", "郑丽")
CARD_MERCHANTS = (
    ("京东商城", "网购"),
    ("淘宝", "网购"),
    ("中国石化加油站", "加油"),
    ("星巴克", "餐饮"),
    ("海底捞", "餐饮"),
    ("携程旅行", "旅行"),
    ("滴滴出行", "出行"),
)


@dataclass(frozen=True)
class DemoCustomer:
    """What a tester needs to log in as a demo customer."""

    name: str
    phone: str
    id_last4: str


DEMO_CUSTOMERS: tuple[DemoCustomer, ...] = tuple(
    DemoCustomer(spec.name, spec.phone, spec.id_number[-4:]) for spec in CUSTOMERS
)


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _card_number(index: int, position: int, spec: CardSpec) -> str:
    if spec.kind == "credit":
        return f"625960{index:03d}{position:03d}{spec.tail}"
    return f"621700{index:03d}{position:03d}000{spec.tail}"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 22), rng.randint(0, 59)))


def _days(today: date) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(HISTORY_DAYS, -1, -1)]


def _movement(
    rng: random.Random, day: date, amount: Decimal, counterparty: str, description: str, channel: str
) -> Transaction:
    return Transaction(
        posted_at=_at(day, rng),
        amount=amount,
        direction="in" if amount > 0 else "out",
        counterparty=counterparty,
        description=description,
        channel=channel,
    )


def _daily_life(rng: random.Random, spec: CustomerSpec, day: date, primary: bool) -> list[Transaction]:
    moves: list[Transaction] = []
    if primary and day.day == 10:
        salary = _money(spec.salary + rng.randint(-500, 1500))
        moves.append(_movement(rng, day, salary, spec.employer, "工资", "代发工资"))
    if primary and spec.rent and day.day == 1:
        moves.append(_movement(rng, day, -Decimal(spec.rent), "房东", "房租", "手机银行"))
    if rng.random() < (0.25 if primary else 0.05):
        amount = _money(rng.uniform(30, 450))
        moves.append(_movement(rng, day, -amount, rng.choice(SUPERMARKETS), "超市购物", "快捷支付"))
    if primary and rng.random() < 0.35:
        amount = _money(rng.uniform(18, 85))
        moves.append(_movement(rng, day, -amount, rng.choice(DELIVERY), "外卖", "快捷支付"))
    if rng.random() < 0.05:
        amount = _money(rng.choice((200, 500, 1000, 2000, 5000)))
        sign = 1 if rng.random() < 0.4 else -1
        moves.append(_movement(rng, day, sign * amount, rng.choice(FRIENDS), "转账", "手机银行"))
    return moves


def _credit_spending(rng: random.Random, days: list[date]) -> list[Transaction]:
    moves = []
    for day in days:
        if rng.random() < 0.3:
            merchant, category = rng.choice(CARD_MERCHANTS)
            moves.append(_movement(rng, day, -_money(rng.uniform(25, 1200)), merchant, category, "刷卡消费"))
    return moves


def _statement_dates(days: list[date]) -> list[date]:
    return [day for day in days if day.day == STATEMENT_DAY]


def _bills_and_repayments(
    rng: random.Random, card: Card, spending: list[Transaction], today: date, account: Account
) -> tuple[list[CreditCardBill], list[Transaction]]:
    bills, repayments = [], []
    previous = None
    for statement_date in _statement_dates(_days(today)):
        amount = sum(
            (
                -move.amount
                for move in spending
                if (previous is None or move.posted_at.date() > previous) and move.posted_at.date() <= statement_date
            ),
            Decimal("0"),
        )
        previous = statement_date
        due_date = statement_date + timedelta(days=DUE_AFTER_DAYS)
        repaid = due_date <= today and amount > 0
        bills.append(
            CreditCardBill(
                card_id=card.id,
                period=f"{statement_date:%Y-%m}",
                statement_date=statement_date,
                due_date=due_date,
                statement_amount=amount,
                minimum_payment=(amount / 10).quantize(CENT),
                paid_amount=amount if repaid else Decimal("0"),
            )
        )
        if repaid:
            repayment = _movement(rng, due_date, amount, "还款", "信用卡还款", "自动还款")
            repayment.card_id = card.id
            transfer = _movement(rng, due_date, -amount, f"信用卡{card.number[-4:]}", "还款", "自动还款")
            transfer.account_id = account.id
            repayments += [repayment, transfer]
    return bills, repayments


def _add_cards_and_accounts(
    session: Session, rng: random.Random, customer: Customer, index: int, spec: CustomerSpec
) -> tuple[list[tuple[Card, Account]], list[Card]]:
    debit, credit = [], []
    for position, card_spec in enumerate(spec.cards):
        card = Card(
            customer_id=customer.id,
            number=_card_number(index, position, card_spec),
            kind=card_spec.kind,
            product_name=card_spec.product_name,
            status=card_spec.status,
            credit_limit=card_spec.credit_limit,
        )
        session.add(card)
        session.flush()
        if card.kind == "credit":
            credit.append(card)
            continue
        account = Account(
            customer_id=customer.id,
            account_type="活期",
            card_id=card.id,
            balance=_money(rng.uniform(20000, 80000)),
            currency="CNY",
        )
        session.add(account)
        session.flush()
        debit.append((card, account))
    if spec.time_deposit:
        session.add(Account(customer_id=customer.id, account_type="定期", balance=spec.time_deposit, currency="CNY"))
    return debit, credit


def _add_transactions(
    session: Session,
    rng: random.Random,
    spec: CustomerSpec,
    debit: list[tuple[Card, Account]],
    credit: list[Card],
    today: date,
) -> None:
    days = _days(today)
    for position, (_card, account) in enumerate(debit):
        for day in days:
            for move in _daily_life(rng, spec, day, primary=position == 0):
                move.account_id = account.id
                account.balance += move.amount
                session.add(move)
    primary_account = debit[0][1]
    for card in credit:
        spending = _credit_spending(rng, days)
        for move in spending:
            move.card_id = card.id
        bills, repayments = _bills_and_repayments(rng, card, spending, today, primary_account)
        primary_account.balance -= sum((bill.paid_amount for bill in bills), Decimal("0"))
        session.add_all([*spending, *bills, *repayments])


def _add_insurance(session: Session, customer: Customer, spec: CustomerSpec, today: date) -> None:
    policies = {}
    for policy_spec in spec.policies:
        start = today - timedelta(days=policy_spec.started_days_ago)
        policy = Policy(
            customer_id=customer.id,
            number=policy_spec.number,
            product=policy_spec.product,
            policy_type=policy_spec.policy_type,
            status=policy_spec.status,
            start_date=start,
            end_date=start + timedelta(days=policy_spec.term_days - 1),
            sum_insured=policy_spec.sum_insured,
            premium=policy_spec.premium,
        )
        session.add(policy)
        session.flush()
        policies[policy.number] = policy
    for claim_spec in spec.claims:
        incident = today - timedelta(days=claim_spec.incident_days_ago)
        reported = datetime.combine(incident + timedelta(days=1), time(10, 30))
        session.add(
            Claim(
                policy_id=policies[claim_spec.policy_number].id,
                number=claim_spec.number,
                status=claim_spec.status,
                incident_date=incident,
                claim_type=claim_spec.claim_type,
                description=claim_spec.description,
                amount=claim_spec.amount,
                created_at=reported,
                updated_at=min(reported + timedelta(days=7), datetime.combine(today, time(9, 0))),
            )
        )


def seed_demo_data(session: Session, today: date) -> int:
    """Add the demo customers that are missing (matched by phone) and commit; returns how many were added."""
    existing = set(session.scalars(select(Customer.phone)))
    added = 0
    for index, spec in enumerate(CUSTOMERS, start=1):
        if spec.phone in existing:
            continue
        rng = random.Random(f"{SEED}-{spec.phone}")
        customer = Customer(
            name=spec.name,
            phone=spec.phone,
            id_number=spec.id_number,
            created_at=datetime.combine(today - timedelta(days=1000 + 37 * index), time(9, 0)),
        )
        session.add(customer)
        session.flush()
        debit, credit = _add_cards_and_accounts(session, rng, customer, index, spec)
        _add_transactions(session, rng, spec, debit, credit, today)
        _add_insurance(session, customer, spec, today)
        added += 1
    session.commit()
    return added
