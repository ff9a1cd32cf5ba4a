"""The WeChat channel served in-process with a scripted bot: deadlines, long replies, stores and the API client.

The bot is replaced here only where its slowness or failure is what is being simulated; everything from the
HTTP request to the (fake) WeChat API is the real channel.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sqlalchemy import select

from bot.accounts.bindings import WECHAT, BindingService
from bot.accounts.models import Customer
from bot.channels.guard import UNAVAILABLE
from bot.channels.wechat.api import WeChatApiClient, WeChatApiError
from bot.channels.wechat.channel import NOT_CONFIGURED, WeChatInput
from bot.channels.wechat.config import WeChatSettings
from bot.channels.wechat.output import TEXT_LIMIT_BYTES, pick_option, split_text
from bot.channels.wechat.store import MemoryStore, RedisStore, WeChatStore
from bot.core.db import session_factory
from bot.db.seed import seed_demo_customers
from tests.support.servers import WeChatAccount, free_port
from tests.support.wechat_platform import FakeApiState, FakeWeChatApi, WeChatPlatform, new_msg_id, new_openid

Bot = Callable[[UserMessage], Awaitable[None]]
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def account() -> WeChatAccount:
    """An Official Account for one in-process channel."""
    return WeChatAccount.fresh()


@pytest.fixture
def fake_api(account: WeChatAccount) -> Iterator[FakeApiState]:
    """WeChat's customer-service message API on loopback."""
    with FakeWeChatApi(account.api_port, account.app_id, account.app_secret) as state:
        yield state


def settings_for(account: WeChatAccount, deadline: float = 4.5) -> WeChatSettings:
    """The channel settings `account.environment` (plus a reply deadline) would give."""
    return WeChatSettings.from_env({**account.environment, "WECHAT_REPLY_DEADLINE": str(deadline)})


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let Sanic start several apps in one process (it rewrites its connection code once per app otherwise)."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@asynccontextmanager
async def serving(channel: WeChatInput, bot: Bot) -> AsyncIterator[str]:
    """Serve the channel's blueprint on loopback as Rasa mounts it; yields the server's base URL."""
    app = Sanic(f"wechat_test_{secrets.token_hex(4)}")
    app.blueprint(channel.blueprint(bot), url_prefix=f"/webhooks/{channel.url_prefix()}")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


def slow_bot(seconds: float, answer: str, calls: list[str]) -> Bot:
    """A bot that takes `seconds` to answer `answer`, recording what it was asked."""

    async def handle(message: UserMessage) -> None:
        calls.append(message.text or "")
        await asyncio.sleep(seconds)
        await message.output_channel.send_text_message(message.sender_id, answer)

    return handle


async def wait_for_texts(state: FakeApiState, openid: str, count: int = 1) -> list[str]:
    """The API messages sent to `openid`, once there are `count` of them (or after a timeout)."""
    return await asyncio.to_thread(state.wait_for_texts, openid, count, 10)


def test_reply_missing_the_deadline_is_answered_success_then_sent_through_the_api(
    account: WeChatAccount, fake_api: FakeApiState
) -> None:
    calls: list[str] = []
    channel = WeChatInput(settings_for(account, deadline=0.3), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, slow_bot(1.0, "您的问题已处理完毕。", calls)) as url:
            platform = WeChatPlatform(url, account)
            openid = new_openid()
            started = time.monotonic()
            reply = await asyncio.to_thread(platform.text, openid, "信用卡怎么还款")
            assert time.monotonic() - started < 1.0
            assert reply.status == 200 and reply.body == "success"
            assert fake_api.texts_to(openid) == []
            assert await wait_for_texts(fake_api, openid) == ["您的问题已处理完毕。"]

    asyncio.run(scenario())
    assert calls == ["信用卡怎么还款"]


def test_retry_while_the_first_delivery_is_processed_is_not_processed_again(
    account: WeChatAccount, fake_api: FakeApiState
) -> None:
    calls: list[str] = []
    channel = WeChatInput(settings_for(account, deadline=0.5), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, slow_bot(1.5, "答复一次。", calls)) as url:
            platform = WeChatPlatform(url, account)
            openid, msg_id = new_openid(), new_msg_id()
            first = asyncio.to_thread(platform.text, openid, "你好", msg_id)
            await asyncio.sleep(0.1)
            retry = asyncio.to_thread(platform.text, openid, "你好", msg_id)
            answers = await asyncio.gather(first, retry)
            assert [answer.body for answer in answers] == ["success", "success"]
            assert await wait_for_texts(fake_api, openid) == ["答复一次。"]
            await asyncio.sleep(0.5)
            assert fake_api.texts_to(openid) == ["答复一次。"]

    asyncio.run(scenario())
    assert calls == ["你好"]


