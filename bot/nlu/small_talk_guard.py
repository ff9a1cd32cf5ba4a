"""Rasa component that keeps greetings, yes, no, thanks, goodbye and logging out for what they are.

Short follow-ups resemble small talk to the classifier: 「在哪约」 reads like 「在吗」, 「去哪办」 like
「好的」, 「要他们本人签字同意吗」 like 「同意」, 「超了咋办」 like 「不用了」 and 「重疾险是不是赔一回就结束了」 like
「结束登录」. None of those intents asks about a product, so a message classified as one of them that asks a
content question (哪, 怎么, 多少, 是不是, 管不管…), or a yes or no that asks a longer question
(「现在再去补充说明还来得及不」), goes to the knowledge base as `faq` — except a presence check (「有人在吗」)
and a logout that names the login (「怎么退出登录」).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.text import normalize
from bot.nlu.rejection import is_bare_rejection
from bot.nlu.relabel import relabel
from bot.nlu.request_kind import asks_about_content
from bot.nlu.stateless import StatelessComponent

FAQ_INTENT = "faq"
SMALL_TALK = frozenset({"greet", "affirm", "deny", "thank", "goodbye", "logout"})
QUESTION_TAIL = re.compile(r"(?:[吗嘛么]|(?<=[\u4e00-\u9fff]{2})[不没])[\s?？!！。~]*$|[?？]")
"""A question's ending: 吗, 「来得及不」, a question mark."""
YES_NO = frozenset({"affirm", "deny"})
MIN_QUESTION_CHARS = 6
"""Below this, a question ending is small talk's own (「可以吗」, 「是吗？」, 「不行吗」, 「好了没」)."""
PRESENCE = re.compile(r"在吗|在不在|有人|有没有人|在线|人呢")
LOGIN = re.compile(r"退出|登出|登录|登陆|注销|下线|账号|账户|帐户|验证|logout", re.IGNORECASE)


def is_content_question(intent: str, text: str) -> bool:
    """Whether a message classified as the small-talk `intent` asks a question the knowledge base answers."""
    clean = normalize(text)
    if intent == "deny" and is_bare_rejection(clean):
        return False
    longer_question = (
        intent in YES_NO and len(clean) >= MIN_QUESTION_CHARS and QUESTION_TAIL.search(clean) is not None
    )
    if not (asks_about_content(clean) or longer_question):
        return False
    if intent == "greet":
        return PRESENCE.search(clean) is None
    if intent == "logout":
        return LOGIN.search(clean) is None
    return True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SmallTalkGuard(StatelessComponent):
    """Replaces a small-talk intent by `faq` when the message asks a content question."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Send the questions taken for small talk to the knowledge base."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            name = intent.get("name")
            if name not in SMALL_TALK or text.startswith("/") or not is_content_question(name, text):
                continue
            relabel(message, FAQ_INTENT, intent.get("confidence", 0.0))
        return messages
