"""`request_human` names a person; an explicit request for one anywhere in a message is a handoff."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.handoff_guard import HandoffGuard


def classified_as(intent: str, text: str, confidence: float = 0.74) -> Message:
    others = [name for name in ("request_human", "faq", "report_card_loss") if name != intent]
    ranking = [{"name": intent, "confidence": confidence},
               *({"name": name, "confidence": (1 - confidence) / 2} for name in others)]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    HandoffGuard().process([message])
    return message


def test_a_message_that_names_no_person_is_no_handoff() -> None:
    message = classified_as("request_human", "他让我把保费转他个人卡上")
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.74}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "report_card_loss"]


@pytest.mark.parametrize(
    "text", ["转人工", "我想找你们业务员", "别自动回复了给我找个人", "叫你们客服人员来", "有没有人工"]
)
def test_requests_that_name_a_person_stay_handoffs(text: str) -> None:
    assert classified_as("request_human", text).get(INTENT)["name"] == "request_human"


@pytest.mark.parametrize(
    "text",
    ["你好，我的问题比较复杂，涉及到我父亲去世后他名下的保险理赔和银行存款继承的事情，好几个部门来回跑都说不清楚，"
     "我想直接跟你们人工客服沟通一下，麻烦转人工。", "这个问题说不清 帮我转接人工吧", "我要和真人聊"],
)
def test_an_explicit_request_for_a_person_is_a_handoff_whatever_the_classifier_thought(text: str) -> None:
    message = classified_as("nlu_fallback", text, confidence=0.55)
    assert message.get(INTENT) == {"name": "request_human", "confidence": 1.0}


def test_an_unsure_handoff_that_asks_for_a_person_is_made_sure() -> None:
    """The guard runs before the fallback threshold: an unsure `request_human` would become `nlu_fallback`."""
    message = classified_as("request_human", "好几个部门来回跑都说不清楚，我想直接跟你们人工客服沟通一下，麻烦转人工。",
                            confidence=0.33)
    assert message.get(INTENT) == {"name": "request_human", "confidence": 1.0}


@pytest.mark.parametrize(("intent", "text"), [("complain", "态度太差了 我要投诉 转人工"), ("faq", "人工客服几点下班")])
def test_complaints_and_questions_about_the_service_keep_their_intent(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent


@pytest.mark.parametrize("intent", ["request_human", "faq", "report_card_loss"])
@pytest.mark.parametrize("text", ["在么在么", "有人在吗？？", "您好 在不在", "在吗在吗"])
def test_checking_that_someone_is_there_is_a_greeting_whatever_the_classifier_thought(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT) == {"name": "greet", "confidence": 1.0}
