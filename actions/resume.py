"""A verification the customer closed with thanks (「好的谢谢」 when asked for the phone number) picks up again
when the phone number follows right after: the thanks meant "I'll send it", nothing the customer gave is lost."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from bot.accounts.identity import normalize_phone
from bot.core.patterns import PHONE

VERIFY_FORM = "verify_form"
CLOSED_BY = "action_cancel_task"


def _closed_with_thanks(tracker: Tracker) -> bool:
    """Whether the customer's previous message was thanks that ended the running form, and the latest one is
    the next message."""
    closed = False
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                return closed and intent == "thank"
            seen_user = True
        elif seen_user and kind == "action" and event.get("name") == CLOSED_BY:
            closed = True
    return False


def _last_pending_skill(tracker: Tracker) -> str | None:
    """The skill the latest verification was started for (the slot is cleared when the form ends)."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "pending_skill" and event.get("value"):
            return str(event["value"])
    return None


def resumed_verification(tracker: Tracker) -> list[dict[str, Any]] | None:
    """Events that start the verification again with the phone number of the latest message, if the customer
    closed it with thanks just before; None otherwise."""
    text = tracker.latest_message.get("text") or ""
    phone = PHONE.search(normalize_phone(text))
    if phone is None or not _closed_with_thanks(tracker):
        return None
    skill = _last_pending_skill(tracker)
    if skill is None:
        return None
    return [SlotSet("pending_skill", skill), SlotSet("phone", phone.group()), FollowupAction(VERIFY_FORM)]
