"""Rasa component that refuses to guess an intent for messages with no readable content."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import has_content, normalize
from bot.nlu.stateless import StatelessComponent

KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_POSITIONS = {key: (row, column) for row, keys in enumerate(KEYBOARD_ROWS) for column, key in enumerate(keys)}
MIN_MASH_LETTERS = 6
MIN_DISTINCT_KEYS = 4
MIN_ADJACENT_SHARE = 0.9


def _adjacent(first: str, second: str) -> bool:
    (row_a, column_a), (row_b, column_b) = KEY_POSITIONS[first], KEY_POSITIONS[second]
    return abs(row_a - row_b) <= 1 and abs(column_a - column_b) <= 1


def is_keyboard_mash(text: str | None) -> bool:
    """Whether the message is letters typed along the keyboard (「asdfghjkl」, 「qwer tyui」), not a word."""
    letters = re.sub(r"\s+", "", normalize(text or "").lower())
    if len(letters) < MIN_MASH_LETTERS or len(set(letters)) < MIN_DISTINCT_KEYS:
        return False
    if not all(letter in KEY_POSITIONS for letter in letters):
        return False
    pairs = list(zip(letters, letters[1:], strict=False))
    return sum(_adjacent(a, b) for a, b in pairs) >= MIN_ADJACENT_SHARE * len(pairs)


def is_unreadable(text: str | None) -> bool:
    """No Chinese character, letter or digit at all, or only a run of keys typed along the keyboard."""
    return not has_content(text) or is_keyboard_mash(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnreadableInputClassifier(StatelessComponent):
    """Zeroes intent confidence for empty, emoji-only, punctuation-only or keyboard-mash messages.

    Placed before `FallbackClassifier`, which then predicts `nlu_fallback`, so that the
    fallback action can ask the customer politely what they need.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark messages without readable content as not understood."""
        for message in messages:
            if not is_unreadable(message.get(TEXT)):
                continue
            intent = dict(message.get(INTENT) or {"name": None})
            intent[PREDICTED_CONFIDENCE_KEY] = 0.0
            message.set(INTENT, intent, add_to_output=True)
            ranking = [dict(item, confidence=0.0) for item in message.get(INTENT_RANKING_KEY) or []]
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
