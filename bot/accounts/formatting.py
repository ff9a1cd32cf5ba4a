"""Masking and display helpers for customer-facing text."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def mask_card(number: str) -> str:
    """「尾号1234」-style reference to a card that never shows the full number."""
    return f"尾号{number[-4:]}"


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id(id_number: str) -> str:
    """1101**********123X: keep the first four and last four characters."""
    if len(id_number) <= 8:
        return "*" * (len(id_number) - 4) + id_number[-4:]
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def money(amount: Decimal) -> str:
    """¥1,234.56, or -¥1,234.56 for negative amounts."""
    rounded = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}¥{abs(rounded):,.2f}"


def chinese_date(day: date) -> str:
    """2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"
