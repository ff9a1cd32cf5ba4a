"""Read services return only the customer's own data, with filters and paging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from bot.accounts import queries

from .conftest import TODAY
from .helpers import customer_id

ZHANG = "13812345678"
LI = "13987654321"
LI_TAILS = ("0457", "7789", "2290")
HALF_YEAR = (date(2025, 9, 18), TODAY)


@pytest.fixture
def zhang(session: Session) -> int:
    return customer_id(session, ZHANG)


@pytest.mark.parametrize("tail", LI_TAILS)
def test_other_customers_cards_are_invisible(session: Session, zhang: int, tail: str) -> None:
    assert queries.balances(session, zhang, tail=tail) == []
    assert queries.transactions(session, zhang, *HALF_YEAR, tail=tail).total == 0
    assert queries.latest_bill(session, zhang, tail=tail) is None


def test_other_customers_policies_and_claims_are_invisible(session: Session, zhang: int) -> None:
    assert queries.policies(session, zhang, number="P2025000201") == []
    assert queries.claim_status(session, zhang, number="C2025000202") is None
    assert all(card.tail not in LI_TAILS for card in queries.cards(session, zhang))


def test_all_transactions_belong_to_the_customer(session: Session, zhang: int) -> None:
    own_tails = {card.tail for card in queries.cards(session, zhang)} | {None}
    page = queries.transactions(session, zhang, *HALF_YEAR, page_size=1000)
    assert page.total == len(page.items) > 100
    assert {item.card_tail for item in page.items} <= own_tails


def test_balances(session: Session, zhang: int) -> None:
    found = queries.balances(session, zhang)
    assert {(item.kind, item.card_tail) for item in found} == {
        ("debit", "3321"),
        ("debit", None),
        ("credit", "8866"),
        ("credit", "5102"),
    }
    credit = queries.balances(session, zhang, card_type="信用卡", tail="8866")
    assert len(credit) == 1
    assert credit[0].available_credit == credit[0].credit_limit - credit[0].balance
    assert [item.card_tail for item in queries.balances(session, zhang, card_type="debit", tail="3321")] == ["3321"]


def test_balances_carry_the_card_status(session: Session) -> None:
    found = {item.card_tail: item.card_status for item in queries.balances(session, customer_id(session, LI))}
    assert found["7789"] == "frozen"
    assert found["0457"] == "active"


def test_cards_by_kind(session: Session, zhang: int) -> None:
    assert [card.tail for card in queries.cards(session, zhang, kind="credit")] == ["8866", "5102"]
    assert [card.tail for card in queries.cards(session, zhang, kind="储蓄卡")] == ["3321"]


def test_transactions_paging(session: Session, zhang: int) -> None:
    first = queries.transactions(session, zhang, date(2026, 2, 1), date(2026, 2, 28), page_size=10)
    assert first.total > 20 and first.has_more and len(first.items) == 10
    last_page = (first.total + 9) // 10
    last = queries.transactions(session, zhang, date(2026, 2, 1), date(2026, 2, 28), page=last_page)
    assert not last.has_more
    assert len(last.items) == first.total - 10 * (last_page - 1)
    everything = queries.transactions(session, zhang, date(2026, 2, 1), date(2026, 2, 28), page_size=1000).items
    assert [item.posted_at for item in everything] == sorted((item.posted_at for item in everything), reverse=True)
    assert all(date(2026, 2, 1) <= item.posted_at.date() <= date(2026, 2, 28) for item in everything)


def test_newest_transactions_only(session: Session, zhang: int) -> None:
    everything = queries.transactions(session, zhang, *HALF_YEAR, page_size=1000).items
    three = queries.transactions(session, zhang, *HALF_YEAR, newest=3)
    assert three.total == 3 and not three.has_more
    assert three.items == everything[:3]
    second = queries.transactions(session, zhang, *HALF_YEAR, page=2, page_size=10, newest=15)
    assert second.total == 15 and not second.has_more
    assert second.items == everything[10:15]


def test_transactions_filters(session: Session, zhang: int) -> None:
    incoming = queries.transactions(session, zhang, *HALF_YEAR, direction="in", page_size=1000).items
    assert incoming and all(item.direction == "in" and item.amount > 0 for item in incoming)
    assert any(item.description == "工资" for item in incoming)
    big = queries.transactions(session, zhang, *HALF_YEAR, min_amount=Decimal("1000"), page_size=1000).items
    assert big and all(abs(item.amount) >= 1000 for item in big)
    small = queries.transactions(
        session, zhang, *HALF_YEAR, min_amount=Decimal("20"), max_amount=Decimal("50"), page_size=1000
    ).items
    assert small and all(20 <= abs(item.amount) <= 50 for item in small)
    by_card = queries.transactions(session, zhang, *HALF_YEAR, tail="5102", page_size=1000).items
    assert by_card and {item.card_tail for item in by_card} == {"5102"}


def test_latest_bill(session: Session, zhang: int) -> None:
    bill = queries.latest_bill(session, zhang, tail="8866")
    assert bill is not None
    assert bill.statement_date == date(2026, 3, 5)
    assert bill.due_date == date(2026, 3, 25)
    assert bill.outstanding == bill.statement_amount > 0
    assert bill.minimum_payment == (bill.statement_amount / 10).quantize(Decimal("0.01"))


def test_policies_and_claims(session: Session, zhang: int) -> None:
    assert {policy.number for policy in queries.policies(session, zhang)} == {"P2025000101", "P2023000102"}
    assert [policy.policy_type for policy in queries.policies(session, zhang, number="p2025000101")] == ["车险"]
    latest = queries.claim_status(session, zhang)
    assert latest is not None and latest.number == "C2025000101" and latest.status == "审核中"
    paid = queries.claim_status(session, zhang, number="C2025000087")
    assert paid is not None and paid.status == "已赔付"
