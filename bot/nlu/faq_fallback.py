"""Rasa component that records a low-confidence question as `faq`.

`FallbackClassifier` turns every message below its threshold into `nlu_fallback`, and `nlu_fallback`
goes to the knowledge base like `faq` does. The recorded intent says `faq` when the knowledge base is the
right destination: the classifier ranked `faq` first, or the message reads as a question (怎么, 能不能, 是个啥,
管不管…) and the best real guess is no personal skill, small talk, handoff, complaint or branch search — the
best guess left after a guard rejected `bot_challenge` or `complain` is usually noise (「NCD是个啥」 → `rate`).
Other fallbacks stay.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.request_kind import SKILL_INTENTS, RequestKind, request_kind
from bot.nlu.stateless import StatelessComponent

FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
KEPT_GUESSES = SKILL_INTENTS | {
    "greet", "goodbye", "thank", "out_of_scope", "request_human", "complain", "bot_challenge", "find_branch",
}
"""Best guesses that a question-like fallback keeps: their own rules handle a fallback better than the KB."""


def _reads_as_question(text: str) -> bool:
    return request_kind(text) in (RequestKind.GENERAL, RequestKind.MIXED)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FaqFallback(StatelessComponent):
    """Replaces `nlu_fallback` by `faq` when `faq` was the best guess or the message reads as a question."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label fallbacks that belong to the knowledge base."""
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != FALLBACK_INTENT:
                continue
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FALLBACK_INTENT]
            if not ranking:
                continue
            best = ranking[0].get("name")
            text = message.get(TEXT) or ""
            if best == FAQ_INTENT:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            elif best not in KEPT_GUESSES and not text.startswith("/") and _reads_as_question(text):
                faq = next((item for item in ranking if item.get("name") == FAQ_INTENT), {"confidence": 0.0})
                lead = {"name": FAQ_INTENT, "confidence": faq.get("confidence", 0.0)}
                others = [item for item in ranking if item.get("name") != FAQ_INTENT]
                message.set(INTENT, lead, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [lead, *others], add_to_output=True)
        return messages
