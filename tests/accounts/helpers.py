"""Lookups of demo customers and cards by what a tester knows about them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.models import Card, Customer


def customer_id(session: Session, phone: str) -> int:
    found = session.scalar(select(Customer.id).where(Customer.phone == phone))
    assert found is not None
    return found


def card_id(session: Session, tail: str) -> int:
    found = session.scalar(select(Card.id).where(Card.number.endswith(tail)))
    assert found is not None
    return found
