"""Weather, lotteries, taxis, deliveries and bookings with no word of banking are out of scope."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.off_topic_guard import OffTopicGuard


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.97}, {"name": "out_of_scope", "confidence": 0.02},
               {"name": "complain", "confidence": 0.01}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    OffTopicGuard().process([message])
    return message


@pytest.mark.parametrize(
    ("intent", "text"),
    [("faq", "下期双色球开什么号"), ("faq", "昨天在滴滴上打车司机绕路多收了我三十块，这个钱怎么退回来"),
     ("inform", "今天北京天气咋样"), ("nlu_fallback", "明天上海会下雨不"), ("faq", "那帮我查下顺丰快递到哪了"),
     ("check_transactions", "帮我订一张周五去上海的机票"), ("faq", "今天天氣怎麼樣")],
)
def test_daily_life_topics_are_out_of_scope(intent: str, text: str) -> None:
    message = classified_as(intent, text)
    assert message.get(INTENT) == {"name": "out_of_scope", "confidence": 1.0}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["out_of_scope", "complain"]


@pytest.mark.parametrize(
    ("intent", "text"),
    [("faq", "信用卡买机票有优惠吗"), ("faq", "下雨天车被淹了保险赔吗"), ("faq", "航班延误险怎么赔"),
     ("faq", "新卡寄出来的快递到哪了"), ("check_transactions", "滴滴多扣了我卡里的钱"),
     ("faq", "积分能换机票吗"), ("faq", "转账多久到账"), ("faq", "/faq")],
)
def test_banking_questions_keep_their_intent(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent
