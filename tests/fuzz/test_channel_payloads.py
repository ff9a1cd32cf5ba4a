"""Property-based tests of what the channels accept from outside: widget socket data, WeChat XML deliveries."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import pytest
import requests
from hypothesis import event, given
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from sanic import Sanic
from wechatpy import parse_message

from bot.channels.wechat.channel import WeChatInput
from bot.channels.wechat.config import WeChatSettings
from bot.channels.wechat.inbound import (
    EMPTY_TEXT,
    MENU_MESSAGES,
    ONLY_TEXT,
    UNKNOWN_MENU,
    VOICE_NOT_RECOGNISED,
    WELCOME,
    delivery_key,
    interpret,
    well_formed,
)
from bot.channels.wechat.output import TEXT_LIMIT_BYTES, pick_option, split_text
from bot.channels.wechat.store import MemoryStore
from bot.channels.widget.history import conversation_history
from bot.channels.widget.session import TOKEN_KEY, message_metadata, origin_allowed, valid_session_id
from tests.fuzz.support import any_text, fuzz_settings, mixed_text
from tests.support.servers import WeChatAccount, free_port

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=70),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
"""Anything a page could put into a Socket.IO event's JSON."""

FIXED_REPLIES = {EMPTY_TEXT, ONLY_TEXT, UNKNOWN_MENU, VOICE_NOT_RECOGNISED, WELCOME}
MSG_TYPES = ["text", "voice", "event", "image", "location", "link", "video", "shortvideo", "file", "TEXT", ""]
EVENTS = ["subscribe", "unsubscribe", "CLICK", "click", "VIEW", "SCAN", "LOCATION", "", "x"]


# --- website widget -------------------------------------------------------------------------------------------

@fuzz_settings(300)
@given(st.one_of(json_values, st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True)))
def test_session_ids_are_url_safe_strings_of_8_to_64_characters(value: Any) -> None:
    accepted = valid_session_id(value)
    expected = isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9_-]{8,64}", value) is not None
    assert accepted == (value if expected else None)


@fuzz_settings(300)
@given(st.dictionaries(st.sampled_from(["message", "metadata", "session_id", "x"]), json_values, max_size=4)
       | st.fixed_dictionaries({"metadata": st.dictionaries(st.sampled_from([TOKEN_KEY, "customer_id", "admin"]),
                                                              json_values, max_size=3)}))
def test_message_metadata_passes_only_a_non_empty_customer_token(data: dict[str, Any]) -> None:
    metadata = message_metadata(data)
    token = data.get("metadata", {}).get(TOKEN_KEY) if isinstance(data.get("metadata"), dict) else None
    assert metadata == ({TOKEN_KEY: token} if isinstance(token, str) and token else {})


@fuzz_settings(300)
@given(st.one_of(st.none(), st.lists(st.sampled_from(["https://bank.example", "http://127.0.0.1:8080", ""])
                                     | st.text(max_size=30), max_size=3)),
       st.dictionaries(st.sampled_from(["HTTP_ORIGIN", "HTTP_HOST", "wsgi.url_scheme"]),
                       st.sampled_from(["https://bank.example", "https://bank.example/", "bank.example", "https",
                                        "http", "evil.example"]) | st.text(max_size=30), max_size=3))
def test_origin_check_never_raises_and_refuses_unlisted_origins(allowed: list[str] | None,
                                                                environ: dict[str, str]) -> None:
    permitted = origin_allowed(allowed, environ)
    origin = environ.get("HTTP_ORIGIN")
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    if allowed is None or not origin:
        assert permitted
    else:
        assert permitted == (origin == own or origin.rstrip("/") in allowed)


def user_event(text: str | None) -> UserUttered:
    """A customer's message as Rasa stores it."""
    return UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=1.0)


bot_events = st.builds(
    lambda text, data: BotUttered(text, data, timestamp=2.0),
    st.none() | mixed_text,
    st.dictionaries(st.sampled_from(["buttons", "custom", "image", "elements"]), json_values, max_size=3)
    | st.fixed_dictionaries({"buttons": st.lists(st.fixed_dictionaries({"title": mixed_text, "payload": mixed_text}),
                                                 max_size=3)}),
)
events = st.lists(
    st.one_of(st.builds(user_event, st.none() | mixed_text), bot_events,
              st.builds(lambda value: SlotSet("x", value), json_values), st.just(ActionExecuted("action_listen"))),
    max_size=30,
)


@fuzz_settings(200)
@given(events, st.integers(min_value=1, max_value=40))
def test_history_of_any_conversation_is_user_and_visible_bot_messages(tracker_events: list[Event],
                                                                       limit: int) -> None:
    history = conversation_history(tracker_events, limit=limit)
    user_texts = [event.text for event in tracker_events if isinstance(event, UserUttered) and event.text]
    bot_count = sum(1 for event in tracker_events if isinstance(event, BotUttered))
    assert len(history) <= min(limit, len(user_texts) + bot_count)
    for item in history:
        assert item["sender"] in ("user", "bot")
        if item["sender"] == "bot":
            assert item["text"] or item["buttons"] or item["custom"]
            assert all(set(button) == {"title", "payload"} for button in item["buttons"])


