"""Size and rate limits at the channel: polite refusals, the bot never sees the refused message."""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest
import redis

from bot.channels.limits import TOO_FAST, TOO_LONG, MemoryRateLimiter, RateLimit, RedisRateLimiter
from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts
from tests.support.chat import said, tracker_of

REDIS_URL = "redis://127.0.0.1:6379/4"


def allowed(limiter: MemoryRateLimiter, sender: str, times: int) -> list[bool]:
    async def run() -> list[bool]:
        return [await limiter.allow(sender) for _ in range(times)]

    return asyncio.run(run())


def test_memory_limiter_counts_per_sender_in_a_sliding_window() -> None:
    limiter = MemoryRateLimiter(RateLimit(messages=3, seconds=1))
    assert allowed(limiter, "a", 4) == [True, True, True, False]
    assert allowed(limiter, "b", 1) == [True]
    asyncio.run(asyncio.sleep(1.1))
    assert allowed(limiter, "a", 1) == [True]


def test_redis_limiter_is_shared_between_limiters() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"Redis is not reachable: {error}")
    prefix = f"kefu-test:{secrets.token_hex(4)}:"

    async def scenario() -> list[list[bool]]:
        first = RedisRateLimiter(REDIS_URL, RateLimit(messages=3, seconds=60), prefix=prefix)
        second = RedisRateLimiter(REDIS_URL, RateLimit(messages=3, seconds=60), prefix=prefix)
        return [
            [await first.allow("a") for _ in range(2)],
            [await second.allow("a") for _ in range(2)],
            [await second.allow("b")],
        ]

    assert asyncio.run(scenario()) == [[True, True], [True, False], [True]]


def test_an_oversized_message_is_refused_before_the_bot(servers: ServerPorts, api_token: str) -> None:
    chat = ChatSession(servers.rasa_url)
    assert said(chat.send("信" * 4001)) == TOO_LONG
    assert "信用卡" in said(chat.send("信用卡怎么还款"))
    texts = [e.get("text") for e in tracker_of(servers, api_token, chat.sender)["events"] if e["event"] == "user"]
    assert texts == ["信用卡怎么还款"]


def test_a_sender_over_the_rate_limit_is_asked_to_slow_down(servers: ServerPorts) -> None:
    flooding, other = ChatSession(servers.rasa_url), ChatSession(servers.rasa_url)
    replies = [said(flooding.send("你好")) for _ in range(31)]
    assert TOO_FAST not in replies[:30]
    assert replies[30] == TOO_FAST
    assert said(other.send("你好")) != TOO_FAST
