"""Rasa component that refuses to guess an intent for messages with no readable content."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import has_content
from bot.nlu.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnreadableInputClassifier(StatelessComponent):
    """Zeroes intent confidence for empty, emoji-only or punctuation-only messages.

    Placed before `FallbackClassifier`, which then predicts `nlu_fallback`, so that the
    fallback action can ask the customer politely what they need.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark messages without any Chinese character, letter or digit as not understood."""
        for message in messages:
            if has_content(message.get(TEXT)):
                continue
            intent = dict(message.get(INTENT) or {"name": None})
            intent[PREDICTED_CONFIDENCE_KEY] = 0.0
            message.set(INTENT, intent, add_to_output=True)
            ranking = [dict(item, confidence=0.0) for item in message.get(INTENT_RANKING_KEY) or []]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
