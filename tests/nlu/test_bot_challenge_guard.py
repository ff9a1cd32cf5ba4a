"""`bot_challenge` is kept for messages that address the assistant; product questions become the next intent."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.bot_challenge_guard import BotChallengeGuard


def classified_as_bot_challenge(text: str) -> Message:
    ranking = [{"name": "bot_challenge", "confidence": 0.8}, {"name": "faq", "confidence": 0.15},
               {"name": "greet", "confidence": 0.05}]
    return Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})


@pytest.mark.parametrize("text", ["NCD是个啥 跟出险有关系吗", "LPR是啥意思", "这个是什么东西"])
def test_questions_that_address_no_assistant_become_the_next_intent(text: str) -> None:
    message = classified_as_bot_challenge(text)
    BotChallengeGuard().process([message])
    assert message.get(INTENT)["name"] == "faq"
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "greet"]


@pytest.mark.parametrize("text", ["你是机器人吗", "是真人在回复吗", "對面是人嗎", "are you a robot", "这是AI在回答吗"])
def test_questions_to_the_assistant_stay_bot_challenges(text: str) -> None:
    message = classified_as_bot_challenge(text)
    BotChallengeGuard().process([message])
    assert message.get(INTENT)["name"] == "bot_challenge"


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.6}, {"name": "bot_challenge", "confidence": 0.3}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    BotChallengeGuard().process([message])
    return message


@pytest.mark.parametrize(
    ("intent", "text"),
    [("greet", "您好，請問你們是真人客服嗎"), ("faq", "你是不是机器人啊"), ("greet", "在吗 真人还是机器")],
)
def test_asking_what_the_assistant_is_is_a_bot_challenge(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == "bot_challenge"


@pytest.mark.parametrize(
    ("intent", "text"),
    [("greet", "你好"), ("faq", "贷款是人工审核吗"), ("faq", "这是真人民币吗"), ("faq", "是AIA保险吗"),
     ("faq", "是人工智能投顾吗")],
)
def test_other_messages_keep_their_intent(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent
