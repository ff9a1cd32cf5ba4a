"""Rasa component that records a general question NLU took for a personal skill as `faq`.

「信用卡晚还几天有影响吗」 reads like `check_credit_card_bill` to the classifier, but it asks how things work
and names nothing of the customer's own: the knowledge base answers it. The skill the classifier saw is
kept in the parse data (`general_question_of`), so that the dialogue can still offer it, or start it when
the knowledge base has no answer. A message that is both (「我的卡丢了怎么挂失」) stays the skill.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.request_kind import GATED_KEY, SKILL_INTENTS, reads_as_general
from bot.nlu.stateless import StatelessComponent

FAQ_INTENT = "faq"
FALLBACK_INTENT = "nlu_fallback"


def _skill_guess(message: Message) -> str | None:
    """The skill the classifier chose, directly or as the best guess behind a fallback."""
    intent = (message.get(INTENT) or {}).get("name")
    if intent == FALLBACK_INTENT:
        ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FALLBACK_INTENT]
        intent = ranking[0].get("name") if ranking else None
    return intent if intent in SKILL_INTENTS else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class GeneralQuestionRouter(StatelessComponent):
    """Re-labels a skill (or a fallback whose best guess is a skill) as `faq` when the message reads as a
    general question, keeping the skill under `general_question_of`."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label general questions taken for skills."""
        for message in messages:
            text = message.get(TEXT) or ""
            skill = _skill_guess(message)
            if skill is None or text.startswith("/") or not reads_as_general(text):
                continue
            confidence = float((message.get(INTENT) or {}).get("confidence") or 0.0)
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != FAQ_INTENT]
            message.set(INTENT, {"name": FAQ_INTENT, "confidence": confidence}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": FAQ_INTENT, "confidence": confidence}, *ranking],
                        add_to_output=True)
            message.set(GATED_KEY, skill, add_to_output=True)
        return messages
