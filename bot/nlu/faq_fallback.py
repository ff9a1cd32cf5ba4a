"""Rasa component that records a low-confidence question whose best guess is `faq` as `faq`.

`FallbackClassifier` turns every message below its threshold into `nlu_fallback`, and `nlu_fallback`
goes to the knowledge base like `faq` does. For a message the classifier ranked `faq` first, the
knowledge base is the right destination whatever the confidence, so the recorded intent says so; the
fallback stays for messages whose best guess was anything else (a skill, chitchat, out of scope).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.stateless import StatelessComponent

FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FaqFallback(StatelessComponent):
    """Replaces `nlu_fallback` by `faq` when `faq` was the classifier's best guess."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label fallbacks whose best-ranked real intent is `faq`."""
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != FALLBACK_INTENT:
                continue
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FALLBACK_INTENT]
            if ranking and ranking[0].get("name") == FAQ_INTENT:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
