"""Who the customer of a conversation is: a channel's signed token, or in-chat verification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from bot.accounts.identity import IdentityService
from bot.accounts.identity_token import verify_token
from bot.accounts.sms import OutboxSmsGateway
from bot.core.clock import system_clock
from bot.core.settings import current_settings

TOKEN_KEY = "customer_token"


def identity_service(session: Session) -> IdentityService:
    """The verification service, delivering codes through the SMS outbox."""
    return IdentityService(session, OutboxSmsGateway(session))


def verified_customer(session: Session, sender: str, metadata: Mapping[str, Any] | None) -> int | None:
    """The customer a channel vouches for with a signed token, else the one verified in this chat.

    A valid token always wins, so a shared device that switches customers never shows the previous
    customer's data; an invalid or expired token is ignored.
    """
    token = (metadata or {}).get(TOKEN_KEY)
    if isinstance(token, str) and token:
        customer = verify_token(token, current_settings().secret_key, system_clock())
        if customer is not None:
            return customer
    return identity_service(session).current_customer(sender)