# --- WeChat: parsing and interpreting deliveries --------------------------------------------------------------

def element(name: str, value: str | int | list[str] | dict[str, str]) -> str:
    """One XML element: text (escaped), a number, repeated elements or nested children."""
    if isinstance(value, list):
        return "".join(element(name, item) for item in value)
    if isinstance(value, dict):
        return f"<{name}>" + "".join(element(child, text) for child, text in value.items()) + f"</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


xml_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")) | st.sampled_from("\n\t"), max_size=40
)
"""Text XML 1.0 can carry."""
field_values = st.one_of(
    xml_text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(xml_text, min_size=2, max_size=3),
    st.dictionaries(st.sampled_from(["a", "b", "Content"]), xml_text, min_size=1, max_size=2),
    st.text(alphabet="信用卡还款 ", min_size=2000, max_size=6000),
)

def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values WeChat would send, three times as often as odd ones (wrong type, nested, repeated, huge)."""
    return st.integers(min_value=0, max_value=3).flatmap(lambda draw: field_values if draw == 3 else valid)


wechat_fields = st.fixed_dictionaries(
    {
        "ToUserName": mostly(st.just("gh_kefu_test")),
        "FromUserName": mostly(st.from_regex(r"o[A-Za-z0-9_-]{27}", fullmatch=True)),
        "MsgType": mostly(st.sampled_from(MSG_TYPES)),
    },
    optional={
        "CreateTime": mostly(st.integers(min_value=0, max_value=2**40)),
        "MsgId": mostly(st.integers(min_value=1, max_value=2**62)),
        "Content": mostly(st.tuples(xml_text, st.sampled_from(["", "]]>", "<Content>x</Content>", "&amp;"]), xml_text)
                          .map("".join)),
        "Recognition": mostly(xml_text),
        "Event": mostly(st.sampled_from(EVENTS)),
        "EventKey": mostly(st.sampled_from([*MENU_MESSAGES, "qrscene_1", "", "OTHER"])),
        "MediaId": field_values,
    },
)


def wechat_xml(fields: dict[str, Any]) -> str:
    """A delivery's XML document."""
    return "<xml>" + "".join(element(name, value) for name, value in fields.items()) + "</xml>"


@fuzz_settings(400)
@given(wechat_fields)
def test_any_parsed_delivery_is_checked_and_interpreted_without_error(fields: dict[str, Any]) -> None:
    try:
        message = parse_message(wechat_xml(fields))
    except Exception:  # the channel answers 400 to what wechatpy cannot parse
        return
    inbound = interpret(message)
    if well_formed(message):
        assert isinstance(delivery_key(message), str) and isinstance(message.source, str)
    assert inbound.bot_text is None or (isinstance(inbound.bot_text, str) and inbound.bot_text.strip())
    assert inbound.reply is None or inbound.reply in FIXED_REPLIES
    assert not (inbound.bot_text and inbound.reply)


