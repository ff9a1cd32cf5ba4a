"""The WeChat channel against the live Rasa and action servers; the tests play WeChat's servers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from bot.channels.wechat.inbound import MENU_MESSAGES, ONLY_TEXT, WELCOME
from bot.channels.wechat.output import render_messages
from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts
from tests.support.servers import WeChatAccount
from tests.support.wechat_platform import (
    Delivery,
    FakeApiState,
    FakeWeChatApi,
    WeChatPlatform,
    new_msg_id,
    new_openid,
)

GREETING = "您好，我是智能客服小金"
VAGUE_QUESTIONS = ["卡的问题", "保险", "卡", "怎么办", "密码忘了"]


@pytest.fixture(scope="module")
def fake_api(wechat_account: WeChatAccount) -> Iterator[FakeApiState]:
    """WeChat's customer-service message API, where the Rasa server under test is pointed."""
    with FakeWeChatApi(wechat_account.api_port, wechat_account.app_id, wechat_account.app_secret) as state:
        yield state


@pytest.fixture(scope="module")
def warm_bot(servers: ServerPorts) -> None:
    """One greeting and one FAQ over REST first, so the passive-reply tests do not time a cold start."""
    for text in ("你好", "信用卡怎么还款"):
        ChatSession(servers.rasa_url, timeout=60).send(text)


@pytest.fixture
def platform(
    servers: ServerPorts, wechat_account: WeChatAccount, fake_api: FakeApiState, warm_bot: None
) -> WeChatPlatform:
    """WeChat's servers, delivering to the live channel."""
    return WeChatPlatform(servers.rasa_url, wechat_account)


def answer_of(reply: Delivery, fake_api: FakeApiState, openid: str, before: int = 0) -> str:
    """The bot's answer: the passive reply, or, when the turn missed the deadline (`success`), the API messages
    sent to `openid` after the first `before` ones."""
    if reply.content is not None:
        return reply.content
    assert reply.status == 200 and reply.body == "success"
    return "\n".join(fake_api.wait_for_texts(openid, before + 1)[before:])


def ask(platform: WeChatPlatform, fake_api: FakeApiState, openid: str, text: str) -> str:
    """Send a text as `openid` and return the bot's answer, however it was delivered."""
    before = len(fake_api.texts_to(openid))
    return answer_of(platform.text(openid, text), fake_api, openid, before)


def test_url_verification_echoes_only_when_signed_with_our_token(platform: WeChatPlatform) -> None:
    assert platform.verify("echo-123").text == "echo-123"
    forged = platform.verify("echo-123", token="not-our-token")
    assert forged.status_code == 403
    assert "echo-123" not in forged.text


def test_text_message_gets_the_bots_answer_as_one_passive_reply(platform: WeChatPlatform) -> None:
    openid = new_openid()
    reply = platform.text(openid, "你好")
    assert reply.status == 200
    assert reply.fields["MsgType"] == "text"
    assert reply.fields["ToUserName"] == openid
    assert reply.fields["FromUserName"] == platform.official_id
    assert GREETING in (reply.content or "")


def test_faq_question_is_answered(platform: WeChatPlatform, fake_api: FakeApiState, chat: ChatSession) -> None:
    answer = ask(platform, fake_api, new_openid(), "信用卡怎么还款")
    replies = chat.send("信用卡怎么还款")
    assert "还款" in answer
    assert answer == render_messages(replies).text  # the same turn, its buttons as numbered options
    assert any(message.get("buttons") for message in replies)  # related questions


def test_safe_mode_reply_is_encrypted_and_signed(platform: WeChatPlatform) -> None:
    openid = new_openid()
    reply = platform.deliver(
        {"FromUserName": openid, "MsgType": "text", "Content": "你好", "MsgId": new_msg_id()}, safe=True
    )
    assert reply.status == 200
    assert "<Encrypt>" in reply.body and GREETING not in reply.body
    assert reply.fields["ToUserName"] == openid
    assert GREETING in (reply.content or "")


def test_safe_mode_with_a_wrong_msg_signature_is_refused(platform: WeChatPlatform) -> None:
    query = platform.signed_query()
    encrypted = platform.crypto.encrypt_message("<xml><MsgType>text</MsgType></xml>", query["nonce"])
    response = requests.post(
        platform.url, params={**query, "encrypt_type": "aes", "msg_signature": "0" * 40},
        data=encrypted.encode(), timeout=30,
    )
    assert response.status_code == 403


def test_forged_signature_is_refused(platform: WeChatPlatform) -> None:
    openid = new_openid()
    fields = {"FromUserName": openid, "MsgType": "text", "Content": "你好", "MsgId": new_msg_id()}
    reply = platform.deliver(fields, token="not-our-token")
    assert reply.status == 403
    assert reply.content is None


@pytest.mark.parametrize("age", [-400, 400])
def test_stale_or_future_timestamp_is_refused(platform: WeChatPlatform, age: int) -> None:
    fields = {"FromUserName": new_openid(), "MsgType": "text", "Content": "你好", "MsgId": new_msg_id()}
    reply = platform.deliver(fields, timestamp=int(time.time()) - age)
    assert reply.status == 403
    assert reply.content is None


def test_malformed_body_gets_a_polite_400(platform: WeChatPlatform) -> None:
    response = requests.post(platform.url, params=platform.signed_query(), data="不是XML", timeout=30)
    assert response.status_code == 400
    assert "格式" in response.text


