"""Understanding a transaction request: dates, direction, amount bounds, card tail, paging state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.accounts.transaction_query import TransactionQuery, parse_transaction_query

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


def test_query_survives_the_slot_round_trip() -> None:
    query = parse_transaction_query("上个月尾号8866消费500元以上的记录", TODAY)
    assert TransactionQuery.from_json(query.to_json()) == query
