"""What the bot's last turn was, for messages that only make sense as a follow-up to it."""

from __future__ import annotations

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


def just_answered(tracker: Tracker) -> str | None:
    """The FAQ entry the bot answered with its last reply, if that reply was an FAQ answer."""
    previous_id = tracker.get_slot("last_faq_id")
    return previous_id if previous_id and previous_bot_action(tracker) == "action_answer_faq" else None
