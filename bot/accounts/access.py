"""Who the customer of a conversation is: a channel's signed token, in-chat verification, or a WeChat binding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from bot.accounts.bindings import WECHAT, BindingService
from bot.accounts.identity import IdentityService
from bot.accounts.identity_token import verify_token
from bot.accounts.sms import OutboxSmsGateway
from bot.core.clock import system_clock
from bot.core.settings import current_settings

TOKEN_KEY = "customer_token"


def identity_service(session: Session) -> IdentityService:
    """The verification service, delivering codes through the SMS outbox."""
    return IdentityService(session, OutboxSmsGateway(session))


def verified_customer(
    session: Session, sender: str, metadata: Mapping[str, Any] | None, channel: str | None = None
) -> int | None:
    """The customer a channel vouches for with a signed token, else the one verified in this chat, else (for
    a WeChat conversation, whose sender is the OpenID) the customer the OpenID is bound to.

    A valid token always wins, so a shared device that switches customers never shows the previous
    customer's data; an invalid or expired token is ignored.
    """
    token = (metadata or {}).get(TOKEN_KEY)
    if isinstance(token, str) and token:
        customer = verify_token(token, current_settings().secret_key, system_clock())
        if customer is not None:
            return customer
    customer = identity_service(session).current_customer(sender)
    if customer is None and channel == WECHAT:
        return BindingService(session).customer(WECHAT, sender)
    return customer


def end_other_binding(session: Session, sender: str, channel: str | None, customer_id: int) -> None:
    """A conversation just verified by SMS as `customer_id`: a WeChat binding of its OpenID to another
    customer ends, so a binding never crosses customers."""
    if channel == WECHAT:
        BindingService(session).verified_as(WECHAT, sender, customer_id)


def binding_offer_due(session: Session, sender: str, channel: str | None) -> bool:
    """Whether to offer binding: a WeChat conversation verified by SMS whose OpenID is not yet bound to that
    customer."""
    if channel != WECHAT:
        return False
    customer = identity_service(session).current_customer(sender)
    return customer is not None and BindingService(session).customer(WECHAT, sender) != customer


def bind_wechat(session: Session, sender: str, channel: str | None) -> bool:
    """Bind the OpenID of a WeChat conversation to the customer verified in it by SMS (the customer
    consented); False when it is not a WeChat conversation or no longer verified."""
    customer = identity_service(session).current_customer(sender)
    if channel != WECHAT or customer is None:
        return False
    BindingService(session).bind(WECHAT, sender, customer)
    return True


def unbind_wechat(session: Session, sender: str, channel: str | None) -> bool:
    """End the binding of a WeChat conversation's OpenID; True if a live one ended."""
    return channel == WECHAT and BindingService(session).unbind(WECHAT, sender)


def log_out(session: Session, sender: str, channel: str | None) -> bool:
    """End the conversation's verification and, on WeChat, the OpenID's binding; True if either was live."""
    ended = identity_service(session).logout(sender)
    return unbind_wechat(session, sender, channel) or ended
