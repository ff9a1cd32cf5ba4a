"""Rasa component that records a request for branches in a named place as `find_branch`.

「南京鼓楼有网点吗」 or 「哈尔滨有你们银行吗 想去柜台办点事」 resemble the knowledge base's questions about branch
services to the classifier. A message that asks for branches (`bot.branches.replies.asks_for_branches`) and names
a city or district (the rule entities of `SpacyRuleEntityExtractor`) wants the branch search, whatever the
classifier's first choice among the knowledge base, fallback and out of scope.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.branches.replies import asks_for_branches
from bot.core.text import normalize
from bot.nlu.stateless import StatelessComponent

FIND_BRANCH_INTENT = "find_branch"
RELABELLED = frozenset({"faq", "nlu_fallback", "out_of_scope"})
PLACE_ENTITIES = frozenset({"city", "district"})


def names_a_place(message: Message) -> bool:
    """Whether the message has a city or district entity."""
    return any(entity.get("entity") in PLACE_ENTITIES for entity in message.get(ENTITIES) or [])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BranchSearchRouter(StatelessComponent):
    """Re-labels a branch request in a named place as `find_branch`, with the confidence of the replaced intent."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label branch requests the classifier took for questions."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if intent.get("name") not in RELABELLED or text.startswith("/"):
                continue
            if not names_a_place(message) or not asks_for_branches(normalize(text)):
                continue
            lead = {"name": FIND_BRANCH_INTENT, "confidence": intent.get("confidence", 0.0)}
            others = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FIND_BRANCH_INTENT]
            message.set(INTENT, lead, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [lead, *others], add_to_output=True)
        return messages
