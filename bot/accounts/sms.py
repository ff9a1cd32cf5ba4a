"""SMS gateway: the protocol and a stub that writes the outbox table."""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.accounts.models import SmsOutbox
from bot.core.clock import Clock, system_clock
from bot.core.db import session_factory
from bot.core.masking import mask_phone

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    """Anything that can deliver a text message to a phone number."""

    def send(self, phone: str, text: str) -> None:
        """Deliver `text` to `phone`."""


class OutboxSmsGateway:
    """Development gateway: stores messages in `sms_outbox` instead of sending them."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self._session = session
        self._clock = clock

    def send(self, phone: str, text: str) -> None:
        """Record the message (the caller commits) and log it with the phone masked."""
        self._session.add(SmsOutbox(phone=phone, text=text, created_at=self._clock()))
        self._session.flush()
        logger.info("SMS queued in outbox for %s", mask_phone(phone))


def latest_outbox(limit: int = 5, url: str | None = None) -> list[SmsOutbox]:
    """The most recent messages in the development outbox, newest first."""
    with session_factory(url)() as session:
        return list(session.scalars(select(SmsOutbox).order_by(SmsOutbox.id.desc()).limit(limit)))
