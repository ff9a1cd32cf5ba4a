"""Rasa component that records an explicit request to report a claim or a lost card now as that skill.

The classifier sees 「我要申请理赔 孩子被开水烫伤了」 or 「我家被偷了 买过家财险 想报案」 among many FAQ questions about
claims and takes them for `faq`, so the customer gets a general answer instead of the claim report. A message that
says the customer wants it done (要/想/得/帮我 + 报案/申请理赔/挂失) and asks nothing about it (materials, how long,
how to, whether it pays) is the skill; 「想报案 需要什么材料」 stays a question. The other way round, a claim
report that asks where the customer's claim stands (「查一下孩子的门诊理赔 赔了没」) is the status check.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.request_kind import STATUS
from bot.nlu.stateless import StatelessComponent

REROUTED = frozenset({"faq", "nlu_fallback"})
CLAIM_REPORT = "file_claim"
CLAIM_STATUS = "check_claim_status"
CONFIDENCE = 0.9
ACTS = {
    "file_claim": re.compile(
        r"(要|想|得|需要|准备|帮我)(马上|现在|赶紧)?(报案|报个案|报一下案|报一个案|申请理赔|申请个理赔|办理赔|理赔一下)"
    ),
    "report_card_loss": re.compile(r"(要|想|得|帮我)(马上|现在|赶紧)?(挂失|把[^\s，。？?！!]{0,6}挂失)"),
}
ASKS_ABOUT_IT = re.compile(
    r"材料|资料|证件|证明|哪些|准备|多久|几天|时效|期限|流程|手续|需要什么|要带|准备什么|电话|热线|费用|收费|要钱|能不能|可不可以|可以吗"
    r"|会不会|赔不赔|能赔|能不能赔|怎么(报|申请|挂|办|操作)|如何|在哪|哪里|什么时候|是什么|吗[\s?？]*$|[?？]"
)


def requested_skill(text: str) -> str | None:
    """The skill a message asks to have done now, or None (also when it asks something about it)."""
    clean = normalize(text)
    if ASKS_ABOUT_IT.search(clean):
        return None
    return next((skill for skill, pattern in ACTS.items() if pattern.search(clean)), None)


def asks_where_it_stands(text: str) -> bool:
    """Whether a message about a claim asks how far it got (「赔了没」, 「到哪一步了」) without asking to report one."""
    clean = normalize(text)
    return STATUS.search(clean) is not None and ACTS[CLAIM_REPORT].search(clean) is None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ActRequestRouter(StatelessComponent):
    """Replaces `faq` (or a fallback) by the skill a message explicitly asks to have done."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label explicit requests to report a claim or a lost card, and claim reports that ask for a status."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if text.startswith("/"):
                continue
            if intent == CLAIM_REPORT and asks_where_it_stands(text):
                relabel(message, CLAIM_STATUS, CONFIDENCE)
            elif intent in REROUTED and (skill := requested_skill(text)) is not None:
                relabel(message, skill, CONFIDENCE)
        return messages
