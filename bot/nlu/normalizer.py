"""Rasa component that normalises the message text before tokenisation."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.text import MAX_NLU_CHARS, normalize
from bot.nlu.payload_guard import neutralise
from bot.nlu.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ChineseTextNormalizer(StatelessComponent):
    """Full-width to half-width, Traditional to Simplified, emoji and repeated punctuation.

    Then neutralises typed `/intent{...}` payloads that are not whitelisted button payloads (after normalising,
    so that a full-width 「／restart」 cannot become one).
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Normalise incoming messages in place."""
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                message.set(TEXT, neutralise(normalize(text, max_chars=MAX_NLU_CHARS)))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalise training examples; annotated ones only where offsets stay valid."""
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if not text:
                continue
            normalised = normalize(text)
            if message.get(ENTITIES) and len(normalised) != len(text):
                continue
            message.set(TEXT, normalised)
        return training_data
