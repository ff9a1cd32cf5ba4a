"""A question naming a product or service of the bank is sent to the knowledge base, whatever the classifier said."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.in_domain_guard import InDomainGuard, domain_words


@pytest.fixture(scope="module")
def guard() -> InDomainGuard:
    return InDomainGuard(domain_words())


def classified_as(guard: InDomainGuard, intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.93}, {"name": "faq", "confidence": 0.04},
               {"name": "greet", "confidence": 0.03}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    guard.process([message])
    return message


@pytest.mark.parametrize(
    "text",
    ["我奶奶耳朵背 打电话银行不方便 掌上银行有没有适合老人的模式", "xyk的帐单能不能寄纸质的到家里",
     "出国玩想顺便在国外ATM取点钱 手续费高不高", "孩子上大学了 给他办张借记卡需要他本人去吗"],
)
def test_questions_naming_the_bank_s_products_go_to_the_knowledge_base(guard: InDomainGuard, text: str) -> None:
    message = classified_as(guard, "out_of_scope", text)
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.93}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "greet"]


@pytest.mark.parametrize(
    ("intent", "text"),
    [("out_of_scope", "wifi密码忘了怎么办"), ("out_of_scope", "晚上吃什么好"), ("out_of_scope", "怎么咋学好英语"),
     ("out_of_scope", "信用卡"), ("faq", "附近有什么好玩的"), ("out_of_scope", "/faq")],
)
def test_everyday_questions_and_statements_stay_what_they_were(guard: InDomainGuard, intent: str, text: str) -> None:
    assert classified_as(guard, intent, text).get(INTENT)["name"] == intent
