"""Bot messages as WeChat text: buttons as numbered options, split to WeChat's length limit, sent by OpenID."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.wechat.api import WeChatApiClient
from bot.channels.wechat.store import WeChatStore

TEXT_LIMIT_BYTES = 2048  # documented limit of a passive reply's and a customer-service message's text
OPTIONS_HEADER = "回复数字选择："
OPTION_NUMBER = re.compile(r"(\d{1,2})[.。、)]?")


@dataclass(frozen=True)
class WeChatReply:
    """One turn's answer as WeChat text, and the button payloads its numbers stand for."""

    text: str
    payloads: list[str] = field(default_factory=list)


def render_messages(messages: list[dict[str, Any]]) -> WeChatReply:
    """Join the turn's bot messages into one text; all buttons become one numbered list at the end."""
    parts: list[str] = []
    titles: list[str] = []
    payloads: list[str] = []
    for message in messages:
        for key in ("text", "image", "attachment"):
            if isinstance(message.get(key), str) and message[key].strip():
                parts.append(message[key].strip())
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("text"), str):
            parts.append(custom["text"].strip())
        for button in message.get("buttons") or []:
            title = str(button.get("title") or button.get("payload") or "").strip()
            if title:
                titles.append(title)
                payloads.append(str(button.get("payload") or title))
    if titles:
        parts.append("\n".join([OPTIONS_HEADER, *(f"{number}. {title}" for number, title in enumerate(titles, 1))]))
    return WeChatReply("\n\n".join(part for part in parts if part), payloads)


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Chunks of at most `limit` UTF-8 bytes, cut at line ends where possible."""

    def fits(chunk: str) -> bool:
        return len(chunk.encode("utf-8")) <= limit

    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if fits(candidate):
            current = candidate
            continue
        if current.strip():
            chunks.append(current.strip())
        while not fits(line):
            cut = _fitting_prefix_length(line, limit)
            chunks.append(line[:cut])
            line = line[cut:]
        current = line
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _fitting_prefix_length(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` UTF-8 bytes (at least one)."""
    size = 0
    for index, char in enumerate(line):
        size += len(char.encode("utf-8"))
        if size > limit:
            return max(1, index)
    return len(line)


def pick_option(text: str, payloads: list[str]) -> str | None:
    """The payload chosen by a reply of just a number (「1」「１」「1.」), if it names an offered option."""
    match = OPTION_NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match or not payloads:
        return None
    number = int(match.group(1))
    return payloads[number - 1] if 1 <= number <= len(payloads) else None


class WeChatOutput(OutputChannel):
    """Sends bot messages to a WeChat user (recipient id = OpenID) through the customer-service message API.

    Used for answers that miss the passive-reply deadline and, via Rasa's `output_channel=latest`, for the
    messages human agents send during a handoff.
    """

    def __init__(self, api: WeChatApiClient, store: WeChatStore) -> None:
        self.api = api
        self.store = store

    @classmethod
    def name(cls) -> str:
        """Name of the channel, as the input channel's."""
        return "wechat"

    async def deliver(self, openid: str, reply: WeChatReply) -> None:
        """Remember the reply's options and send its text, split into several messages if too long."""
        await self.store.save_options(openid, reply.payloads)
        for chunk in split_text(reply.text):
            await self.api.send_text(openid, chunk)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message (text, buttons as numbered options, image or attachment links)."""
        reply = render_messages([message])
        if reply.text:
            await self.deliver(recipient_id, reply)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a text."""
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a text followed by its buttons as numbered options."""
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})
