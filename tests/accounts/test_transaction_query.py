"""Understanding a transaction request: dates, direction, amount bounds, card tail, count, paging state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.accounts.transaction_query import MAX_COUNT, TransactionQuery, parse_transaction_query

TODAY = date(2026, 11, 22)


def test_default_is_the_last_30_days() -> None:
    query = parse_transaction_query("查下交易明细", TODAY)
    assert (query.start, query.end) == (date(2026, 10, 24), TODAY)
    assert query.direction is None and query.min_amount is None and query.tail is None


def test_last_month_spending_over_an_amount_on_one_card() -> None:
    query = parse_transaction_query("上个月尾号8866消费500元以上的记录", TODAY)
    assert (query.start, query.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert query.direction == "out"
    assert query.min_amount == Decimal("500")
    assert query.tail == "8866"


def test_incoming_below_an_amount_in_a_range() -> None:
    query = parse_transaction_query("3月5号到10号2万以下的转入", TODAY)
    assert (query.start, query.end) == (date(2026, 3, 5), date(2026, 3, 10))
    assert query.direction == "in"
    assert query.max_amount == Decimal("20000")


def test_range_never_ends_after_today() -> None:
    assert parse_transaction_query("这个月的交易", TODAY).end == TODAY


def test_tail_entity_wins_over_text() -> None:
    assert parse_transaction_query("最近一周的交易", TODAY, tail="3321").tail == "3321"


@pytest.mark.parametrize(
    ("text", "count"),
    [("最近三笔交易", 3), ("最近的5笔消费", 5), ("上一笔交易", 1), ("最后一笔入账", 1), ("近十二笔", 12)],
)
def test_newest_few_look_back_a_year(text: str, count: int) -> None:
    query = parse_transaction_query(text, TODAY)
    assert query.count == count
    assert (query.start, query.end) == (date(2025, 11, 23), TODAY)


def test_newest_few_within_given_dates() -> None:
    query = parse_transaction_query("上个月最近两笔入账", TODAY)
    assert (query.count, query.direction) == (2, "in")
    assert (query.start, query.end) == (date(2026, 10, 1), date(2026, 10, 31))


def test_counts_are_capped_and_zero_is_ignored() -> None:
    assert parse_transaction_query("最近1000笔", TODAY).count == MAX_COUNT
    zero = parse_transaction_query("最近0笔交易", TODAY)
    assert zero.count is None and zero.start == date(2026, 10, 24)


def test_an_empty_period_falls_back_to_the_default() -> None:
    assert parse_transaction_query("最近0天的交易", TODAY).start == date(2026, 10, 24)


@pytest.mark.parametrize("text", ["上个月尾号8866消费500元以上的记录", "最近三笔交易"])
def test_query_survives_the_slot_round_trip(text: str) -> None:
    query = parse_transaction_query(text, TODAY)
    assert TransactionQuery.from_json(query.to_json()) == query
