"""Rasa entity extractor backed by the rule-based spaCy pipeline in `entity_patterns`."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entity_patterns import build_pipeline, entity_value
from bot.nlu.stateless import StatelessComponent


def _overlaps(entity: dict[str, Any], start: int, end: int) -> bool:
    return entity["start"] < end and start < entity["end"]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SpacyRuleEntityExtractor(StatelessComponent, EntityExtractorMixin):
    """Extracts amounts, dates, card tails, phone, policy and claim numbers with spaCy rules.

    Rule matches win over statistical ones: entities from earlier extractors that overlap a
    rule match are replaced by it.
    """

    def __init__(self) -> None:
        self._nlp = build_pipeline()

    def process(self, messages: list[Message]) -> list[Message]:
        """Add rule-based entities to each message."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.extract(text)
            existing = [
                entity
                for entity in message.get(ENTITIES, [])
                if not any(_overlaps(entity, new["start"], new["end"]) for new in found)
            ]
            message.set(ENTITIES, existing + self.add_extractor_name(found), add_to_output=True)
        return messages

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities in `text` as Rasa entity dictionaries (without extractor name)."""
        if not text.strip():
            return []
        doc = self._nlp(text)
        entities = []
        for span in doc.ents:
            value = entity_value(span)
            start = span.start_char
            if span.label_ == "card_tail":
                start = span.end_char - 4
            entities.append(
                {"entity": span.label_, "start": start, "end": span.end_char, "value": value,
                 "confidence_entity": 1.0}
            )
        return entities
