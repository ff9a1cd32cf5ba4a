"""A conversation's user and bot messages, as the widget shows them after a reload."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered

from bot.channels.widget.output import bot_payload, is_visible

MAX_HISTORY = 200


def conversation_history(events: Iterable[Event], limit: int = MAX_HISTORY) -> list[dict[str, Any]]:
    """The last `limit` user and bot messages, oldest first."""
    history: list[dict[str, Any]] = []
    titles: dict[str, str] = {}  # button payload -> title: a pressed button shows as its title
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            history.append({"sender": "user", "text": titles.get(event.text, event.text), "timestamp": event.timestamp})
        elif isinstance(event, BotUttered):
            payload = bot_payload(event.message())
            if is_visible(payload):
                history.append({"sender": "bot", **payload})
                titles.update((button["payload"], button["title"]) for button in payload["buttons"])
    return history[-limit:]