@fuzz_settings(300)
@given(any_text, st.integers(min_value=4, max_value=TEXT_LIMIT_BYTES))
def test_split_text_respects_the_byte_limit_and_keeps_every_visible_character(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert all(0 < len(chunk.encode("utf-8")) <= limit for chunk in chunks)
    assert all(chunk.strip() for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@fuzz_settings(300)
@given(any_text | st.from_regex(r"\s*[0-9０-９]{1,3}[.。、)]?\s*", fullmatch=True),
       st.lists(st.text(max_size=20), max_size=12))
def test_pick_option_returns_an_offered_payload_or_nothing(text: str, payloads: list[str]) -> None:
    chosen = pick_option(text, payloads)
    assert chosen is None or chosen in payloads


# --- WeChat: the webhook in-process ---------------------------------------------------------------------------

async def echo_bot(message: UserMessage) -> None:
    """A bot that repeats the customer's text (through `send_response`, as Rasa sends)."""
    await message.output_channel.send_response(message.sender_id, {"text": f"您说：{message.text}"})


class ServedChannel:
    """The WeChat channel's blueprint served by Sanic on loopback, in a background event loop."""

    def __init__(self, channel: WeChatInput) -> None:
        self.app = Sanic(f"wechat_fuzz_{secrets.token_hex(4)}")
        self.app.blueprint(channel.blueprint(echo_bot), url_prefix=f"/webhooks/{channel.url_prefix()}")
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: Any = None

    def __enter__(self) -> str:
        self.thread.start()
        self.server = self._run(self.app.create_server(host="127.0.0.1", port=self.port,
                                                       return_asyncio_server=True, access_log=False))
        self._run(self.server.startup())
        return f"http://127.0.0.1:{self.port}/webhooks/wechat/webhook"

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self._run(self.server.wait_closed())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _run(self, work: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(30)


@pytest.fixture(scope="module")
def account() -> WeChatAccount:
    """The Official Account the served channel is configured for."""
    return WeChatAccount.fresh()


@pytest.fixture(scope="module")
def webhook(account: WeChatAccount) -> Iterator[str]:
    """The URL of the WeChat webhook, served in-process with an echoing bot."""
    previous = Sanic.test_mode
    Sanic.test_mode = True  # several Sanic apps in one test process
    settings = WeChatSettings.from_env({**account.environment, "WECHAT_REPLY_DEADLINE": "5"})
    try:
        with ServedChannel(WeChatInput(settings, store=MemoryStore())) as url:
            yield url
    finally:
        Sanic.test_mode = previous


def signature(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted, concatenated parts."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signed_query(token: str, stamp: int | None = None) -> dict[str, str]:
    """`timestamp`, `nonce` and `signature` as WeChat signs a request."""
    timestamp = str(int(time.time()) if stamp is None else stamp)
    nonce = secrets.token_hex(4)
    return {"timestamp": timestamp, "nonce": nonce, "signature": signature(token, timestamp, nonce)}


@st.composite
def bad_queries(draw: st.DrawFn, token: str) -> dict[str, str]:
    """Request parameters that must be refused: forged, stale, partial or garbage signatures."""
    query = signed_query(token, int(time.time()) + draw(st.sampled_from([-1000, -400, 400, 1000, 0])))
    defect = draw(st.sampled_from(["garbage", "missing", "wrong token", "stale"]))
    if defect == "garbage":
        query[draw(st.sampled_from(sorted(query)))] = draw(st.text(max_size=12))
    elif defect == "missing":
        query.pop(draw(st.sampled_from(sorted(query))))
    elif defect == "wrong token":
        query = signed_query(draw(st.text(max_size=20).filter(lambda other: other != token)))
    elif query["timestamp"] == str(int(time.time())):
        query = signed_query(token, 1)
    return query


odd_bodies = st.one_of(
    wechat_fields.map(lambda fields: wechat_xml({**fields, "Encrypt": "QUJD"})),
    st.binary(max_size=200),
    any_text,
    st.sampled_from(["", "<xml>", "<xml></xml>", "<a><xml/></a>", "<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>"]),
)
bodies = st.integers(min_value=0, max_value=3).flatmap(
    lambda draw: odd_bodies if draw == 3 else wechat_fields.map(wechat_xml)
)
"""Mostly WeChat-shaped XML deliveries; otherwise other XML, binary or plain text."""


def reply_fields(answer: requests.Response) -> dict[str, str]:
    """The passive reply's XML fields (it must be well-formed XML)."""
    return {child.tag: child.text or "" for child in ElementTree.fromstring(answer.text)}


@fuzz_settings(250)
@given(body=bodies, safe_mode=st.sampled_from([False, False, False, True]))
def test_signed_deliveries_of_any_body_get_a_well_formed_answer(
    webhook: str, account: WeChatAccount, body: str | bytes, safe_mode: bool
) -> None:
    query = signed_query(account.token)
    if safe_mode:
        query.update(encrypt_type="aes", msg_signature=secrets.token_hex(20))
    data = body.encode("utf-8") if isinstance(body, str) else body
    answer = requests.post(webhook, params=query, data=data, timeout=30)
    event(f"HTTP {answer.status_code}{' reply' if answer.status_code == 200 and answer.text != 'success' else ''}")
    assert answer.status_code in (200, 400, 403), answer.text
    if answer.status_code == 200 and answer.text != "success":
        reply = reply_fields(answer)
        assert reply["MsgType"] == "text" and reply["Content"]


@fuzz_settings(150)
@given(data=st.data(), body=bodies)
def test_requests_without_a_valid_signature_are_refused(
    webhook: str, account: WeChatAccount, data: st.DataObject, body: str | bytes
) -> None:
    query = data.draw(bad_queries(account.token))
    answer = requests.post(webhook, params=query, data=body, timeout=30)
    assert answer.status_code in (400, 403), answer.text


@fuzz_settings(100)
@given(st.tuples(xml_text, st.sampled_from(["]]>", "<![CDATA[", "</Content>", "&amp;", "<xml>"]), xml_text)
       .map("".join))
def test_passive_reply_carries_the_bots_text_whatever_it_contains(
    webhook: str, account: WeChatAccount, content: str
) -> None:
    fields = {"ToUserName": "gh_kefu_test", "FromUserName": "o" + secrets.token_hex(13), "MsgType": "text",
              "CreateTime": int(time.time()), "MsgId": secrets.randbits(62), "Content": content}
    answer = requests.post(webhook, params=signed_query(account.token), data=wechat_xml(fields).encode(), timeout=30)
    assert answer.status_code == 200
    assert reply_fields(answer)["Content"] == f"您说：{content.strip()}"
