"""Rasa component that reads a customer's way of stopping a task as `deny`.

「那我先去网点改 不查了」 or 「算了 我自己去APP看」 end the verification or form the bot is running, whatever the
rest of the message made the classifier think (a branch search, an FAQ). A stop phrase anywhere (不查了,
不办了, 不用了, 回头再说…), or 算了 / 不用了 / 先这样 leading a message, counts — unless the message also asks a
question or asks for something of the customer's own (「算了 帮我查下余额」), which the dialogue then serves
instead. A `deny` or an unsure `goodbye` that ends in a farewell (「不想说了 再见」, 「先这样吧 回头再说」) takes
leave: it is `goodbye`, sure enough that the fallback threshold after this guard keeps it.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.relabel import relabel
from bot.nlu.request_kind import RequestKind, asks_about_content, request_kind
from bot.nlu.stateless import StatelessComponent

DENY_INTENT = "deny"
GOODBYE_INTENT = "goodbye"
FAREWELL = re.compile(
    r"(再见|拜拜|拜了|回见|下次再聊|改天再?聊|回头再?(聊|联系)|下回再(聊|找你)|先?撤了|先走了|下线了|(?<![a-z])(?:good)?bye"
    r"|先这样|(回头|改天|以后|等会儿?|下次|过两天)再说)"
    r"[啦了吧哈啊呀~\s!！。]*$",
    re.IGNORECASE,
)
KEPT = frozenset({DENY_INTENT, "thank", "goodbye", "complain", "request_human"})
STOPS = re.compile(
    r"不(查|办|弄|验证|挂失|报案|报|问|找|用查|用办|需要)了|先不(查|办|弄|验证)|^(算了|不用了|罢了|不弄了|先这样)"
    r"|(回头|改天|以后|等会儿?|下次|过两天)再说"
)


def stops_the_task(text: str) -> bool:
    """Whether the message says the customer stops what they were doing, and asks nothing else."""
    clean = normalize(text)
    if STOPS.search(clean) is None or asks_about_content(clean):
        return False
    return request_kind(clean) not in (RequestKind.PERSONAL, RequestKind.MIXED)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TaskExitGuard(StatelessComponent):
    """Makes messages that stop the current task `deny`, and a `deny` that says goodbye `goodbye`."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label the stop phrases the classifier took for something else, and farewells read as `deny`."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/"):
                continue
            if intent.get("name") not in KEPT and stops_the_task(text):
                relabel(message, DENY_INTENT, 1.0)
            intent = message.get(INTENT) or {}
            if intent.get("name") in (DENY_INTENT, GOODBYE_INTENT) and FAREWELL.search(normalize(text)):
                relabel(message, GOODBYE_INTENT, 1.0)
        return messages
