"""REST channel for the bank's own web pages: like Rasa's `rest`, but passes message metadata.

The page may send `{"sender", "message", "metadata": {"customer_token": "..."}}`; the signed
token lets the bank's website vouch for a logged-in customer (see `bot.accounts.identity_token`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.channels.guard import TurnGuard
from bot.channels.readiness import attach_readiness
from bot.channels.reload import attach_reload
from bot.observability.endpoint import attach_observability


class WebInput(RestInput):
    """`POST /webhooks/web/webhook` with optional `metadata` (a JSON object)."""

    @classmethod
    def name(cls) -> str:
        """URL prefix of the channel."""
        return "web"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST endpoints, the server's readiness, model reload (`/webhooks/web/reload`) and metrics
        (`/webhooks/web/metrics`); a turn in which the bot says nothing gets an apology."""
        guard = TurnGuard(on_new_message)
        blueprint = attach_reload(attach_readiness(guard.attach(super().blueprint(guard))))
        attach_observability(blueprint, "rasa")
        return blueprint

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The request's `metadata` object, if it is one."""
        metadata = (request.json or {}).get("metadata")
        return metadata if isinstance(metadata, dict) else None
