"""Greetings, yes, no, thanks, goodbye and logout that ask about a product go to the knowledge base."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.small_talk_guard import SmallTalkGuard


def classified_as(intent: str, text: str) -> Message:
    ranking = [{"name": intent, "confidence": 0.65}, {"name": "faq", "confidence": 0.2},
               {"name": "find_branch", "confidence": 0.15}]
    message = Message({TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    SmallTalkGuard().process([message])
    return message


@pytest.mark.parametrize(
    ("intent", "text"),
    [("greet", "在哪约"), ("affirm", "去哪办"), ("logout", "重疾險是不是賠一回就結束了"),
     ("thank", "谢谢 那转账限额是多少"), ("goodbye", "办一个要多久"), ("greet", "你好 信用卡管不管境外消费"),
     ("affirm", "要他们本人签字同意吗"), ("deny", "现在再去补充说明还来得及不"), ("deny", "超了咋办")],
)
def test_content_questions_taken_for_small_talk_become_faq(intent: str, text: str) -> None:
    message = classified_as(intent, text)
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.65}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "find_branch"]


@pytest.mark.parametrize(
    ("intent", "text"),
    [("greet", "有人在吗"), ("greet", "您好请问在吗"), ("affirm", "好的"), ("thank", "谢谢啊"), ("goodbye", "88"),
     ("logout", "怎么退出登录"), ("logout", "退出"), ("greet", "/greet"), ("deny", "不是这个意思"),
     ("deny", "不用了 谢谢"), ("affirm", "可以吗"), ("deny", "不行吗"), ("thank", "谢谢 你们真好呢"),
     ("deny", "还是不对啊"), ("deny", "不对不对"), ("deny", "是不是搞错了 不是这个")],
)
def test_small_talk_stays_small_talk(intent: str, text: str) -> None:
    assert classified_as(intent, text).get(INTENT)["name"] == intent