def test_long_reply_fills_the_passive_reply_and_the_rest_goes_through_the_api(
    account: WeChatAccount, fake_api: FakeApiState
) -> None:
    sentence = "信用卡还款可以通过手机银行、网上银行、柜台或自动还款办理。"
    lines = [f"第{number}条：" + sentence * 3 for number in range(40)]
    answer = "\n".join(lines)
    channel = WeChatInput(settings_for(account), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, slow_bot(0, answer, [])) as url:
            openid = new_openid()
            reply = await asyncio.to_thread(WeChatPlatform(url, account).text, openid, "怎么还款")
            passive = reply.content or ""
            assert 0 < len(passive.encode("utf-8")) <= TEXT_LIMIT_BYTES
            parts = [passive]
            expected_parts = len(split_text(answer))
            parts += await wait_for_texts(fake_api, openid, expected_parts - 1)
            assert expected_parts > 2
            assert all(len(part.encode("utf-8")) <= TEXT_LIMIT_BYTES for part in parts)
            assert "\n".join(parts) == answer

    asyncio.run(scenario())


def test_a_failing_bot_gets_a_polite_reply(account: WeChatAccount, fake_api: FakeApiState) -> None:
    async def broken(message: UserMessage) -> None:
        raise RuntimeError("model crashed")

    channel = WeChatInput(settings_for(account), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, broken) as url:
            reply = await asyncio.to_thread(WeChatPlatform(url, account).text, new_openid(), "你好")
            assert reply.content == UNAVAILABLE

    asyncio.run(scenario())


def test_late_reply_with_buttons_makes_numbers_select_them(account: WeChatAccount, fake_api: FakeApiState) -> None:
    asked: list[str] = []

    async def bot(message: UserMessage) -> None:
        asked.append(message.text or "")
        if len(asked) == 1:
            await asyncio.sleep(0.6)
            buttons = [{"title": "信用卡还款方式", "payload": '/faq{"faq_id": "card_repay"}'},
                       {"title": "都不是，转人工", "payload": "/request_human"}]
            await message.output_channel.send_text_with_buttons(message.sender_id, "您是不是想问：", buttons)

    channel = WeChatInput(settings_for(account, deadline=0.2), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, bot) as url:
            platform = WeChatPlatform(url, account)
            openid = new_openid()
            assert (await asyncio.to_thread(platform.text, openid, "还款")).body == "success"
            sent = await wait_for_texts(fake_api, openid)
            assert sent == ["您是不是想问：\n\n回复数字选择：\n1. 信用卡还款方式\n2. 都不是，转人工"]
            await asyncio.to_thread(platform.text, openid, "２")

    asyncio.run(scenario())
    assert asked == ["还款", "/request_human"]


def test_without_token_the_channel_answers_503_and_logs_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, account: WeChatAccount
) -> None:
    monkeypatch.delenv("WECHAT_TOKEN", raising=False)
    with caplog.at_level(logging.WARNING):
        channel = WeChatInput.from_credentials(None)
    assert "WECHAT_TOKEN" in caplog.text

    async def scenario() -> None:
        async with serving(channel, slow_bot(0, "不应到达", [])) as url:
            platform = WeChatPlatform(url, account)
            assert (await asyncio.to_thread(platform.verify, "echo")).status_code == 503
            reply = await asyncio.to_thread(platform.text, new_openid(), "你好")
            assert (reply.status, reply.body) == (503, NOT_CONFIGURED)

    asyncio.run(scenario())


def test_api_client_caches_the_token_and_renews_a_rejected_one(
    account: WeChatAccount, fake_api: FakeApiState
) -> None:
    client = WeChatApiClient(f"http://127.0.0.1:{account.api_port}", account.app_id, account.app_secret)
    openid = new_openid()

    async def scenario() -> None:
        await client.send_text(openid, "第一条")
        await client.send_text(openid, "第二条")
        assert len(fake_api.tokens_issued) == 1
        fake_api.reject_tokens = 1
        await client.send_text(openid, "第三条")
        assert len(fake_api.tokens_issued) == 2

    asyncio.run(scenario())
    assert fake_api.texts_to(openid) == ["第一条", "第二条", "第三条"]


def test_api_client_reports_wrong_credentials_and_unreachable_api(
    account: WeChatAccount, fake_api: FakeApiState
) -> None:
    wrong_secret = WeChatApiClient(f"http://127.0.0.1:{account.api_port}", account.app_id, "wrong")
    unreachable = WeChatApiClient(f"http://127.0.0.1:{free_port()}", account.app_id, account.app_secret)
    for client in (wrong_secret, unreachable):
        with pytest.raises(WeChatApiError):
            asyncio.run(client.send_text(new_openid(), "你好"))


def test_settings_default_and_malformed_values() -> None:
    settings = WeChatSettings.from_env({"WECHAT_TOKEN": "t", "WECHAT_REPLY_DEADLINE": "soon"})
    assert settings.reply_deadline == 4.5
    assert settings.api_base == "https://api.weixin.qq.com"
    assert settings.redis_url is None and not settings.can_call_api
    assert WeChatSettings.from_env({"WECHAT_REPLY_DEADLINE": "2"}).reply_deadline == 2.0


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [("1", "a"), ("１", "a"), ("1.", "a"), (" 2。", "b"), ("3", None), ("0", None), ("1个", None), ("12345", None)],
)
def test_pick_option(typed: str, chosen: str | None) -> None:
    assert pick_option(typed, ["a", "b"]) == chosen


