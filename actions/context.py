"""What the bot's last turn was, for messages that only make sense as a follow-up to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa_sdk import Tracker


def previous_bot_action(tracker: Tracker) -> str | None:
    """The last action the bot ran before the customer's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def _last_bot_turn(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The bot messages between the customer's previous message and the latest one."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            yield event


def just_answered(tracker: Tracker) -> str | None:
    """The FAQ entry the bot answered in its last turn, whichever action gave the answer (an FAQ question
    answered in place of a skill, inside a form, or as a follow-up NLU took for something else)."""
    previous_id = tracker.get_slot("last_faq_id")
    if not previous_id:
        return None
    for event in _last_bot_turn(tracker):
        metadata = event.get("metadata") or {}
        if metadata.get("faq_outcome") == "answer" and metadata.get("faq_id") == previous_id:
            return previous_id
    return None
