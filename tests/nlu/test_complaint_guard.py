"""Complaints are kept for clear dissatisfaction; questions with negative words stay questions."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.complaint_guard import ComplaintGuard


def classified_as_complaint(text: str) -> Message:
    ranking = [{"name": "complain", "confidence": 0.9}, {"name": "faq", "confidence": 0.07},
               {"name": "greet", "confidence": 0.03}]
    return Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})


@pytest.mark.parametrize("text", ["APP登不进去咋办", "理财会不会亏", "网点没搜着怎么回事", "转账没到账怎么办？",
                                  "国外客户要给我打款 我这边得提供些啥", "你都能帮我干点啥",
                                  "想升VIP 得在你们这存多少"])
def test_neutral_questions_become_the_next_intent(text: str) -> None:
    message = classified_as_complaint(text)
    ComplaintGuard().process([message])
    assert message.get(INTENT)["name"] == "faq"
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "greet"]


@pytest.mark.parametrize(
    "text",
    ["你们服务太差了", "我要投诉", "凭什么扣我年费", "什么破银行", "等了半天都没人理怎么回事", "你们的APP太难用了"],
)
def test_clear_dissatisfaction_stays_a_complaint(text: str) -> None:
    message = classified_as_complaint(text)
    ComplaintGuard().process([message])
    assert message.get(INTENT)["name"] == "complain"


def test_other_intents_are_untouched() -> None:
    message = Message({TEXT: "登不进去咋办", INTENT: {"name": "faq", "confidence": 0.8}, INTENT_RANKING_KEY: []})
    ComplaintGuard().process([message])
    assert message.get(INTENT)["name"] == "faq"


@pytest.mark.parametrize(
    "text",
    ["办卡跑了三趟都没办下来 我要投诉", "太不像话了 你们怎么管的", "这机器人答的什么玩意", "天天打电话推销 烦不烦啊",
     "乱扣钱还好意思说是为我好", "你们柜台到底怎么做事的", "说实话我现在真生气", "你们这服务也太不行了"],
)
def test_explicit_complaints_become_complaints(text: str) -> None:
    ranking = [{"name": "faq", "confidence": 0.6}, {"name": "complain", "confidence": 0.3}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    ComplaintGuard().process([message])
    assert message.get(INTENT) == {"name": "complain", "confidence": 1.0}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["complain", "faq"]


def test_an_explicit_complaint_the_classifier_was_unsure_of_is_made_sure() -> None:
    ranking = [{"name": "complain", "confidence": 0.4}, {"name": "faq", "confidence": 0.35}]
    message = Message({TEXT: "太不像话了 不声不响就扣我年费", INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    ComplaintGuard().process([message])
    assert message.get(INTENT) == {"name": "complain", "confidence": 1.0}


def test_asking_how_to_complain_is_no_complaint() -> None:
    intent = {"name": "faq", "confidence": 0.9}
    message = Message({TEXT: "我要投诉 投诉电话是多少", INTENT: intent, INTENT_RANKING_KEY: []})
    ComplaintGuard().process([message])
    assert message.get(INTENT)["name"] == "faq"
