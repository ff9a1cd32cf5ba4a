"""Per-sender rate limiting and the message size limit, applied to every channel before Rasa sees a message.

Counts live in Redis when `REDIS_URL` is set (shared by every Rasa instance), in memory otherwise.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

from bot.core.settings import current_settings

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
TOO_LONG = f"您的消息太长了（超过 {MAX_MESSAGE_CHARS} 字），请简要描述您的问题，或分几次发送。"
TOO_FAST = "您发送消息太频繁了，请稍等片刻再试。"


@dataclass(frozen=True)
class RateLimit:
    """At most `messages` per `seconds` from one sender."""

    messages: int = 30
    seconds: int = 60

    @classmethod
    def from_env(cls) -> RateLimit:
        """`KEFU_RATE_LIMIT` as `messages/seconds`, e.g. `30/60` (the default)."""
        spec = current_settings().rate_limit
        messages, seconds = (int(part) for part in spec.split("/"))
        return cls(messages, seconds)


class MemoryRateLimiter:
    """Sliding window per sender, in this process."""

    def __init__(self, limit: RateLimit, max_senders: int = 100_000) -> None:
        self.limit = limit
        self.max_senders = max_senders
        self.windows: dict[str, deque[float]] = {}

    async def allow(self, sender: str) -> bool:
        """Record a message; False when the sender is over the limit."""
        now = time.monotonic()
        window = self.windows.setdefault(sender, deque())
        while window and window[0] <= now - self.limit.seconds:
            window.popleft()
        if len(window) >= self.limit.messages:
            return False
        window.append(now)
        if len(self.windows) > self.max_senders:
            self.windows.pop(next(iter(self.windows)))
        return True


class RedisRateLimiter:
    """Fixed window per sender in Redis; if Redis fails, messages are let through (and logged)."""

    def __init__(self, url: str, limit: RateLimit, prefix: str = "kefu:rate:") -> None:
        self.redis = redis_asyncio.from_url(url)
        self.limit = limit
        self.prefix = prefix

    async def allow(self, sender: str) -> bool:
        """Record a message; False when the sender is over the limit."""
        key = f"{self.prefix}{sender}:{int(time.time()) // self.limit.seconds}"
        try:
            count = await self.redis.incr(key)
            if count == 1:
                await self.redis.expire(key, self.limit.seconds * 2)
        except RedisError:
            logger.exception("rate limiting unavailable (Redis)")
            return True
        return count <= self.limit.messages


def make_rate_limiter() -> MemoryRateLimiter | RedisRateLimiter:
    """Redis when `REDIS_URL` is set, memory otherwise."""
    url = current_settings().redis_url
    limit = RateLimit.from_env()
    return RedisRateLimiter(url, limit) if url else MemoryRateLimiter(limit)
