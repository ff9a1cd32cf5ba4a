"""Short-lived channel state for WeChat: seen deliveries (deduplication) and the options last offered per OpenID.

`RedisStore` shares the state between server processes (`REDIS_URL`); `MemoryStore` keeps it in one process,
bounded and expiring.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Protocol

from redis import asyncio as aioredis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEDUP_SECONDS = 600
OPTIONS_SECONDS = 1800
KEY_PREFIX = "kefu:wechat:"


class WeChatStore(Protocol):
    """Where the channel remembers deliveries and offered options."""

    async def claim(self, key: str, ttl: float = DEDUP_SECONDS) -> bool:
        """True for the first delivery with this key, False for a repeat within `ttl` seconds."""

    async def save_options(self, openid: str, payloads: list[str], ttl: float = OPTIONS_SECONDS) -> None:
        """Remember the button payloads just offered to `openid` (an empty list forgets them)."""

    async def load_options(self, openid: str) -> list[str]:
        """The button payloads last offered to `openid`, oldest first."""


class _ExpiringDict:
    """A dict of values with deadlines, dropping the oldest entries beyond `max_entries`."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[str, tuple[float, object]] = OrderedDict()

    def get(self, key: str) -> object | None:
        item = self._items.get(key)
        if item is None or item[0] <= time.monotonic():
            self._items.pop(key, None)
            return None
        return item[1]

    def put(self, key: str, value: object, ttl: float) -> None:
        self._items.pop(key, None)
        self._items[key] = (time.monotonic() + ttl, value)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)

    def pop(self, key: str) -> None:
        self._items.pop(key, None)


class MemoryStore:
    """In-process store: bounded, expiring; enough for a single server process."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._seen = _ExpiringDict(max_entries)
        self._options = _ExpiringDict(max_entries)

    async def claim(self, key: str, ttl: float = DEDUP_SECONDS) -> bool:
        """True for the first delivery with this key, False for a repeat within `ttl` seconds."""
        if self._seen.get(key) is not None:
            return False
        self._seen.put(key, True, ttl)
        return True

    async def save_options(self, openid: str, payloads: list[str], ttl: float = OPTIONS_SECONDS) -> None:
        """Remember the button payloads just offered to `openid` (an empty list forgets them)."""
        if payloads:
            self._options.put(openid, list(payloads), ttl)
        else:
            self._options.pop(openid)

    async def load_options(self, openid: str) -> list[str]:
        """The button payloads last offered to `openid`, oldest first."""
        payloads = self._options.get(openid)
        return list(payloads) if isinstance(payloads, list) else []


class RedisStore:
    """Redis-backed store (`SET NX` with expiry), shared by every server process.

    When Redis is unreachable the channel keeps answering: a delivery counts as new and no options are known.
    """

    def __init__(self, url: str) -> None:
        self.redis = aioredis.from_url(url, decode_responses=True)

    async def claim(self, key: str, ttl: float = DEDUP_SECONDS) -> bool:
        """True for the first delivery with this key, False for a repeat within `ttl` seconds."""
        try:
            return bool(await self.redis.set(f"{KEY_PREFIX}seen:{key}", "1", nx=True, ex=max(1, int(ttl))))
        except RedisError as error:
            logger.warning("Redis unavailable, WeChat delivery %s not deduplicated: %s", key, error)
            return True

    async def save_options(self, openid: str, payloads: list[str], ttl: float = OPTIONS_SECONDS) -> None:
        """Remember the button payloads just offered to `openid` (an empty list forgets them)."""
        key = f"{KEY_PREFIX}options:{openid}"
        try:
            if payloads:
                await self.redis.set(key, json.dumps(payloads, ensure_ascii=False), ex=max(1, int(ttl)))
            else:
                await self.redis.delete(key)
        except RedisError as error:
            logger.warning("Redis unavailable, options for a WeChat user not saved: %s", error)

    async def load_options(self, openid: str) -> list[str]:
        """The button payloads last offered to `openid`, oldest first."""
        try:
            stored = await self.redis.get(f"{KEY_PREFIX}options:{openid}")
        except RedisError as error:
            logger.warning("Redis unavailable, options for a WeChat user not loaded: %s", error)
            return []
        payloads = json.loads(stored) if stored else []
        return [str(payload) for payload in payloads] if isinstance(payloads, list) else []


def make_store(redis_url: str | None) -> WeChatStore:
    """A Redis store when `redis_url` is set (and valid), an in-memory one otherwise."""
    if not redis_url:
        return MemoryStore()
    try:
        return RedisStore(redis_url)
    except ValueError as error:
        logger.error("REDIS_URL is not a valid Redis URL (%s): the WeChat channel keeps its state in memory", error)
        return MemoryStore()
