"""The widget's Socket.IO protocol against the live Rasa and action servers (python-socketio client)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import requests

from bot.channels.widget.channel import parse_origins
from bot.channels.widget.session import origin_allowed
from bot.runtime.serve import ServerPorts
from tests.support.widget import GREETING, OPTIONS_QUESTION, WidgetSocket, faq_answer, push_bot_event


def run(rasa_url: str, scenario: Callable[[WidgetSocket], Awaitable[None]]) -> None:
    """Run one scenario with a connected customer socket."""

    async def main() -> None:
        async with WidgetSocket(rasa_url) as socket:
            await scenario(socket)

    asyncio.run(main())


def new_session() -> str:
    return uuid.uuid4().hex


def test_session_request_is_confirmed_with_empty_history(servers: ServerPorts) -> None:
    session_id = new_session()

    async def scenario(socket: WidgetSocket) -> None:
        assert await socket.start(session_id) == {"session_id": session_id, "history": []}

    run(servers.rasa_url, scenario)


def test_invalid_or_missing_session_id_gets_a_fresh_one(servers: ServerPorts) -> None:
    async def scenario(socket: WidgetSocket) -> None:
        for requested in (None, "../../etc", "短", 42):
            confirm = await socket.start(requested)  # type: ignore[arg-type]
            assert confirm["session_id"] != requested
            assert len(confirm["session_id"]) == 32 and confirm["history"] == []

    run(servers.rasa_url, scenario)


def test_message_gets_the_greeting_and_a_reconnect_gets_the_history(servers: ServerPorts) -> None:
    session_id = new_session()

    async def first_visit(socket: WidgetSocket) -> None:
        await socket.start(session_id)
        reply = await socket.say(session_id, "你好")
        assert GREETING in reply["text"]
        assert reply["agent"] is None and reply["buttons"] == []

    async def second_visit(socket: WidgetSocket) -> None:
        history = (await socket.start(session_id))["history"]
        assert [(item["sender"], item["text"][:11]) for item in history] == [
            ("user", "你好"), ("bot", GREETING),
        ]

    run(servers.rasa_url, first_visit)
    run(servers.rasa_url, second_visit)


def test_pressed_button_shows_as_its_title_in_history(servers: ServerPorts) -> None:
    session_id = new_session()
    chosen: dict[str, str] = {}

    async def first_visit(socket: WidgetSocket) -> None:
        await socket.start(session_id)
        offered = await socket.say(session_id, OPTIONS_QUESTION)
        chosen.update(offered["buttons"][0])
        answer = await socket.say(session_id, chosen["payload"])
        assert answer["text"] == faq_answer(chosen["title"])

    async def second_visit(socket: WidgetSocket) -> None:
        history = (await socket.start(session_id))["history"]
        assert [item["text"] for item in history if item["sender"] == "user"] == [OPTIONS_QUESTION, chosen["title"]]

    run(servers.rasa_url, first_visit)
    run(servers.rasa_url, second_visit)


def test_agent_message_is_pushed_once_to_every_page_of_the_session(servers: ServerPorts, api_token: str) -> None:
    session_id = new_session()
    text = "您好，我是客服小王。\n\n请问您的卡是在哪里丢失的？"

    async def scenario(socket: WidgetSocket) -> None:
        await socket.start(session_id)
        await socket.say(session_id, "你好")
        async with WidgetSocket(servers.rasa_url) as second_tab:
            await second_tab.start(session_id)
            push_bot_event(
                servers.rasa_url, api_token, session_id,
                {"text": text, "metadata": {"agent": "小王", "message_id": "m-1"}},
            )
            for page in (socket, second_tab):
                received = [data for name, data in await page.quiet(1.5) if name == "bot_uttered"]
                assert len(received) == 1
                assert received[0]["text"] == text
                assert received[0]["agent"] == "小王" and received[0]["message_id"] == "m-1"
                assert isinstance(received[0]["timestamp"], float)

    run(servers.rasa_url, scenario)


def test_handoff_custom_payload_reaches_the_page(servers: ServerPorts, api_token: str) -> None:
    session_id = new_session()
    handoff = {"handoff": {"status": "queued", "position": 2}}

    async def scenario(socket: WidgetSocket) -> None:
        await socket.start(session_id)
        await socket.say(session_id, "你好")
        event = {"text": "正在为您转接人工客服", "data": {"custom": handoff}}
        push_bot_event(servers.rasa_url, api_token, session_id, event)
        message = await socket.next("bot_uttered")
        assert message["custom"] == handoff

    run(servers.rasa_url, scenario)


def test_malformed_events_do_not_break_the_server(servers: ServerPorts) -> None:
    session_id = new_session()

    async def scenario(socket: WidgetSocket) -> None:
        for data in ("not a dict", ["a", "list"], None, 7, {"session_id": None}):
            await socket.emit("session_request", data)
            await socket.emit("user_uttered", data)
        await socket.emit("user_uttered", {"message": {"nested": True}, "session_id": session_id})
        await socket.emit("user_uttered", {"message": "   ", "session_id": session_id})
        await socket.emit("unknown_event", {"x": 1})
        await socket.quiet(1)
        await socket.start(session_id)
        assert GREETING in (await socket.say(session_id, "你好"))["text"]

    run(servers.rasa_url, scenario)
    assert requests.get(f"{servers.rasa_url}/webhooks/widget", timeout=5).json() == {"status": "ok"}


def test_message_without_session_request_binds_its_session(servers: ServerPorts) -> None:
    session_id = new_session()

    async def scenario(socket: WidgetSocket) -> None:
        await socket.emit("user_uttered", {"message": "你好", "session_id": session_id})
        assert (await socket.next("session_confirm"))["session_id"] == session_id
        assert GREETING in (await socket.next("bot_uttered"))["text"]

    run(servers.rasa_url, scenario)


def test_very_long_message_gets_a_polite_answer(servers: ServerPorts) -> None:
    session_id = new_session()

    async def scenario(socket: WidgetSocket) -> None:
        await socket.start(session_id)
        reply = await socket.say(session_id, "我想问一下信用卡的事情" * 500)
        assert reply["text"]

    run(servers.rasa_url, scenario)


def test_allowed_origins() -> None:
    assert parse_origins(None) is None and parse_origins("*") is None and parse_origins(" ") is None
    allowed = parse_origins("https://www.bank.example/, https://m.bank.example")
    assert allowed == ["https://www.bank.example", "https://m.bank.example"]
    own = {"wsgi.url_scheme": "http", "HTTP_HOST": "bot.example:5005"}
    assert origin_allowed(allowed, {**own, "HTTP_ORIGIN": "https://m.bank.example"})
    assert origin_allowed(allowed, {**own, "HTTP_ORIGIN": "http://bot.example:5005"})
    assert origin_allowed(allowed, own)
    assert not origin_allowed(allowed, {**own, "HTTP_ORIGIN": "https://evil.example"})
    assert origin_allowed(None, {**own, "HTTP_ORIGIN": "https://evil.example"})
