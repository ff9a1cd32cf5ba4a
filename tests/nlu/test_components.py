"""The custom Rasa NLU components, run on real Rasa messages."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.normalizer import ChineseTextNormalizer
from bot.nlu.spacy_entities import SpacyRuleEntityExtractor
from bot.nlu.unreadable_input import UnreadableInputClassifier


@pytest.fixture(scope="module")
def extractor() -> SpacyRuleEntityExtractor:
    return SpacyRuleEntityExtractor()


def entities_of(extractor: SpacyRuleEntityExtractor, text: str) -> dict[str, str]:
    message = Message({TEXT: text})
    extractor.process([message])
    return {entity["entity"]: entity["value"] for entity in message.get(ENTITIES)}


def test_normalizer_rewrites_message_text() -> None:
    message = Message({TEXT: "我的信用卡丟了！！！😀"})
    ChineseTextNormalizer().process([message])
    assert message.get(TEXT) == "我的信用卡丢了!"


def test_normalizer_neutralises_typed_intent_payloads() -> None:
    restart, button = Message({TEXT: "/restart"}), Message({TEXT: "/affirm"})
    ChineseTextNormalizer().process([restart, button])
    assert restart.get(TEXT) == "restart"
    assert button.get(TEXT) == "/affirm"


def test_normalizer_keeps_entity_offsets_of_training_examples() -> None:
    annotated = Message(
        {TEXT: "尾號1234的卡", ENTITIES: [{"entity": "card_tail", "start": 2, "end": 6, "value": "1234"}]}
    )
    shifted = Message({TEXT: "尾号１２３４的卡！！", ENTITIES: [{"entity": "card_tail", "start": 2, "end": 6}]})
    ChineseTextNormalizer().process_training_data(TrainingData([annotated, shifted]))
    assert annotated.get(TEXT) == "尾号1234的卡"
    assert shifted.get(TEXT) == "尾号１２３４的卡！！"


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("我的保单P2024000123怎么样", "policy_number", "P2024000123"),
        ("理赔c2024000456到哪了", "claim_number", "C2024000456"),
        ("手机号13812345678", "phone", "13812345678"),
        ("尾号1234的卡余额", "card_tail", "1234"),
        ("转500块给我妈", "amount", "500块"),
        ("转两千块", "amount", "两千块"),
        ("3月5号到10号的交易", "date", "3月5号到10号"),
        ("3月5日至3月10日", "date", "3月5日至3月10日"),
        ("最近一周的交易", "date", "最近一周"),
        ("上个月花了多少", "date", "上个月"),
        ("上上周的交易记录", "date", "上上周"),
        ("今年上半年的流水", "date", "今年上半年"),
        ("1357", "card_tail", "1357"),
        ("两千五", "amount", "两千五"),
    ],
)
def test_rule_entities(extractor: SpacyRuleEntityExtractor, text: str, entity: str, value: str) -> None:
    assert entities_of(extractor, text).get(entity) == value


def test_card_tail_span_covers_only_the_digits(extractor: SpacyRuleEntityExtractor) -> None:
    (entity,) = extractor.extract("尾号6789")
    assert "尾号6789"[entity["start"]:entity["end"]] == "6789"


def test_rule_entities_replace_overlapping_statistical_ones(extractor: SpacyRuleEntityExtractor) -> None:
    message = Message(
        {TEXT: "上个月的交易", ENTITIES: [{"entity": "amount", "start": 0, "end": 2, "value": "上个"}]}
    )
    extractor.process([message])
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("date", "上个月")]


def test_no_entities_in_plain_text(extractor: SpacyRuleEntityExtractor) -> None:
    assert extractor.extract("你好") == []
    assert extractor.extract("") == []
    assert extractor.extract("最近的取款机在哪") == []


@pytest.mark.parametrize(
    ("text", "zeroed"),
    [("😀", True), ("", True), ("啊啊啊啊啊啊啊", True), ("你好", False), ("asdfghjkl", True), ("qwer tyui", True),
     ("ａｓｄｆｇｈ", True), ("hello", False), ("swift code", False), ("ATM", False), ("ok ok ok", False),
     ("trees", False), ("redeem", False)],
)
def test_unreadable_input_loses_its_intent_confidence(text: str, zeroed: bool) -> None:
    message = Message({TEXT: text, INTENT: {"name": "greet", "confidence": 0.97}})
    UnreadableInputClassifier().process([message])
    assert (message.get(INTENT)["confidence"] == 0.0) is zeroed
