"""Rasa component that sends high-risk topics (fraud, disputed freezes, claim complaints) to a human."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.paths import KNOWLEDGE_BASE_DIR

RISK_FILE = KNOWLEDGE_BASE_DIR / "high_risk.yml"
HANDOFF_INTENT = "request_human"
COMPLAINT_INTENT = "complain"
ENTITY = "risk_topic"


@dataclass(frozen=True)
class RiskRules:
    """Phrases per topic, and cues that make a message a general question instead."""

    topics: dict[str, list[str]]
    not_when: list[str]

    @classmethod
    def load(cls, path: Path = RISK_FILE) -> RiskRules:
        """Read the YAML file of topics."""
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls({str(k): [str(p) for p in v] for k, v in data.get("topics", {}).items()}, data.get("not_when", []))

    def match(self, text: str) -> tuple[str, int, int] | None:
        """The first topic found in `text` with the phrase's span, unless a prevention cue is present."""
        if any(cue in text for cue in self.not_when):
            return None
        for topic, phrases in self.topics.items():
            for phrase in phrases:
                start = text.find(phrase)
                if start >= 0:
                    return topic, start, start + len(phrase)
        return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class HighRiskTopicDetector(GraphComponent):
    """Overrides the intent with `complain` (an explicit request for a person stays `request_human`) and adds a
    `risk_topic` entity for high-risk messages."""

    def __init__(self, rules: RiskRules) -> None:
        self.rules = rules

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """Load the topics from the knowledge base folder."""
        return cls(RiskRules.load())

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark matching messages."""
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            found = self.rules.match(text)
            if found is None:
                continue
            topic, start, end = found
            # A customer reporting fraud or a disputed claim is in trouble with the bank's service (`complain`: an
            # apology, then a human with priority because of the entity below); one who asked for a person in so
            # many words keeps `request_human`.
            asked_for_a_person = (message.get(INTENT) or {}).get("name") == HANDOFF_INTENT
            intent = HANDOFF_INTENT if asked_for_a_person else COMPLAINT_INTENT
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            # The others drop to zero, so that the fallback classifier cannot call the message ambiguous.
            ranking = [
                dict(item, confidence=0.0)
                for item in message.get(INTENT_RANKING_KEY) or []
                if item.get("name") != intent
            ]
            message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)
            entity = {"entity": ENTITY, "value": topic, "start": start, "end": end, "extractor": type(self).__name__}
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
