"""Every channel's entry to Rasa: size and rate limits first, and never a turn without an answer.

Messages over the size limit, or from a sender over the rate limit, are answered politely and not processed.
A turn in which the bot said nothing gets an apology.

The bot is silent on purpose only while a human agent serves the conversation (Rasa's pause). Any other
silent turn means something failed behind Rasa — most often the action server being unreachable, in which
case Rasa logs the error and carries on without the action's messages.

Each message is one turn (`bot.observability.turn`): a fresh request id, put in the message metadata for the
action server and on every log line of the turn, and the channel metrics counted when it ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, Sanic

from bot.channels.limits import MAX_MESSAGE_CHARS, TOO_FAST, TOO_LONG, make_rate_limiter
from bot.observability.metrics import observe_refusal, observe_turn
from bot.observability.turn import REQUEST_ID_KEY, Turn, turn_context

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "抱歉，系统暂时无法处理您的请求，请稍后再试。如需人工帮助，请回复「转人工」或拨打银行卡背面的客服热线。"
)

REFUSALS = {"too_long": TOO_LONG, "too_fast": TOO_FAST}
"""Why a message was not processed, and what the customer is told."""

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class CountingOutput(OutputChannel):
    """Passes every message on to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        """The real channel's name (Rasa picks channel-specific responses by it)."""
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Count, then deliver (how Rasa sends every bot message)."""
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Count, then deliver a plain text."""
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Count, then deliver a text with buttons."""
        self.sent += 1
        await self.inner.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Count, then deliver a custom payload."""
        self.sent += 1
        await self.inner.send_custom_json(recipient_id, json_message, **kwargs)


class TurnGuard:
    """Wraps a channel's `on_new_message`; `attach` it to the channel's blueprint to find Rasa's agent."""

    def __init__(self, on_new_message: OnNewMessage) -> None:
        self.on_new_message = on_new_message
        self.limiter = make_rate_limiter()
        self.app: Sanic | None = None

    def attach(self, blueprint: Blueprint) -> Blueprint:
        """Remember the app serving the blueprint (its `ctx.agent` knows whether a conversation is paused)."""

        @blueprint.listener("after_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self.app = app

        return blueprint

    async def __call__(self, message: UserMessage) -> None:
        """Handle the message as one turn: a new request id (logs, and the metadata the action server sees),
        its metrics, and the checks and apologies of `_handle`."""
        with turn_context(message.sender_id, message.input_channel) as turn:
            message.metadata = {**(message.metadata or {}), REQUEST_ID_KEY: turn.request_id}
            started = time.perf_counter()
            outcome = await self._handle(message, turn)
            seconds = time.perf_counter() - started
            if outcome in REFUSALS:
                observe_refusal(turn.channel, outcome)
            else:
                observe_turn(turn, outcome, seconds, self._intents())
            logger.info(
                "turn %s %s on %s, intent %s, %.0f ms", turn.request_id, outcome, turn.channel, turn.intent,
                seconds * 1000,
                extra={"channel": turn.channel, "outcome": outcome, "intent": turn.intent,
                       "duration_ms": round(seconds * 1000, 1)},
            )

    async def _handle(self, message: UserMessage, turn: Turn) -> str:
        """Check the limits, handle the message, apologise if it failed or the bot stayed silent unpaused;
        returns what happened: a refusal, `failed`, `silent`, `paused` or `answered`."""
        refusal = await self._refusal(message)
        if refusal:
            await message.output_channel.send_response(message.sender_id, {"text": REFUSALS[refusal]})
            return refusal
        counting = CountingOutput(message.output_channel)
        message.output_channel = counting
        try:
            await self.on_new_message(message)
        except Exception:  # a failing store or server must still leave the customer with an answer
            logger.exception("the message of conversation %s could not be handled", turn.conversation)
            if counting.sent == 0:
                await counting.inner.send_response(message.sender_id, {"text": UNAVAILABLE})
            return "failed"
        if counting.sent == 0:
            if await self._paused(message.sender_id):
                return "paused"
            logger.warning("the bot said nothing in conversation %s: apologising", turn.conversation)
            await counting.inner.send_response(message.sender_id, {"text": UNAVAILABLE})
            return "silent"
        return "answered"

    async def _refusal(self, message: UserMessage) -> str | None:
        if len(message.text or "") > MAX_MESSAGE_CHARS:
            return "too_long"
        if not await self.limiter.allow(message.sender_id):
            logger.warning("rate limit reached by a sender")
            return "too_fast"
        return None

    def _intents(self) -> Collection[str]:
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        domain = getattr(agent, "domain", None)
        return domain.intents if domain else ()

    async def _paused(self, sender_id: str) -> bool:
        agent = getattr(self.app.ctx, "agent", None) if self.app else None
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender_id)
        return bool(tracker and tracker.is_paused())
