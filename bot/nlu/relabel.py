"""Replace the intent of a parsed message, as the rule-based guards of the pipeline do."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def relabel(message: Message, name: str, confidence: float) -> None:
    """Make `name` the message's intent with `confidence`, dropping the intent it replaces from the ranking."""
    replaced = (message.get(INTENT) or {}).get("name")
    lead = {"name": name, "confidence": confidence}
    others = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") not in (name, replaced)]
    message.set(INTENT, lead, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [lead, *others], add_to_output=True)
