"""Rasa component that sends a question the classifier took for `out_of_scope` to the knowledge base when it
names a product or service of the bank.

The classifier learns off-topic chat from a few dozen examples, so a long or unusual question such as 「我爸70了
眼神不好，用手机银行老是看不清字，有没有字大一点的版本」 or 「yhk補辦之後卡號會變嗎」 can read as off-topic. A message
that asks something (`bot.nlu.request_kind`: general or mixed) and names a term of the knowledge base
(`terms.txt`, or a variant of one in `synonyms.yml`) is `faq`: the knowledge base answers it or says politely
that it has no answer. Weather, lotteries and the like stay off-topic (`bot.nlu.off_topic_guard` runs after this).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.core.text import normalize
from bot.kb.loader import load_synonyms, load_terms
from bot.nlu.relabel import relabel
from bot.nlu.request_kind import RequestKind, request_kind

OUT_OF_SCOPE_INTENT = "out_of_scope"
FAQ_INTENT = "faq"
MIN_TERM_CHARS = 2


def domain_words() -> list[str]:
    """The knowledge base's terms and the variants of those among them that `synonyms.yml` lists (xyk, yhk,
    掌上银行…), longest first; synonyms of everyday words (咋 → 怎么) are not the bank's."""
    terms = set(load_terms(KNOWLEDGE_BASE_DIR / "terms.txt"))
    synonyms = load_synonyms(KNOWLEDGE_BASE_DIR / "synonyms.yml")
    words = terms | {variant for variant, canonical in synonyms.items() if canonical in terms}
    return sorted((word for word in words if len(word) >= MIN_TERM_CHARS), key=len, reverse=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InDomainGuard(GraphComponent):
    """Replaces `out_of_scope` by `faq` for a question that names a term of the knowledge base."""

    def __init__(self, words: list[str]) -> None:
        self.pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """Read the terms and synonyms from the knowledge base folder."""
        return cls(domain_words())

    def names_the_domain(self, text: str) -> bool:
        """Whether the (normalised) text names a term of the knowledge base."""
        return self.pattern is not None and self.pattern.search(normalize(text)) is not None

    def process(self, messages: list[Message]) -> list[Message]:
        """Re-label in-domain questions taken for off-topic chat."""
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if intent.get("name") != OUT_OF_SCOPE_INTENT or text.startswith("/"):
                continue
            if request_kind(text) in (RequestKind.GENERAL, RequestKind.MIXED) and self.names_the_domain(text):
                relabel(message, FAQ_INTENT, intent.get("confidence", 0.0))
        return messages
