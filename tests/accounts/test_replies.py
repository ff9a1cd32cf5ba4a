"""What balances and transaction lists tell the customer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.accounts.replies import balances_text, transactions_text
from bot.accounts.transaction_query import COUNT_DAYS
from bot.accounts.views import BalanceView, TransactionPage, TransactionView

TODAY = date(2026, 11, 22)
YEAR_START = date(2025, 11, 23)


def page(count: int, total: int, number: int = 1, size: int = 10) -> TransactionPage:
    items = [
        TransactionView(
            posted_at=datetime(2026, 11, 20, 9, minute),
            amount=Decimal("-12.50"),
            direction="out",
            counterparty="便利店",
            description="消费",
            channel="pos",
            card_tail="3321",
        )
        for minute in range(count)
    ]
    return TransactionPage(items=items, total=total, page=number, page_size=size)


def test_the_default_year_is_not_spelled_out() -> None:
    assert (TODAY - YEAR_START).days == COUNT_DAYS - 1
    text = transactions_text(page(3, 3), YEAR_START, TODAY, newest=3)
    assert text.splitlines()[0] == "您最近的 3 笔交易："
    assert len(text.splitlines()) == 4


def test_fewer_than_asked_says_so() -> None:
    assert transactions_text(page(2, 2), YEAR_START, TODAY, newest=5).startswith("您近一年只有 2 笔交易：")


def test_given_dates_are_named() -> None:
    text = transactions_text(page(2, 2), date(2026, 10, 1), date(2026, 10, 31), newest=2)
    assert text.startswith("2026年10月1日至2026年10月31日最近的 2 笔交易：")


def test_more_than_a_page_names_the_rows_shown() -> None:
    text = transactions_text(page(5, 15, number=2), YEAR_START, TODAY, newest=15)
    assert text.startswith("您最近的 15 笔交易，以下为第 11-15 笔：")


def test_plain_listing_is_unchanged() -> None:
    text = transactions_text(page(10, 46), date(2026, 10, 1), date(2026, 10, 31))
    assert text.startswith("2026年10月1日至2026年10月31日共有 46 笔交易，以下为第 1-10 笔：")


def balance(kind: str, tail: str, status: str) -> BalanceView:
    limit = Decimal("30000") if kind == "credit" else None
    return BalanceView(
        kind=kind, card_tail=tail, product_name="卡", account_type=None, balance=Decimal("100"), currency="CNY",
        credit_limit=limit, available_credit=limit, card_status=status,
    )


def test_stopped_cards_are_marked_and_offer_no_spending() -> None:
    lines = balances_text([balance("debit", "7789", "frozen"), balance("credit", "2290", "lost")]).splitlines()
    assert lines[1] == "· 卡（尾号7789，已冻结）：账户余额 ¥100.00"
    assert lines[2] == "· 卡（尾号2290，已挂失）：当前欠款 ¥100.00"
    assert "到网点办理" in lines[3]


def test_active_cards_show_what_can_be_spent() -> None:
    lines = balances_text([balance("debit", "3321", "active"), balance("credit", "8866", "active")]).splitlines()
    assert lines[1] == "· 卡（尾号3321）：可用余额 ¥100.00"
    assert lines[2] == "· 卡（尾号8866）：当前欠款 ¥100.00，可用额度 ¥30,000.00"
    assert len(lines) == 3
