"""Rasa component that keeps neutral questions with negative words (没搜着, 会不会亏, 登不进去) out of `complain`.

`complain` hands the customer to a human with an apology, so it is kept for clear dissatisfaction: a
message classified as a complaint that reads as a general question and carries none of the cues of
dissatisfaction below becomes the best-ranked other intent (usually `faq`).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.request_kind import reads_as_general
from bot.nlu.stateless import StatelessComponent
from bot.normalize import normalize

COMPLAIN_INTENT = "complain"
DISSATISFACTION = re.compile(
    r"投诉|差评|太差|很差|极差|真差|垃圾|破(银行|服务|公司|APP|app|系统)|坑|骗|欺诈|不满|失望|态度|曝光|举报"
    r"|气死|烦死|恶心|离谱|过分|凭什么|讲不讲道理|什么玩意|太慢了|没人理|没人管|不负责|乱扣|乱收|抢劫|赔偿"
    r"|[!！]{2,}|到底(还|要|能)"
)


def is_clear_complaint(text: str) -> bool:
    """Whether the message says the customer is dissatisfied (or reads as anything but a question)."""
    clean = normalize(text)
    return DISSATISFACTION.search(clean) is not None or not reads_as_general(clean)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ComplaintGuard(StatelessComponent):
    """Replaces `complain` by the next-ranked intent for questions that voice no dissatisfaction."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-rank the messages wrongly read as complaints."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if intent.get("name") != COMPLAIN_INTENT or text.startswith("/") or is_clear_complaint(text):
                continue
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != COMPLAIN_INTENT]
            if not ranking:
                continue
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
