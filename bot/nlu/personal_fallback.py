"""Rasa component that records a low-confidence personal request as the skill the classifier guessed.

「我尾号0457的卡 帮我看看里面的钱还在不在」 is phrased unlike the training examples, so its best intent
(`check_balance`, 0.40) falls below the fallback threshold. A message that names the customer's own things or asks
the bot to act (`bot.nlu.request_kind`: personal or mixed) and whose best guess is a personal skill with at least
`MIN_CONFIDENCE` asks for that skill: verification starts, and the customer can still say 「算了」.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.request_kind import SKILL_INTENTS, RequestKind, request_kind
from bot.nlu.stateless import StatelessComponent

FALLBACK_INTENT = "nlu_fallback"
MIN_CONFIDENCE = 0.3


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PersonalRequestFallback(StatelessComponent):
    """Replaces `nlu_fallback` by the best-guessed skill when the message reads as a personal request."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label fallbacks that are personal requests for a guessed skill."""
        for message in messages:
            text = message.get(TEXT) or ""
            if (message.get(INTENT) or {}).get("name") != FALLBACK_INTENT or text.startswith("/"):
                continue
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FALLBACK_INTENT]
            if not ranking or ranking[0].get("name") not in SKILL_INTENTS:
                continue
            if ranking[0].get("confidence", 0.0) < MIN_CONFIDENCE:
                continue
            if request_kind(text) in (RequestKind.PERSONAL, RequestKind.MIXED):
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
