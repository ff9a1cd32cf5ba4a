"""High-risk topics are recognised from the shipped topic list, but questions about prevention are not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.high_risk import HighRiskTopicDetector, RiskRules


@pytest.fixture(scope="module")
def rules() -> RiskRules:
    return RiskRules.load()


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我的信用卡被盗刷了三千块", "盗刷"),
        ("刚才接到电话说是公安局的，我被骗了", "诈骗"),
        ("为什么我的账户被冻结了，我要申诉", "账户冻结争议"),
        ("你们凭什么拒赔，我要投诉理赔", "理赔投诉"),
    ],
)
def test_incidents_are_high_risk(rules: RiskRules, text: str, topic: str) -> None:
    found = rules.match(text)
    assert found is not None and found[0] == topic
    assert text[found[1]:found[2]] in rules.topics[topic]


@pytest.mark.parametrize(
    "text", ["怎么防止信用卡被盗刷", "如何识别电信诈骗", "信用卡怎么还款", "我要冻结银行卡", "如果理赔被拒了还能申诉吗"]
)
def test_prevention_and_ordinary_questions_are_not(rules: RiskRules, text: str) -> None:
    assert rules.match(text) is None


def test_detector_overrides_the_intent_and_marks_the_topic(rules: RiskRules) -> None:
    message = Message(data={"text": "我的卡被盗刷了", "intent": {"name": "report_card_loss", "confidence": 0.9},
                            "intent_ranking": [{"name": "report_card_loss", "confidence": 0.9}], "entities": []})
    ordinary = Message(data={"text": "信用卡怎么还款", "intent": {"name": "faq", "confidence": 0.8}, "entities": []})
    button = Message(data={"text": '/faq{"faq_id":"被盗刷"}', "intent": {"name": "faq", "confidence": 1.0}})
    HighRiskTopicDetector(rules).process([message, ordinary, button])
    assert message.get("intent") == {"name": "complain", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "complain"
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("risk_topic", "盗刷")]
    assert ordinary.get("intent")["name"] == "faq"
    assert button.get("intent")["name"] == "faq"


def test_a_high_risk_complaint_stays_a_complaint_with_the_topic(rules: RiskRules) -> None:
    message = Message(data={"text": "你们凭什么拒赔 我要投诉", "intent": {"name": "complain", "confidence": 0.6},
                            "intent_ranking": [{"name": "complain", "confidence": 0.6},
                                               {"name": "request_human", "confidence": 0.3}], "entities": []})
    HighRiskTopicDetector(rules).process([message])
    assert message.get("intent") == {"name": "complain", "confidence": 1.0}
    assert [item["confidence"] for item in message.get("intent_ranking")] == [1.0, 0.0]
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("risk_topic", "理赔投诉")]


def test_a_high_risk_request_for_a_person_stays_one(rules: RiskRules) -> None:
    message = Message(data={"text": "我被骗了 快转人工", "intent": {"name": "request_human", "confidence": 0.9},
                            "intent_ranking": [{"name": "request_human", "confidence": 0.9}], "entities": []})
    HighRiskTopicDetector(rules).process([message])
    assert message.get("intent") == {"name": "request_human", "confidence": 1.0}
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("risk_topic", "诈骗")]
