"""Turn Rasa tracker events into what agents read: a transcript and a short summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.privacy.redaction import redact_events

HIDDEN_SLOTS = frozenset(
    {
        "phone", "otp_code", "id_last4", "requested_slot", "pending_skill", "verification_status",
        "unresolved_turns", "unhappy_turns",
    }
)
SUMMARY_MESSAGES = 8


def transcript(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Customer, bot and agent messages in order, with their time (UNIX seconds)."""
    lines: list[dict[str, Any]] = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind == "user" and text is not None:
            lines.append({"role": "customer", "text": text, "time": event.get("timestamp")})
        elif kind == "bot" and text:
            agent = (event.get("metadata") or {}).get("agent")
            role = "agent" if agent else "bot"
            lines.append({"role": role, "text": text, "time": event.get("timestamp"), "agent": agent})
    return lines


def summarize(events: Iterable[Mapping[str, Any]], slots: Mapping[str, Any]) -> dict[str, Any]:
    """Recognised intents, filled slots (personal data left out) and the last messages."""
    events = redact_events(events)
    intents = [
        event["parse_data"]["intent"]["name"]
        for event in events
        if event.get("event") == "user" and (event.get("parse_data") or {}).get("intent", {}).get("name")
    ]
    filled = {name: value for name, value in slots.items() if value not in (None, [], "") and name not in HIDDEN_SLOTS}
    return {
        "intents": intents[-SUMMARY_MESSAGES:],
        "slots": filled,
        "last_messages": transcript(events)[-SUMMARY_MESSAGES:],
    }
