"""Rasa component that keeps `complain` for clear dissatisfaction or an explicit 投诉.

`complain` hands the customer to a human with an apology. A message classified as a complaint that reads
as a general question and carries none of the cues of dissatisfaction below (没搜着, 会不会亏, 登不进去)
becomes the best-ranked other intent (usually `faq`); a message that says 我要投诉 or scolds the bank in
so many words (太不像话, 气死我了) is a complaint whatever the classifier thought, unless it asks how to
complain (投诉电话是多少).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.request_kind import RequestKind, request_kind
from bot.nlu.stateless import StatelessComponent

COMPLAIN_INTENT = "complain"
DISSATISFACTION = re.compile(
    r"投诉|差评|太差|很差|极差|真差|垃圾|破(银行|服务|公司|APP|app|系统)|坑|骗|欺诈|不满|失望|态度|曝光|举报"
    r"|气死|烦死|恶心|离谱|过分|凭什么|讲不讲道理|什么玩意|太慢了|没人理|没人管|不负责|乱扣|乱收|抢劫|赔偿"
    r"|[!！]{2,}|到底(还|要|能)"
)


EXPLICIT = re.compile(
    r"我要投诉|要投诉你们|投诉你们|我要去?投诉|太不像话|气死我了|坑钱|什么玩意|什么破|垃圾(银行|客服|服务)|太差劲|差评"
    r"|烦不烦|还好意思|怎么做事的|(我|真的?|太)生气|服务(真的?|也太|太)?不行"
)
HOW_TO_COMPLAIN = re.compile(r"(怎么|如何|哪里|在哪|去哪).{0,4}投诉|投诉(电话|渠道|方式|热线)")
HUMAN_INTENT = "request_human"
ASKING = frozenset({RequestKind.GENERAL, RequestKind.MIXED})


def is_explicit_complaint(text: str) -> bool:
    """Whether the message complains in so many words (and does not ask how to complain)."""
    clean = normalize(text)
    return EXPLICIT.search(clean) is not None and HOW_TO_COMPLAIN.search(clean) is None


def is_clear_complaint(text: str) -> bool:
    """Whether the message says the customer is dissatisfied (or asks nothing at all)."""
    clean = normalize(text)
    return DISSATISFACTION.search(clean) is not None or request_kind(clean) not in ASKING


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ComplaintGuard(StatelessComponent):
    """Replaces `complain` by the next-ranked intent for questions that voice no dissatisfaction, and
    makes explicit complaints `complain`."""

    @staticmethod
    def _promote(message: Message) -> None:
        ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != COMPLAIN_INTENT]
        top = {"name": COMPLAIN_INTENT, "confidence": 1.0}
        message.set(INTENT, dict(top), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *(dict(item, confidence=0.0) for item in ranking)], add_to_output=True)

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-rank the messages wrongly read as complaints."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            # An explicit complaint the classifier was unsure of is made sure too: below the fallback threshold
            # it would otherwise become a question.
            if intent.get("name") != HUMAN_INTENT and is_explicit_complaint(text):
                self._promote(message)
                continue
            if intent.get("name") != COMPLAIN_INTENT or is_clear_complaint(text):
                continue
            ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item.get("name") != COMPLAIN_INTENT]
            if not ranking:
                continue
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
