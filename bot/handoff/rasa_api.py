"""The parts of Rasa's HTTP API the handoff needs: append events to a conversation, read its tracker."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp

from bot.core.settings import current_settings

TIMEOUT = aiohttp.ClientTimeout(total=10)


class RasaApiError(Exception):
    """Rasa did not accept the request (down, timed out, or an error status)."""


class RasaApi:
    """A client for one Rasa server; `token` is its `--auth-token`."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    @classmethod
    def from_environment(cls) -> RasaApi:
        """`RASA_URL` (default the local server) and `KEFU_API_TOKEN`."""
        settings = current_settings()
        return cls(settings.rasa_url, settings.api_token or "")

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"

    async def append(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Append events and deliver any bot messages among them through the customer's latest channel."""
        params = {"token": self.token, "execute_side_effects": "true", "output_channel": "latest"}
        await self._request("POST", self._url(conversation_id, "tracker/events"), params=params, json=events)

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker with all events."""
        params = {"token": self.token, "include_events": "ALL"}
        return await self._request("GET", self._url(conversation_id, "tracker"), params=params)

    async def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http, http.request(method, url, **kwargs) as response:
                if response.status != 200:
                    raise RasaApiError(f"Rasa 返回 {response.status}")
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaApiError(f"无法连接 Rasa：{type(error).__name__}") from error
