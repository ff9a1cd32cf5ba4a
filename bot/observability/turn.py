"""The customer turn that log lines and metrics belong to: a request id made by the channel for each customer
message and the conversation's pseudonym, kept in a context variable (inherited by tasks and by
`asyncio.to_thread`, so database code of the turn sees it too) and carried to the action server in the message
metadata under `REQUEST_ID_KEY`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import ACTION_DEFAULT_FALLBACK_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.analytics.events import conversation_key

REQUEST_ID_KEY = "kefu_request_id"
"""The message metadata key of the turn's request id."""
_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Turn:
    """One customer message being handled; `intent` and `core_fallback` are filled in once Rasa stored it."""

    request_id: str
    conversation: str
    channel: str | None = None
    intent: str | None = None
    core_fallback: bool = False


_current: ContextVar[Turn | None] = ContextVar("kefu_turn", default=None)


def current_turn() -> Turn | None:
    """The turn being handled in this context, if any."""
    return _current.get()


def new_turn(sender_id: str, channel: str | None = None, request_id: str | None = None) -> Turn:
    """A turn of the conversation `sender_id` (stored only as its pseudonym), with a new request id unless given."""
    return Turn(request_id or uuid.uuid4().hex, conversation_key(sender_id), channel)


def enter_turn(turn: Turn) -> Token:
    """Make `turn` the current one; pass the token to `leave_turn`."""
    return _current.set(turn)


def leave_turn(token: Token) -> None:
    """Restore the turn that was current before `enter_turn`."""
    _current.reset(token)


@contextmanager
def turn_context(sender_id: str, channel: str | None = None) -> Iterator[Turn]:
    """A new turn, current for the duration of the block."""
    turn = new_turn(sender_id, channel)
    token = enter_turn(turn)
    try:
        yield turn
    finally:
        leave_turn(token)


def request_id_in(metadata: Mapping[str, Any] | None) -> str | None:
    """The request id the channel put in a message's metadata, if it is one (anything else is ignored)."""
    value = (metadata or {}).get(REQUEST_ID_KEY)
    return value if isinstance(value, str) and _REQUEST_ID.match(value) else None


def note_stored_conversation(tracker: DialogueStateTracker) -> None:
    """What the tracker store calls when it saves a conversation: during a customer turn, remember the turn's
    intent and whether Rasa fell back to `action_default_fallback` after it."""
    turn = current_turn()
    if turn is None:
        return
    latest = tracker.latest_message
    turn.intent = (latest.intent or {}).get("name") if latest else None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_DEFAULT_FALLBACK_NAME:
            turn.core_fallback = True
            break