def test_repeated_delivery_is_answered_once(platform: WeChatPlatform, fake_api: FakeApiState) -> None:
    openid = new_openid()
    msg_id = new_msg_id()
    first = platform.text(openid, "信用卡怎么还款", msg_id=msg_id)
    retry = platform.text(openid, "信用卡怎么还款", msg_id=msg_id)
    assert retry.status == 200
    assert retry.body.strip() in ("", "success")
    assert "还款" in answer_of(first, fake_api, openid)
    time.sleep(1)
    assert len(fake_api.texts_to(openid)) == (0 if first.content else 1)


def test_subscribe_gets_a_welcome_and_unsubscribe_nothing(platform: WeChatPlatform) -> None:
    openid = new_openid()
    assert platform.event(openid, "subscribe").content == WELCOME
    time.sleep(1.1)  # a new CreateTime: events are deduplicated by sender and time
    left = platform.event(openid, "unsubscribe")
    assert left.status == 200
    assert left.body.strip() == "success"


def test_menu_click_is_answered_like_the_mapped_text(platform: WeChatPlatform, fake_api: FakeApiState) -> None:
    assert MENU_MESSAGES["KEFU_REPAYMENT"] == "信用卡怎么还款"
    openid = new_openid()
    clicked = answer_of(platform.event(openid, "CLICK", key="KEFU_REPAYMENT"), fake_api, openid)
    assert "还款" in clicked
    assert clicked == ask(platform, fake_api, new_openid(), "信用卡怎么还款")


def test_unknown_menu_key_gets_a_polite_reply(platform: WeChatPlatform) -> None:
    reply = platform.event(new_openid(), "CLICK", key="NO_SUCH_KEY")
    assert "菜单" in (reply.content or "")


def test_image_gets_a_polite_text_only_reply(platform: WeChatPlatform) -> None:
    fields = {"FromUserName": new_openid(), "MsgType": "image", "PicUrl": "http://127.0.0.1/x.jpg",
              "MediaId": "media-1", "MsgId": new_msg_id()}
    assert platform.deliver(fields).content == ONLY_TEXT


def test_voice_with_recognition_is_answered_as_text(platform: WeChatPlatform, fake_api: FakeApiState) -> None:
    openid = new_openid()
    fields = {"FromUserName": openid, "MsgType": "voice", "MediaId": "media-2", "Format": "amr",
              "Recognition": "信用卡怎么还款。", "MsgId": new_msg_id()}
    spoken = answer_of(platform.deliver(fields), fake_api, openid)
    assert "还款" in spoken
    assert spoken == ask(platform, fake_api, new_openid(), "信用卡怎么还款。")


def test_voice_without_recognition_gets_a_polite_reply(platform: WeChatPlatform) -> None:
    fields = {"FromUserName": new_openid(), "MsgType": "voice", "MediaId": "media-3", "Format": "amr",
              "MsgId": new_msg_id()}
    assert "文字" in (platform.deliver(fields).content or "")


def vague_question_with_options(rasa_url: str) -> tuple[str, list[dict]]:
    """A question the bot answers with FAQ options (a clarification, or an answer with its runner-ups), and
    those options (over REST, each question in a new conversation)."""
    for question in VAGUE_QUESTIONS:
        chat = ChatSession(rasa_url)
        messages = chat.send(question)
        if messages and any(button["payload"].startswith("/faq") for button in chat.buttons):
            return question, chat.buttons
    pytest.fail(f"none of {VAGUE_QUESTIONS} got FAQ options")


@pytest.mark.parametrize("choice", ["1", "１", "1."])
def test_a_number_picks_the_offered_option(
    platform: WeChatPlatform, fake_api: FakeApiState, servers: ServerPorts, choice: str
) -> None:
    question, buttons = vague_question_with_options(servers.rasa_url)
    openid = new_openid()
    offered = ask(platform, fake_api, openid, question)
    assert "回复数字选择：" in offered
    assert f"1. {buttons[0]['title']}" in offered
    chosen = ask(platform, fake_api, openid, choice)
    expected = ChatSession(servers.rasa_url).send(buttons[0]["payload"])
    assert chosen == "\n\n".join(message["text"] for message in expected if message.get("text"))


def test_agent_message_reaches_the_customer_through_the_api(
    platform: WeChatPlatform, servers: ServerPorts, api_token: str, fake_api: FakeApiState
) -> None:
    openid = new_openid()
    assert GREETING in ask(platform, fake_api, openid, "你好")
    sent_before = len(fake_api.texts_to(openid))
    response = requests.post(
        f"{servers.rasa_url}/conversations/{openid}/tracker/events",
        params={"execute_side_effects": "true", "output_channel": "latest", "token": api_token},
        json=[{"event": "bot", "text": "您好，我是人工客服小王，请问有什么可以帮您？"}],
        timeout=30,
    )
    assert response.status_code == 200, response.text
    pushed = fake_api.wait_for_texts(openid, sent_before + 1)[sent_before:]
    assert pushed == ["您好，我是人工客服小王，请问有什么可以帮您？"]


def test_message_without_sender_gets_a_polite_400(platform: WeChatPlatform) -> None:
    reply = platform.deliver({"MsgType": "text", "Content": "你好", "MsgId": new_msg_id()})
    assert reply.status == 400
    assert "不完整" in reply.body
