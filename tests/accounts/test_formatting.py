"""Masking and display helpers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.accounts.formatting import chinese_date, money
from bot.core.masking import mask_card, mask_id, mask_phone


def test_masks() -> None:
    assert mask_card("6217000010000001234") == "尾号1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id("11010519850312123X") == "1101**********123X"


def test_money() -> None:
    assert money(Decimal("1234.56")) == "¥1,234.56"
    assert money(Decimal("-1234.56")) == "-¥1,234.56"
    assert money(Decimal("0")) == "¥0.00"
    assert money(Decimal("1000000.005")) == "¥1,000,000.01"


def test_chinese_date() -> None:
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"
