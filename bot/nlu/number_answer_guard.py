"""Rasa component that reads a message made mostly of digits as an answer (`inform`), never as small talk.

Chinese chat writes 拜拜 as 「88」 and 谢谢 as 「3Q」, so a phone number such as 「150 1234 8888」 can look like
a goodbye to the classifier and end the verification it answers; a bare 「1234」 may fall just below the fallback
threshold. A message whose characters are mostly digits (at least four of them), or two or three digits alone that
chat does not use as a word (「12」, not 「88」), gives a number: a social intent or a fallback is replaced by
`inform`, which then leads the ranking. Runs after `FallbackClassifier`.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.stateless import StatelessComponent

INFORM_INTENT = "inform"
SOCIAL_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope", "complain"})
"""Intents that a bare number cannot express."""
FALLBACK_INTENT = "nlu_fallback"
MIN_DIGITS = 4
CHAT_NUMBERS = frozenset({"88", "886", "520", "666", "555", "233"})
"""Short numbers written as words in Chinese chat: 拜拜, 拜拜了, 我爱你, 厉害, 呜呜, 哈哈."""
MIN_DIGIT_SHARE = 0.6
SEPARATORS = re.compile(r"[\s\-—_.,，。、:：;；/()（）+*#]+")


def reads_as_number(text: str) -> bool:
    """Whether the message is mostly digits: a phone, ID, card, code or policy number given as an answer, or a
    short wrong one (「12」 for the last four digits of an ID) — except the numbers chat uses as words."""
    compact = SEPARATORS.sub("", normalize(text))
    if compact.isdigit() and len(compact) < MIN_DIGITS:
        return len(compact) > 1 and compact not in CHAT_NUMBERS
    digits = sum(char.isdigit() for char in compact)
    return digits >= MIN_DIGITS and digits >= MIN_DIGIT_SHARE * len(compact)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NumberAnswerGuard(StatelessComponent):
    """Replaces a social intent or a fallback on a mostly-digit message by `inform` (with the confidence of the
    social intent, or inform's own after a fallback)."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label numbers classified as small talk or left to the fallback."""
        replaced = SOCIAL_INTENTS | {FALLBACK_INTENT}
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if intent.get("name") not in replaced or text.startswith("/") or not reads_as_number(text):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            confidence = intent.get("confidence", 0.0)
            if intent.get("name") == FALLBACK_INTENT:
                confidence = next(
                    (item.get("confidence", 0.0) for item in ranking if item.get("name") == INFORM_INTENT), 0.0
                )
            others = [item for item in ranking if item.get("name") not in replaced | {INFORM_INTENT}]
            lead = {"name": INFORM_INTENT, "confidence": confidence}
            message.set(INTENT, lead, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [lead, *others], add_to_output=True)
        return messages
