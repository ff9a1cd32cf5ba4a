"""End-to-end conversations over the REST channel against the real model and action server."""

from __future__ import annotations

import pytest

from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts
from tests.support.chat import said, tracker_of


def last_intent(servers: ServerPorts, token: str, sender: str) -> str | None:
    """The intent Rasa recorded for the customer's latest message."""
    tracker = tracker_of(servers, token, sender)
    return tracker["latest_message"]["intent"].get("name")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("帮我查下账户余额", "验证身份"),
        ("信用卡丢了怎么办", "挂失"),
        ("附近有没有营业网点", "哪个城市"),
        ("理赔进度怎么查", "理赔"),
        ("信用卡还款日能改吗", "还款日"),
        ("车险出险了怎么报案", "报案"),
        ("境外取现手续费多少", "取现"),
        ("今天天气怎么样", "超出了我的服务范围"),
    ],
)
def test_customer_questions_get_on_topic_replies(chat: ChatSession, text: str, expected: str) -> None:
    assert expected in said(chat.send(text))


def test_faq_reply_carries_entry_id_and_confidence(
    chat: ChatSession, servers: ServerPorts, api_token: str
) -> None:
    chat.send("信用卡还款日能改吗")
    bot_events = [e for e in tracker_of(servers, api_token, chat.sender)["events"] if e["event"] == "bot"]
    metadata = bot_events[-1]["metadata"]
    assert metadata["faq_outcome"] == "answer"
    assert metadata["faq_id"].startswith("credit_card-")
    assert 0.0 < metadata["faq_confidence"] <= 1.0


def test_branch_search_asks_for_the_city_then_lists_its_branches(chat: ChatSession) -> None:
    assert "哪个城市" in said(chat.send("我想找个网点办业务"))
    reply = said(chat.send("上海浦东"))
    first_branch = reply.split("2.")[0]
    assert "浦东新区" in first_branch
    assert "营业时间" in reply


def test_branch_search_in_a_city_without_branches_names_the_nearest_or_other_ways(chat: ChatSession) -> None:
    chat.send("附近有没有营业网点")
    reply = said(chat.send("拉萨"))
    assert "拉萨暂无本行网点" in reply and "手机银行" in reply and "哪个城市" not in reply
    assert "德阳暂无本行网点，离您最近的是成都的网点" in said(chat.send("德阳有网点吗"))


def test_branch_search_with_an_answer_that_is_no_place_re_asks(chat: ChatSession) -> None:
    chat.send("附近有没有营业网点")
    assert "哪个城市" in said(chat.send("随便哪里都行"))


def test_branch_search_with_city_in_the_first_message(chat: ChatSession) -> None:
    reply = said(chat.send("北京朝阳区有你们的网点吗"))
    assert "北京" in reply and "地址" in reply


def test_a_place_on_its_own_is_a_branch_search(chat: ChatSession) -> None:
    assert "请问您需要办理什么业务" in said(chat.send("尾号1234"))
    reply = said(chat.send("深圳南山"))
    assert "为您找到深圳南山区附近的营业网点" in reply
    assert "地址" in said(chat.send("那上海呢"))
    assert "拉萨暂无本行网点" in said(chat.send("拉萨"))


def test_a_district_after_a_branch_list_narrows_it(chat: ChatSession) -> None:
    chat.send("上海的网点")
    reply = said(chat.send("浦东新区有吗"))
    assert "浦东新区" in reply.split("2.")[0]


def test_clarification_button_payload_answers_the_chosen_entry(
    chat: ChatSession, servers: ServerPorts, api_token: str
) -> None:
    messages = chat.send('/faq{"faq_id": "credit_card-006"}')
    bot_events = [e for e in tracker_of(servers, api_token, chat.sender)["events"] if e["event"] == "bot"]
    assert bot_events[-1]["metadata"]["faq_id"] == "credit_card-006"
    assert said(messages)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "/", "我" * 5000, "<script>alert('x')</script>", "my card lost 怎么办"],
)
def test_bad_input_gets_a_polite_reply(chat: ChatSession, text: str) -> None:
    reply = said(chat.send(text))
    assert reply.strip()


def test_empty_message_asks_what_the_customer_needs(chat: ChatSession) -> None:
    assert "还没有输入问题" in said(chat.send("   "))


def test_typed_restart_payload_does_not_restart_the_conversation(
    chat: ChatSession, servers: ServerPorts, api_token: str
) -> None:
    chat.send("你好")
    reply = said(chat.send("/restart"))
    events = tracker_of(servers, api_token, chat.sender)["events"]
    assert reply.strip()
    assert not any(e["event"] == "restart" for e in events)
    assert last_intent(servers, api_token, chat.sender) != "restart"


def test_traditional_characters_are_understood(chat: ChatSession) -> None:
    assert "还款日" in said(chat.send("信用卡還款日能改嗎？"))


def test_elliptical_followup_uses_the_previous_answer(
    chat: ChatSession, servers: ServerPorts, api_token: str
) -> None:
    chat.send("境外取现手续费多少")
    reply = said(chat.send("那信用卡呢"))
    assert "验证身份" not in reply
    bot_events = [e for e in tracker_of(servers, api_token, chat.sender)["events"] if e["event"] == "bot"]
    assert bot_events[-1]["metadata"]["faq_id"].startswith("credit_card-")
