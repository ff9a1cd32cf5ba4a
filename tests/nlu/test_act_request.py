"""An explicit request to report a claim or a lost card now is the skill; a question about it stays a question;
a claim report that asks where the claim stands is the status check."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.act_request import ActRequestRouter


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.96}, {"name": "file_claim", "confidence": 0.03},
               {"name": "report_card_loss", "confidence": 0.01}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    ActRequestRouter().process([message])
    return message


@pytest.mark.parametrize(
    ("intent", "text", "skill"),
    [("faq", "老人在家摔骨折了 之前买了意外险 我要报案", "file_claim"),
     ("faq", "車被人追尾了 想申請理賠", "file_claim"),
     ("nlu_fallback", "昨晚暴雨车库进水 车泡了 麻烦帮我报个案", "file_claim"),
     ("faq", "钱包连卡一起丢在出租车上了 我要马上挂失", "report_card_loss")],
)
def test_requests_to_have_it_done_are_the_skill(intent: str, text: str, skill: str) -> None:
    message = classified_as(intent, text)
    assert message.get(INTENT) == {"name": skill, "confidence": 0.9}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == skill


@pytest.mark.parametrize(
    ("intent", "text"),
    [("faq", "想报案的话要准备哪些东西"), ("faq", "我要申请理赔 一般多久能赔下来"), ("faq", "车险想报案怎么报"),
     ("faq", "信用卡丢了要挂失吗"), ("faq", "理赔一般怎么弄"), ("greet", "我要报案"), ("faq", "/file_claim")],
)
def test_questions_about_it_and_other_intents_stay(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent


@pytest.mark.parametrize("text", ["查一下我家孩子的門診理賠 賠了沒", "车险理赔批了吗", "上次报的案子到哪一步了"])
def test_a_claim_report_that_asks_where_the_claim_stands_is_the_status_check(text: str) -> None:
    assert classified_as("file_claim", text).get(INTENT) == {"name": "check_claim_status", "confidence": 0.9}


@pytest.mark.parametrize("text", ["我要报案 孩子骨折了", "我想报案 上次那个赔了没", "车撞了 快帮我报个案"])
def test_a_claim_report_stays_one(text: str) -> None:
    assert classified_as("file_claim", text).get(INTENT)["name"] == "file_claim"
