"""A message made mostly of digits is an answer (`inform`), never a goodbye or thanks (「88」 reads as 拜拜)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.number_answer_guard import NumberAnswerGuard


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.9}, {"name": "check_balance", "confidence": 0.06},
               {"name": "inform", "confidence": 0.03}, {"name": "thank", "confidence": 0.01}]
    return Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})


@pytest.mark.parametrize(
    "text", ["150 1234 8888", "135-6666-7777", "13888888888", "８８８８ ６６６６", "验证码 888888", "12", "905"]
)
@pytest.mark.parametrize("intent", ["goodbye", "thank", "greet"])
def test_numbers_taken_for_small_talk_become_inform(intent: str, text: str) -> None:
    message = classified_as(intent, text)
    NumberAnswerGuard().process([message])
    assert message.get(INTENT) == {"name": "inform", "confidence": 0.9}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["inform", "check_balance"]


@pytest.mark.parametrize("text", ["88", "886", "拜拜 88", "谢谢啦 3Q", "好的 再见 88 下次聊", "/goodbye", "1"])
def test_real_goodbyes_stay(text: str) -> None:
    message = classified_as("goodbye", text)
    NumberAnswerGuard().process([message])
    assert message.get(INTENT)["name"] == "goodbye"


def test_a_skill_with_a_number_in_it_is_kept() -> None:
    message = classified_as("check_balance", "13812345678查余额")
    NumberAnswerGuard().process([message])
    assert message.get(INTENT)["name"] == "check_balance"


def test_a_number_left_to_the_fallback_is_inform() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.55}, {"name": "inform", "confidence": 0.49},
               {"name": "logout", "confidence": 0.01}]
    message = Message({TEXT: "1234", INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    NumberAnswerGuard().process([message])
    assert message.get(INTENT) == {"name": "inform", "confidence": 0.49}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["inform", "logout"]
