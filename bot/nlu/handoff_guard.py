"""Rasa component that keeps `request_human` for messages that ask for a person, and makes an explicit
request for one (「麻烦转人工」) a handoff wherever it stands in a message.

Asking for a human always names one: 人工, 真人, 客服, 坐席, 专员, 业务员, 找个人… A message without any
(「他让我把保费转他个人卡上」 resembles 「转人工」 to the classifier) goes to the knowledge base as `faq`, and one that
only checks someone is there (「在吗在吗」) is a greeting. A long
message that ends 「我想直接跟你们人工客服沟通一下，麻烦转人工」 is a handoff even when the classifier, distracted
by the story before it, was unsure (even when its unsure guess was `request_human`, which the fallback
threshold would otherwise discard); a complaint stays a complaint (it hands over too).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.stateless import StatelessComponent

HUMAN_INTENT = "request_human"
GREET_INTENT = "greet"
FAQ_INTENT = "faq"
COMPLAINT_INTENT = "complain"
NAMES_A_PERSON = re.compile(
    r"人工|真人|活人|客服|坐席|专员|经理|工作人员|业务员|柜员|接线|找(个|一个)?人|来(个|一个)人|rengong|human|agent",
    re.IGNORECASE,
)
ASKS_FOR_A_PERSON = re.compile(
    r"(转|转接|接通?|找|要|叫|换|呼叫)(一?下|个)?(你们的?)?(人工|真人)|(跟|和|与)(你们的?)?(人工|真人)(客服)?(沟通|聊|说|谈|通话)"
)


PRESENCE_CHECK = re.compile(
    r"^(?:(?:你好|您好|喂|hello|hi)?[\s,，]*(?:在吗|在么|在嘛|在不在|有人吗|有人在吗)[\s?？!！。,，~]*)+$"
)
"""「在吗在吗」, 「有人吗？」: checking that someone answers, a greeting rather than a request for a person."""


def asks_for_a_person(text: str) -> bool:
    """Whether the message asks in so many words to be put through to a person."""
    return ASKS_FOR_A_PERSON.search(normalize(text)) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class HandoffGuard(StatelessComponent):
    """Makes explicit requests for a person `request_human`, and other messages that name none `faq`."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label the handoff requests the classifier got wrong either way."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            if PRESENCE_CHECK.match(normalize(text)) is not None:
                if intent.get("name") != GREET_INTENT:
                    relabel(message, GREET_INTENT, 1.0)
            elif intent.get("name") != COMPLAINT_INTENT and asks_for_a_person(text):
                relabel(message, HUMAN_INTENT, 1.0)
            elif intent.get("name") == HUMAN_INTENT and NAMES_A_PERSON.search(normalize(text)) is None:
                relabel(message, FAQ_INTENT, intent.get("confidence", 0.0))
        return messages
