"""Chinese date expressions, relative to a fixed Wednesday, 18 March 2026."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accounts.dates import parse_date_range

TODAY = date(2026, 3, 18)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("今天", date(2026, 3, 18), date(2026, 3, 18)),
        ("昨天", date(2026, 3, 17), date(2026, 3, 17)),
        ("前天", date(2026, 3, 16), date(2026, 3, 16)),
        ("本周", date(2026, 3, 16), date(2026, 3, 18)),
        ("这周", date(2026, 3, 16), date(2026, 3, 18)),
        ("上周", date(2026, 3, 9), date(2026, 3, 15)),
        ("本月", date(2026, 3, 1), date(2026, 3, 18)),
        ("这个月", date(2026, 3, 1), date(2026, 3, 18)),
        ("上个月", date(2026, 2, 1), date(2026, 2, 28)),
        ("最近一周", date(2026, 3, 12), date(2026, 3, 18)),
        ("近7天", date(2026, 3, 12), date(2026, 3, 18)),
        ("最近三天", date(2026, 3, 16), date(2026, 3, 18)),
        ("最近一个月", date(2026, 2, 19), date(2026, 3, 18)),
        ("近三个月", date(2025, 12, 19), date(2026, 3, 18)),
        ("最近半年", date(2025, 9, 19), date(2026, 3, 18)),
        ("今年", date(2026, 1, 1), date(2026, 3, 18)),
        ("去年", date(2025, 1, 1), date(2025, 12, 31)),
        ("3月5号", date(2026, 3, 5), date(2026, 3, 5)),
        ("三月五号", date(2026, 3, 5), date(2026, 3, 5)),
        ("3月5日到10号", date(2026, 3, 5), date(2026, 3, 10)),
        ("3月5日至3月10日", date(2026, 3, 5), date(2026, 3, 10)),
        ("2024年3月5日", date(2024, 3, 5), date(2024, 3, 5)),
        ("12月", date(2025, 12, 1), date(2025, 12, 31)),
        ("2月", date(2026, 2, 1), date(2026, 2, 28)),
        ("十二月", date(2025, 12, 1), date(2025, 12, 31)),
        ("4月1日", date(2025, 4, 1), date(2025, 4, 1)),
        ("12月28日到1月3日", date(2025, 12, 28), date(2026, 1, 3)),
        ("2025年12月", date(2025, 12, 1), date(2025, 12, 31)),
        ("帮我查一下上个月的流水", date(2026, 2, 1), date(2026, 2, 28)),
        ("上周三", date(2026, 3, 11), date(2026, 3, 11)),
        ("上上周五", date(2026, 3, 6), date(2026, 3, 6)),
        ("这周一", date(2026, 3, 16), date(2026, 3, 16)),
        ("周五", date(2026, 3, 13), date(2026, 3, 13)),
        ("星期天", date(2026, 3, 15), date(2026, 3, 15)),
        ("礼拜二下午", date(2026, 3, 17), date(2026, 3, 17)),
        ("最近两周一共花了多少", date(2026, 3, 5), date(2026, 3, 18)),
        ("上个月15号", date(2026, 2, 15), date(2026, 2, 15)),
        ("本月3号", date(2026, 3, 3), date(2026, 3, 3)),
        ("15号", date(2026, 3, 15), date(2026, 3, 15)),
        ("二十号", date(2026, 2, 20), date(2026, 2, 20)),
    ],
)
def test_expression(text: str, start: date, end: date) -> None:
    assert parse_date_range(text, TODAY) == (start, end)


@pytest.mark.parametrize(
    "text", ["", "随便看看", "2月30日", "13月", "周一到周五", "10号到15号", "上个月31号", "尾号8866"]
)
def test_unparseable(text: str) -> None:
    assert parse_date_range(text, TODAY) is None
