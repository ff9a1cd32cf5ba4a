"""Rasa component that keeps `bot_challenge` for messages that address the assistant.

Asking whether one talks to a machine always names it: 你/您, 机器人, 真人, AI, 自动回复, 对面… A question
such as 「NCD是个啥」 resembles 「你是啥」 to the classifier but asks about a product; without any of those
words it becomes the next-ranked intent (usually `faq`). The other way round, a greeting or a question that asks
whether the assistant is a person or a machine (「您好，請問你們是真人客服嗎」) is `bot_challenge`.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.stateless import StatelessComponent

BOT_CHALLENGE_INTENT = "bot_challenge"
ADDRESSES_THE_BOT = re.compile(
    r"你|您|机器|真人|活人|是人|人类|人工智能|智能客服|自动回复|程序|电脑|对面|坐席|客服|小金|ai|bot|robot|human|gpt",
    re.IGNORECASE,
)

ASKS_WHAT_THE_BOT_IS = re.compile(
    r"(是|是不是)(个|一个)?(真人(?!民币)|真的人(?!民币)|活人|人工客服|机器人|人工智能(?!投顾)|(?<![a-z])ai(?![a-z])|自动回复)"
    r"|真人还是|机器人还是",
    re.IGNORECASE,
)
PROMOTED = frozenset({"greet", "faq", "out_of_scope", "inform", "affirm", "thank"})
"""Intents a message asking what the assistant is may be taken for; requests (转人工, a skill) keep theirs."""


def addresses_the_bot(text: str) -> bool:
    """Whether the message speaks to or about the assistant itself."""
    return ADDRESSES_THE_BOT.search(normalize(text)) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BotChallengeGuard(StatelessComponent):
    """Replaces `bot_challenge` by the next-ranked intent when the message does not address the assistant, and
    makes a greeting or question that asks what the assistant is `bot_challenge`."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-rank bot challenges that name no assistant; promote questions about what the assistant is."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            if intent.get("name") in PROMOTED and ASKS_WHAT_THE_BOT_IS.search(normalize(text)):
                relabel(message, BOT_CHALLENGE_INTENT, intent.get("confidence", 0.0))
                continue
            if intent.get("name") != BOT_CHALLENGE_INTENT:
                continue
            if addresses_the_bot(text):
                continue
            ranking = [
                item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != BOT_CHALLENGE_INTENT
            ]
            if ranking:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
