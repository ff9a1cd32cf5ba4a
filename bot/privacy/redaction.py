"""Redact personal data from Rasa events (as dicts) before they are stored or published.

- Phone, ID-card and bank-card numbers in customers' messages and entities are masked wherever they appear.
- A value that filled a sensitive slot (phone, ID digits, one-time code) is masked in the message it came
  from, and the slot event itself keeps only a sealed value or a mask.
- The website's signed customer token (a credential) is dropped from stored message metadata; the bot reads
  it from the live message of each turn.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from bot.accounts.access import TOKEN_KEY
from bot.core.masking import mask_numbers
from bot.core.patterns import SENSITIVE_SLOTS
from bot.privacy.seal import is_sealed

MASK = "****"


def redact_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events with personal data masked. The input is not changed: customer messages and sensitive
    slot events are copies, the other events (which hold none) are the same dicts."""
    redacted = [copy.deepcopy(event) if _may_hold_personal_data(event) else event for event in events]
    last_user: dict[str, Any] | None = None
    for event in redacted:
        kind = event.get("event")
        if kind == "user":
            last_user = event
            _mask_user_event(event, mask_numbers)
        elif kind == "slot" and event.get("name") in SENSITIVE_SLOTS:
            value = event.get("value")
            if isinstance(value, str) and value and not is_sealed(value):
                if last_user is not None:
                    _mask_user_event(last_user, lambda text, secret=value: text.replace(secret, MASK))
                event["value"] = MASK
    return redacted


def _may_hold_personal_data(event: dict[str, Any]) -> bool:
    kind = event.get("event")
    return kind == "user" or (kind == "slot" and event.get("name") in SENSITIVE_SLOTS)


def _mask_user_event(event: dict[str, Any], mask: Any) -> None:
    metadata = event.get("metadata")
    if isinstance(metadata, dict) and TOKEN_KEY in metadata:
        metadata[TOKEN_KEY] = MASK
    if isinstance(event.get("text"), str):
        event["text"] = mask(event["text"])
    parse = event.get("parse_data")
    if not isinstance(parse, dict):
        return
    if isinstance(parse.get("text"), str):
        parse["text"] = mask(parse["text"])
    for entity in parse.get("entities") or []:
        if isinstance(entity.get("value"), str):
            entity["value"] = mask(entity["value"])
