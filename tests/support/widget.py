"""Helpers for the website widget tests: a Socket.IO customer and agent pushes."""

from __future__ import annotations

import asyncio
from typing import Any

import requests
import socketio

from bot.channels.widget.channel import SOCKETIO_PATH
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.kb.loader import load_faq_directory

GREETING = "您好，我是智能客服小金"
OPTIONS_QUESTION = "密码忘了"
"""A question answered with FAQ options as quick replies (the answer and its runner-ups, or a clarification)."""


def faq_answer(question: str) -> str:
    """The knowledge base's answer to one of its own questions (what a quick reply leads to)."""
    return next(entry.answer for entry in load_faq_directory(KNOWLEDGE_BASE_DIR / "faq") if entry.question == question)


def push_bot_event(rasa_url: str, api_token: str, session_id: str, event: dict[str, Any]) -> None:
    """Append a bot event the way the agent console does, delivered through the customer's latest channel."""
    response = requests.post(
        f"{rasa_url}/conversations/{session_id}/tracker/events",
        params={"execute_side_effects": "true", "output_channel": "latest", "token": api_token},
        json=[{"event": "bot", **event}],
        timeout=30,
    )
    response.raise_for_status()


class WidgetSocket:
    """A customer's page, spoken at the Socket.IO level: records every event the server sends."""

    def __init__(self, rasa_url: str) -> None:
        self.rasa_url = rasa_url
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        for name in ("session_confirm", "bot_uttered"):
            self.client.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        async def record(data: Any = None) -> None:
            await self.events.put((name, data))

        return record

    async def __aenter__(self) -> WidgetSocket:
        # Long-polling: the aiohttp Rasa pins is too old for the Engine.IO client's WebSocket transport.
        await self.client.connect(self.rasa_url, socketio_path=SOCKETIO_PATH, transports=["polling"])
        return self

    async def __aexit__(self, *_: object) -> None:
        # Close the transport without waiting for the pending long-poll request to return.
        await self.client.eio.disconnect(abort=True)

    async def emit(self, event: str, data: Any = None) -> None:
        """Send one event as the page would."""
        await self.client.emit(event, data)

    async def next(self, name: str, timeout: float = 30) -> Any:
        """The data of the next `name` event (other events in between are dropped)."""
        return await asyncio.wait_for(self._next(name), timeout)

    async def _next(self, name: str) -> Any:
        while True:
            event, data = await self.events.get()
            if event == name:
                return data

    async def quiet(self, seconds: float) -> list[tuple[str, Any]]:
        """Every event that arrives within `seconds`."""
        await asyncio.sleep(seconds)
        received = []
        while not self.events.empty():
            received.append(self.events.get_nowait())
        return received

    async def start(self, session_id: str | None) -> dict[str, Any]:
        """`session_request` and the server's confirmation (session id and history)."""
        await self.emit("session_request", {"session_id": session_id})
        return await self.next("session_confirm")

    async def say(self, session_id: str, text: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a message and return the bot's first reply."""
        await self.emit("user_uttered", {"message": text, "session_id": session_id, "metadata": metadata or {}})
        return await self.next("bot_uttered")
