"""Understand a customer's transaction request: date range, direction, amount bounds, card tail, count."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.accounts.dates import NUM, chinese_number, parse_date_range

DEFAULT_DAYS = 30
# 「最近三笔」 without dates looks this far back; longer counts are capped.
COUNT_DAYS = 365
MAX_COUNT = 50
INCOMING = ("收入", "入账", "进账", "转入", "收到", "到账")
OUTGOING = ("支出", "消费", "花了", "花费", "转出", "付款", "扣款", "花销")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?\s*(?:元|块)?\s*(以上|以下|以内|多|起)")
_TAIL = re.compile(r"(?:尾号|尾数|后四位|末四位)\s*(\d{4})")
_COUNT = re.compile(rf"(?:最近|最新|近|最后|上)\s*的?\s*({NUM})\s*笔")


@dataclass(frozen=True)
class TransactionQuery:
    """What to list; amounts compare with the absolute value of a transaction; `count` keeps only the newest."""

    start: date
    end: date
    direction: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    tail: str | None = None
    count: int | None = None

    def to_json(self) -> str:
        """Serialise for a conversation slot (paging reuses the query)."""
        data = {key: str(value) if value is not None else None for key, value in asdict(self).items()}
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str) -> TransactionQuery:
        """Inverse of `to_json`."""
        data = json.loads(raw)
        return cls(
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            direction=data["direction"],
            min_amount=Decimal(data["min_amount"]) if data["min_amount"] else None,
            max_amount=Decimal(data["max_amount"]) if data["max_amount"] else None,
            tail=data["tail"],
            count=int(data["count"]) if data.get("count") else None,
        )


def _direction(text: str) -> str | None:
    if any(word in text for word in INCOMING):
        return "in"
    if any(word in text for word in OUTGOING):
        return "out"
    return None


def _amount_bounds(text: str) -> tuple[Decimal | None, Decimal | None]:
    match = _AMOUNT.search(text)
    if not match:
        return None, None
    amount = Decimal(match.group(1)) * (10000 if match.group(2) else 1)
    if match.group(3) in ("以下", "以内"):
        return None, amount
    return amount, None


def _count(text: str) -> int | None:
    """How many of the newest transactions 「最近三笔」 asks for (None if it does not say)."""
    match = _COUNT.search(text.replace(" ", ""))
    if not match:
        return None
    try:
        count = chinese_number(match.group(1))
    except KeyError:
        return None
    return min(count, MAX_COUNT) if count > 0 else None


def parse_transaction_query(text: str, today: date, tail: str | None = None) -> TransactionQuery:
    """The query a message asks for; without a date it covers the last 30 days (a year for 「最近三笔」)."""
    count = _count(text)
    found = parse_date_range(text, today)
    days = COUNT_DAYS if count else DEFAULT_DAYS
    start, end = found if found else (today - timedelta(days=days - 1), today)
    tail_match = _TAIL.search(text)
    minimum, maximum = _amount_bounds(text)
    return TransactionQuery(
        start=start,
        end=min(end, today),
        direction=_direction(text),
        min_amount=minimum,
        max_amount=maximum,
        tail=tail or (tail_match.group(1) if tail_match else None),
        count=count,
    )
