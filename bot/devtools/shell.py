"""Interactive terminal chat with a running kefu server over the REST channel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import requests

EXIT_WORDS = {"/exit", "/quit", "退出"}


class ChatSession:
    """One customer conversation: sends text, remembers the buttons last offered."""

    def __init__(
        self,
        base_url: str,
        sender: str | None = None,
        timeout: float = 30,
        channel: str = "web",
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/webhooks/{channel}/webhook"
        self.sender = sender or f"shell-{uuid.uuid4().hex[:12]}"
        self.timeout = timeout
        self.metadata = metadata
        self.buttons: list[dict[str, Any]] = []

    def resolve(self, text: str) -> str:
        """A number picks one of the last offered buttons; anything else is sent as typed."""
        stripped = text.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.buttons):
            return str(self.buttons[int(stripped) - 1]["payload"])
        return text

    def send(self, text: str) -> list[dict[str, Any]]:
        """Send one message and return the bot's messages."""
        body: dict[str, Any] = {"sender": self.sender, "message": self.resolve(text)}
        if self.metadata is not None:
            body["metadata"] = self.metadata
        response = requests.post(self.url, json=body, timeout=self.timeout)
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        self.buttons = [button for message in messages for button in message.get("buttons") or []]
        return messages


def render(messages: list[dict[str, Any]]) -> str:
    """Bot messages as terminal text, buttons numbered from 1."""
    lines: list[str] = []
    number = 0
    for message in messages:
        if message.get("text"):
            lines.append(f"小金: {message['text']}")
        for button in message.get("buttons") or []:
            number += 1
            lines.append(f"  [{number}] {button['title']}")
    return "\n".join(lines) if lines else "小金: （无回复）"


def run_shell(base_url: str, read: Callable[[str], str] = input) -> None:
    """Read-eval-print loop until the customer types 退出 or closes the input."""
    session = ChatSession(base_url)
    print("已连接智能客服小金。输入问题开始对话，输入数字选择按钮，输入「退出」结束。")
    while True:
        try:
            text = read("您: ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if text.strip() in EXIT_WORDS:
            return
        try:
            print(render(session.send(text)))
        except requests.RequestException as error:
            print(f"无法连接到客服服务（{error}）。请先运行 make run。")
