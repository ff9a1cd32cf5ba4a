"""Decide which typed `/intent{...}` payloads a customer may send.

Rasa treats any text starting with `/` as a hard-coded intent. Buttons need that syntax,
so only a whitelist of harmless intents and entities passes; anything else is neutralised
by removing the leading slashes (and the spaces between them) so the text is understood as ordinary words.
"""

from __future__ import annotations

import json
import re

ALLOWED_INTENTS = frozenset(
    {
        "faq", "affirm", "deny", "greet", "goodbye", "thank", "request_human", "inform", "find_branch",
        "check_transactions", "rate",
    }
)
ALLOWED_ENTITIES = frozenset(
    {"faq_id", "city", "district", "card_type", "card_tail", "policy_number", "page", "rating"}
)

_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
_MAX_ENTITY_VALUE = 64
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def is_allowed_payload(text: str) -> bool:
    """True when `text` is a button payload the channel may pass to Rasa unchanged."""
    match = _PAYLOAD.match(text.strip())
    if not match or match.group("intent") not in ALLOWED_INTENTS:
        return False
    raw_entities = match.group("entities")
    if raw_entities is None:
        return True
    try:
        entities = json.loads(raw_entities)
    except json.JSONDecodeError:
        return False
    return isinstance(entities, dict) and all(
        key in ALLOWED_ENTITIES and isinstance(value, str) and len(value) <= _MAX_ENTITY_VALUE
        for key, value in entities.items()
    )


def neutralise(text: str) -> str:
    """Return text that Rasa will not read as an intent payload unless it is whitelisted."""
    stripped = text.strip()
    if not stripped.startswith("/") or is_allowed_payload(stripped):
        return text
    return _LEADING_SLASHES.sub("", stripped)
