"""Rasa component that records a low-confidence question as `faq`.

`FallbackClassifier` turns every message below its threshold into `nlu_fallback`, and `nlu_fallback`
goes to the knowledge base like `faq` does. The recorded intent says `faq` when the knowledge base is the
right destination: the classifier ranked `faq` first, or the message reads as a question (怎么, 能不能, 是个啥,
管不管…) and the best real guess is no personal skill, small talk, handoff, complaint or branch search — the
best guess left after a guard rejected `bot_challenge` or `complain` is usually noise (「NCD是个啥」 → `rate`).
A question whose best guess is an unsure greeting, thanks or goodbye (「收费吗」 → `greet` at 0.15) is `faq` too,
unless it checks that someone is there (「在不在」). Other fallbacks stay.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.handoff_guard import PRESENCE_CHECK
from bot.nlu.request_kind import SKILL_INTENTS, RequestKind, request_kind
from bot.nlu.stateless import StatelessComponent

FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
KEPT_GUESSES = SKILL_INTENTS | {
    "greet", "goodbye", "thank", "out_of_scope", "request_human", "complain", "bot_challenge", "find_branch",
}
"""Best guesses that a question-like fallback keeps: their own rules handle a fallback better than the KB."""
SMALL_TALK_GUESSES = frozenset({"greet", "goodbye", "thank"})
UNSURE_SMALL_TALK = 0.5
"""Below this, small talk as the best guess of a question is noise."""


def _reads_as_question(text: str) -> bool:
    return request_kind(text) in (RequestKind.GENERAL, RequestKind.MIXED)


def _belongs_to_the_kb(guess: dict, text: str) -> bool:
    """Whether a question-like fallback with this best real guess goes to the knowledge base."""
    if text.startswith("/") or not _reads_as_question(text):
        return False
    name = guess.get("name")
    if name in SMALL_TALK_GUESSES:
        unsure = (guess.get("confidence") or 0.0) < UNSURE_SMALL_TALK
        return unsure and PRESENCE_CHECK.match(normalize(text)) is None
    return name not in KEPT_GUESSES


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
            elif _belongs_to_the_kb(ranking[0], text):
                faq = next((item for item in ranking if item.get("name") == FAQ_INTENT), {"confidence": 0.0})
                lead = {"name": FAQ_INTENT, "confidence": faq.get("confidence", 0.0)}
                others = [item for item in ranking if item.get("name") != FAQ_INTENT]
                message.set(INTENT, lead, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [lead, *others], add_to_output=True)
        return messages
