"""Client of WeChat's customer-service message API (客服消息), with a cached access token."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp

from bot.observability.metrics import WECHAT_API_SENDS

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}  # invalid, malformed or expired access token
REFRESH_MARGIN = 300  # seconds before `expires_in` at which the token is renewed
TIMEOUT = aiohttp.ClientTimeout(total=10)


class WeChatApiError(Exception):
    """The API could not be reached or answered with an error code."""


class WeChatApiClient:
    """Sends text messages to a user by OpenID; fetches, caches and renews the access token."""

    def __init__(self, api_base: str, app_id: str | None, app_secret: str | None) -> None:
        self.api_base = api_base.rstrip("/")
        self.app_id = app_id
        self.app_secret = app_secret
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()

    async def access_token(self, session: aiohttp.ClientSession, stale: str | None = None) -> str:
        """The cached token, fetched again when it is about to expire or equals `stale` (rejected by WeChat)."""
        async with self._token_lock:
            if self._token and self._token != stale and time.monotonic() < self._token_expires:
                return self._token
            if not (self.app_id and self.app_secret):
                raise WeChatApiError("WECHAT_APP_ID and WECHAT_APP_SECRET are required to call the WeChat API")
            params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret}
            data = await self._call(session, "GET", "/cgi-bin/token", params=params)
            token = data.get("access_token")
            if not token:
                raise WeChatApiError(f"no access token in the answer: errcode {data.get('errcode')}")
            expires_in = float(data.get("expires_in") or 7200)
            self._token = str(token)
            self._token_expires = time.monotonic() + max(expires_in - REFRESH_MARGIN, expires_in / 2)
            return self._token

    async def send_text(self, openid: str, content: str) -> None:
        """Send one text message; a rejected token is renewed and the send retried once. Counted as sent or
        failed."""
        try:
            await self._send_text(openid, content)
        except WeChatApiError:
            WECHAT_API_SENDS.labels("failed").inc()
            raise
        WECHAT_API_SENDS.labels("sent").inc()

    async def _send_text(self, openid: str, content: str) -> None:
        body = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            token = await self.access_token(session)
            data = await self._send(session, token, body)
            if data.get("errcode") in TOKEN_ERRORS:
                token = await self.access_token(session, stale=token)
                data = await self._send(session, token, body)
        if data.get("errcode"):
            raise WeChatApiError(f"message not sent: errcode {data.get('errcode')} {data.get('errmsg', '')}")

    async def _send(self, session: aiohttp.ClientSession, token: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")  # WeChat shows \u escapes literally
        return await self._call(
            session, "POST", "/cgi-bin/message/custom/send", params={"access_token": token}, data=payload,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )

    async def _call(self, session: aiohttp.ClientSession, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One API request; WeChat answers JSON (with `errcode` on failure) even for errors."""
        try:
            async with session.request(method, f"{self.api_base}{path}", **kwargs) as response:
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise WeChatApiError(f"{method} {path} failed: {error!r}") from error
        if not isinstance(data, dict):
            raise WeChatApiError(f"{method} {path} answered {data!r}")
        return data