def test_split_text_respects_the_byte_limit_and_line_breaks() -> None:
    assert split_text("短消息") == ["短消息"]
    unbroken = "还" * 2000
    parts = split_text(unbroken)
    assert "".join(parts) == unbroken
    assert all(len(part.encode("utf-8")) <= TEXT_LIMIT_BYTES for part in parts)
    assert split_text("甲" * 600 + "\n" + "乙" * 600) == ["甲" * 600, "乙" * 600]


async def exercise_store(store: WeChatStore, prefix: str) -> None:
    """Claims are first-wins and expire; options round-trip and can be forgotten."""
    assert await store.claim(f"{prefix}:msg", ttl=1)
    assert not await store.claim(f"{prefix}:msg", ttl=1)
    await asyncio.sleep(1.2)
    assert await store.claim(f"{prefix}:msg", ttl=1)
    await store.save_options(f"{prefix}:user", ["/faq{\"faq_id\": \"一\"}", "/request_human"])
    assert await store.load_options(f"{prefix}:user") == ["/faq{\"faq_id\": \"一\"}", "/request_human"]
    await store.save_options(f"{prefix}:user", [])
    assert await store.load_options(f"{prefix}:user") == []


def test_memory_store_expires_and_is_bounded() -> None:
    asyncio.run(exercise_store(MemoryStore(), "memory"))
    store = MemoryStore(max_entries=2)

    async def bounded() -> None:
        assert await store.claim("a") and await store.claim("b") and await store.claim("c")
        assert await store.claim("a")
        assert not await store.claim("c")

    asyncio.run(bounded())


@pytest.fixture
def redis_url() -> str:
    """The local Redis server; skipped when it is not running, unless REQUIRE_SERVICES=1."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is required (REQUIRE_SERVICES=1) but unreachable: {error}")
        pytest.skip(f"no Redis server at {REDIS_URL} ({error})")
    return REDIS_URL


def test_redis_store(redis_url: str) -> None:
    async def scenario() -> None:
        await exercise_store(RedisStore(redis_url), f"test-{secrets.token_hex(6)}")

    asyncio.run(scenario())


def test_redis_store_deduplicates_across_channel_instances(
    redis_url: str, account: WeChatAccount, fake_api: FakeApiState
) -> None:
    calls: list[str] = []

    async def scenario() -> None:
        first = WeChatInput(settings_for(account), store=RedisStore(redis_url))
        second = WeChatInput(settings_for(account), store=RedisStore(redis_url))
        async with serving(first, slow_bot(0, "您好！", calls)) as url_a, serving(
            second, slow_bot(0, "您好！", calls)
        ) as url_b:
            openid, msg_id = new_openid(), new_msg_id()
            answer = await asyncio.to_thread(WeChatPlatform(url_a, account).text, openid, "你好", msg_id)
            retry = await asyncio.to_thread(WeChatPlatform(url_b, account).text, openid, "你好", msg_id)
            assert answer.content == "您好！"
            assert retry.body == "success"

    asyncio.run(scenario())
    assert calls == ["你好"]


def test_invalid_settings_do_not_stop_the_channel(caplog: pytest.LogCaptureFixture) -> None:
    settings = WeChatSettings.from_env(
        {"WECHAT_TOKEN": "t", "WECHAT_ENCODING_AES_KEY": "too-short", "WECHAT_APP_ID": "wx1", "REDIS_URL": "nowhere"}
    )
    with caplog.at_level(logging.ERROR):
        channel = WeChatInput(settings)
    assert channel.crypto is None
    assert isinstance(channel.store, MemoryStore)
    assert "WECHAT_ENCODING_AES_KEY" in caplog.text and "REDIS_URL" in caplog.text


def test_unsubscribing_ends_the_followers_binding(
    account: WeChatAccount, fake_api: FakeApiState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    seed_demo_customers(url)
    monkeypatch.setenv("DATABASE_URL", url)
    openid, other = new_openid(), new_openid()
    with session_factory(url)() as session:
        customer = session.scalars(select(Customer.id)).first()
        for follower in (openid, other):
            BindingService(session).bind(WECHAT, follower, customer)
    channel = WeChatInput(settings_for(account), store=MemoryStore())

    async def scenario() -> None:
        async with serving(channel, slow_bot(0, "不应被调用", [])) as url:
            left = await asyncio.to_thread(WeChatPlatform(url, account).event, openid, "unsubscribe")
            assert left.body.strip() == "success"

    asyncio.run(scenario())
    with session_factory(url)() as session:
        assert BindingService(session).customer(WECHAT, openid) is None
        assert BindingService(session).customer(WECHAT, other) == customer
