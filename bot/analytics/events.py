"""Turn a Rasa event (as the event broker publishes it) into an analytics row, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.analytics.models import ConversationEvent


def conversation_key(sender_id: str) -> str:
    """A stable pseudonym for the conversation: analytics never sees the sender id (an OpenID, say)."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:32]


def to_row(event: Mapping[str, Any]) -> ConversationEvent | None:
    """The row for user messages, actions and FAQ replies; None for every other event."""
    kind, sender = event.get("event"), event.get("sender_id")
    if not isinstance(sender, str) or kind not in ("user", "action", "bot"):
        return None
    timestamp = event.get("timestamp")
    row = ConversationEvent(
        conversation=conversation_key(sender), event=kind,
        occurred_at=datetime.fromtimestamp(timestamp) if isinstance(timestamp, (int, float)) else datetime.now(),
    )
    if kind == "user":
        intent = (event.get("parse_data") or {}).get("intent") or {}
        row.intent, row.confidence = intent.get("name"), intent.get("confidence")
        row.channel = event.get("input_channel")
    elif kind == "action":
        if event.get("name") == "action_listen":
            return None
        row.action = event.get("name")
    else:
        metadata = event.get("metadata") or {}
        if not metadata.get("faq_outcome"):
            return None
        row.faq_id, row.faq_outcome = metadata.get("faq_id"), metadata.get("faq_outcome")
    return row
