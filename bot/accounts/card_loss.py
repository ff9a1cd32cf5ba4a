"""Reporting a card as lost: one open report per card, enforced by the database."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.accounts.errors import CardNotFoundError
from bot.accounts.models import Card, CardLossReport

MAX_TRIES = 3


def _open_report(session: Session, card_id: int) -> CardLossReport | None:
    return session.scalars(
        select(CardLossReport).where(CardLossReport.card_id == card_id, CardLossReport.closed_at.is_(None))
    ).first()


def _case_number(now: datetime) -> str:
    return f"GS{now:%Y%m%d}{secrets.randbelow(10**6):06d}"


def report_card_loss(session: Session, customer_id: int, card_id: int, now: datetime) -> str:
    """Mark the customer's card as lost and return the case number; a repeated report returns the open case."""
    for _ in range(MAX_TRIES):
        card = session.get(Card, card_id)
        if card is None or card.customer_id != customer_id:
            raise CardNotFoundError()
        existing = _open_report(session, card_id)
        if existing is not None:
            return existing.case_number
        report = CardLossReport(card_id=card_id, case_number=_case_number(now), created_at=now)
        card.status = "lost"
        session.add(report)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return report.case_number
    existing = _open_report(session, card_id)
    if existing is None:
        raise RuntimeError(f"could not record a loss report for card {card_id}")
    return existing.case_number
