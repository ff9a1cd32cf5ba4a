"""Rasa entity extractor for the structured entities of customer messages, all found by rule.

Amounts, dates, card tails, phone, policy and claim numbers come from the spaCy pipeline in `entity_patterns`,
card types from `entity_patterns.card_types`, cities and districts from the national gazetteer (`bot.branches.places`).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.branches.places import place_mentions
from bot.nlu.entity_patterns import build_pipeline, card_types, entity_value
from bot.nlu.request_kind import reads_as_general
from bot.nlu.stateless import StatelessComponent

# Entities that only the rules give: the gazetteer knows every place and the names of cards are a closed list.
RULE_ONLY = frozenset({"city", "district", "card_type"})
# The intent of general questions about products: a card named there is the topic, not one of the customer's.
GENERAL_QUESTION = "faq"


def _overlaps(entity: dict[str, Any], start: int, end: int) -> bool:
    return entity["start"] < end and start < entity["end"]


def _entity(label: str, start: int, end: int, value: str) -> dict[str, Any]:
    return {"entity": label, "start": start, "end": end, "value": value, "confidence_entity": 1.0}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SpacyRuleEntityExtractor(StatelessComponent, EntityExtractorMixin):
    """Extracts amounts, dates, card tails, phone, policy and claim numbers, card types, cities and districts.

    Rule matches win over statistical ones: entities from earlier extractors that overlap a rule match are
    replaced by it, and cities, districts and card types come from the rules alone. A general question
    (「信用卡逾期会影响征信吗」: intent faq and the wording of one) gets no card type, as no account service reads
    it there; a request that DIET takes for a question (「工资卡里的钱还剩多少」) keeps it.
    """

    def __init__(self) -> None:
        self._nlp = build_pipeline()

    def process(self, messages: list[Message]) -> list[Message]:
        """Add rule-based entities to each message."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.extract(text)
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == GENERAL_QUESTION and reads_as_general(text):
                found = [entity for entity in found if entity["entity"] != "card_type"]
            existing = [
                entity
                for entity in message.get(ENTITIES, [])
                if entity["entity"] not in RULE_ONLY
                and not any(_overlaps(entity, new["start"], new["end"]) for new in found)
            ]
            message.set(ENTITIES, existing + self.add_extractor_name(found), add_to_output=True)
        return messages

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities in `text` as Rasa entity dictionaries (without extractor name), in text order.

        `text` is expected normalised (Simplified, half-width), as the pipeline's normaliser leaves it.
        """
        if not text.strip():
            return []
        entities = []
        for span in self._nlp(text).ents:
            start = span.end_char - 4 if span.label_ == "card_tail" else span.start_char
            entities.append(_entity(span.label_, start, span.end_char, entity_value(span)))
        named = [_entity("card_type", start, end, value) for start, end, value in card_types(text)]
        named += [_entity(place.kind, place.start, place.end, place.name) for place in place_mentions(text)]
        for entity in named:
            if not any(_overlaps(other, entity["start"], entity["end"]) for other in entities):
                entities.append(entity)
        return sorted(entities, key=lambda entity: entity["start"])
