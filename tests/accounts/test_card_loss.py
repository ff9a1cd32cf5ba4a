"""Reporting a lost card is idempotent and limited to the customer's own cards."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.accounts.card_loss import report_card_loss
from bot.accounts.errors import CardNotFoundError
from bot.accounts.models import Card, CardLossReport

from .conftest import NOW
from .helpers import card_id, customer_id

ZHANG = "13812345678"


def _reports(session: Session, card: int) -> int:
    return session.scalar(select(func.count()).where(CardLossReport.card_id == card))


def test_reporting_twice_returns_the_same_case(session: Session) -> None:
    owner, card = customer_id(session, ZHANG), card_id(session, "3321")
    first = report_card_loss(session, owner, card, NOW)
    second = report_card_loss(session, owner, card, NOW)
    assert first == second and first.startswith("GS20260318")
    assert _reports(session, card) == 1
    assert session.get(Card, card).status == "lost"


def test_database_refuses_a_second_open_report(session: Session) -> None:
    owner, card = customer_id(session, ZHANG), card_id(session, "3321")
    report_card_loss(session, owner, card, NOW)
    session.add(CardLossReport(card_id=card, case_number="GS-RACE", created_at=NOW))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert _reports(session, card) == 1


def test_cannot_report_another_customers_card(session: Session) -> None:
    with pytest.raises(CardNotFoundError) as raised:
        report_card_loss(session, customer_id(session, ZHANG), card_id(session, "0457"), NOW)
    assert "卡" in raised.value.message
    assert session.get(Card, card_id(session, "0457")).status == "active"
