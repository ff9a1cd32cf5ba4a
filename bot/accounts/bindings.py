"""Consented links between a messaging-channel user (a WeChat OpenID) and the customer who verified by SMS.

A live binding makes the channel user's later conversations count as verified for a limited number of days
(`KEFU_WECHAT_BINDING_DAYS`). An OpenID is bound to at most one customer: binding or verifying as another
customer ends the old binding.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.accounts.models import ChannelBinding
from bot.core.clock import Clock, system_clock
from bot.core.db import database_session
from bot.core.settings import current_settings

WECHAT = "wechat"
"""The channel name of the WeChat Official Account (Rasa's `input_channel` of its messages)."""


class BindingService:
    """Bind, look up and end the binding of a channel user to a customer."""

    def __init__(self, session: Session, *, days: int | None = None, clock: Clock = system_clock) -> None:
        self._session = session
        self._lifetime = timedelta(days=days if days is not None else current_settings().wechat_binding_days)
        self._clock = clock

    def bind(self, channel: str, user: str, customer_id: int) -> datetime:
        """Bind `user` to `customer_id` from now on, replacing any earlier binding of `user`; its end.

        Expired bindings of every user are deleted on the way."""
        now = self._clock()
        self._end(channel, user)
        self._session.execute(delete(ChannelBinding).where(ChannelBinding.verified_at <= now - self._lifetime))
        self._session.add(ChannelBinding(channel=channel, external_user_id=user, customer_id=customer_id,
                                         verified_at=now))
        self._session.commit()
        return now + self._lifetime

    def customer(self, channel: str, user: str) -> int | None:
        """The customer `user` is bound to, or None when unbound or the binding has expired."""
        since = self._clock() - self._lifetime
        return self._session.scalar(
            select(ChannelBinding.customer_id).where(
                ChannelBinding.channel == channel,
                ChannelBinding.external_user_id == user,
                ChannelBinding.verified_at > since,
            )
        )

    def unbind(self, channel: str, user: str) -> bool:
        """End the binding of `user`; True if a live one ended."""
        live = self.customer(channel, user) is not None
        self._end(channel, user)
        self._session.commit()
        return live

    def verified_as(self, channel: str, user: str, customer_id: int) -> None:
        """`user` just verified as `customer_id`: a binding of `user` to another customer ends."""
        bound = self._session.scalar(
            select(ChannelBinding.customer_id).where(
                ChannelBinding.channel == channel, ChannelBinding.external_user_id == user
            )
        )
        if bound is not None and bound != customer_id:
            self.unbind(channel, user)

    def _end(self, channel: str, user: str) -> None:
        self._session.execute(
            delete(ChannelBinding).where(ChannelBinding.channel == channel, ChannelBinding.external_user_id == user)
        )


def unbind_follower(openid: str) -> bool:
    """End the WeChat binding of `openid` (it unsubscribed from the Official Account); True if one ended."""
    with database_session() as session:
        return BindingService(session).unbind(WECHAT, openid)
