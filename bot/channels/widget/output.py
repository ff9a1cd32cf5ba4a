"""Output side of the website widget: one `bot_uttered` Socket.IO event per bot message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa.core.channels.channel import OutputChannel
from socketio import AsyncServer

BOT_EVENT = "bot_uttered"


def _optional_text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value) else None


def _buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in raw
        if isinstance(button, Mapping) and button.get("payload")
    ]


def bot_payload(message: Mapping[str, Any]) -> dict[str, Any]:
    """The widget's shape of a bot message (`BotUttered.message()`: data, text, timestamp and metadata)."""
    custom = message.get("custom")
    timestamp = message.get("timestamp")
    return {
        "text": message.get("text") if isinstance(message.get("text"), str) else "",
        "buttons": _buttons(message.get("buttons")),
        "custom": dict(custom) if isinstance(custom, Mapping) else None,
        "agent": _optional_text(message.get("agent")),
        "message_id": _optional_text(message.get("message_id")),
        "timestamp": float(timestamp) if isinstance(timestamp, int | float) else None,
    }


def is_visible(payload: Mapping[str, Any]) -> bool:
    """Whether a bot message carries anything the page can show."""
    return bool(payload["text"] or payload["buttons"] or payload["custom"])


class WidgetOutput(OutputChannel):
    """Emits bot messages to the Socket.IO room named by the conversation (session) id."""

    @classmethod
    def name(cls) -> str:
        """Same name as the input channel, so `output_channel=latest` finds it."""
        return "widget"

    def __init__(self, sio: AsyncServer) -> None:
        self.sio = sio

    async def emit(self, recipient_id: str, payload: dict[str, Any]) -> None:
        """Send one widget payload to every page showing this conversation."""
        await self.sio.emit(BOT_EVENT, payload, room=recipient_id)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send a whole bot message (text, buttons, custom, agent metadata) as one event."""
        payload = bot_payload(message)
        if is_visible(payload):
            await self.emit(recipient_id, payload)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send plain text, keeping its line breaks in one bubble."""
        await self.send_response(recipient_id, {"text": text})
