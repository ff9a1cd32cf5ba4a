"""A message that stops the current task is `deny`, unless it also asks something."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.task_exit import TaskExitGuard


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.9}, {"name": "deny", "confidence": 0.06},
               {"name": "inform", "confidence": 0.04}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    TaskExitGuard().process([message])
    return message


@pytest.mark.parametrize(
    ("intent", "text"),
    [("find_branch", "那我先去网点改 不查了"), ("faq", "算了 我自己去APP看"), ("out_of_scope", "先不验证了"),
     ("check_balance", "余额不查了")],
)
def test_stopping_the_task_is_deny(intent: str, text: str) -> None:
    message = classified_as(intent, text)
    assert message.get(INTENT) == {"name": "deny", "confidence": 1.0}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["deny", "inform"]


@pytest.mark.parametrize(
    ("intent", "text"),
    [("faq", "算了 那转账限额是多少"), ("check_balance", "算了 帮我查下余额"), ("faq", "这张卡我不用了怎么销户"),
     ("thank", "谢谢啊 先不查了"), ("faq", "密码忘了怎么办"), ("check_balance", "回头再说吧 先帮我查下余额")],
)
def test_questions_requests_and_thanks_keep_their_intent(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent


@pytest.mark.parametrize(
    ("intent", "text"),
    [("deny", "不想说了 再见"), ("deny", "不用了 拜拜"), ("deny", "算了 bye"), ("deny", "不了 goodbye"),
     ("deny", "不弄了 先撤了"), ("deny", "那就改天再聊"), ("deny", "行吧 回头联系"),
     ("faq", "算了 再见"), ("deny", "先這樣吧 回頭再說"), ("faq", "等会再说"), ("check_policy", "先这样吧")],
)
def test_a_no_that_takes_leave_is_goodbye(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == "goodbye"


def test_an_unsure_goodbye_that_takes_leave_is_made_sure() -> None:
    """The guard runs before the fallback threshold: a `goodbye` at 0.48 would become `nlu_fallback`."""
    message = Message({TEXT: "不想说了 再见", INTENT: {"name": "goodbye", "confidence": 0.48},
                       INTENT_RANKING_KEY: [{"name": "goodbye", "confidence": 0.48}]})
    TaskExitGuard().process([message])
    assert message.get(INTENT) == {"name": "goodbye", "confidence": 1.0}


@pytest.mark.parametrize("text", ["不对", "不用了", "再见不是这个意思"])
def test_a_no_without_a_farewell_stays_deny(text: str) -> None:
    assert classified_as("deny", text).get(INTENT)["name"] == "deny"
