"""Play chat scripts against a running kefu server and report each step (✓/✗) with expected vs actual.

Messages go through the `web` channel (with the conversation's metadata); intents and response names are read
from the conversation tracker of Rasa's HTTP API, which needs the server's API token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from bot.devtools.script import Conversation, Script, Step
from bot.devtools.shell import ChatSession


class ServerError(Exception):
    """The server cannot be reached or refuses the API token: the script cannot be checked at all."""


@dataclass(frozen=True)
class Turn:
    """What the bot did in answer to one customer message."""

    texts: tuple[str, ...]
    buttons: tuple[str, ...]
    intent: str | None = None
    confidence: float | None = None
    responses: tuple[str, ...] = ()


@dataclass
class Summary:
    """Steps passed and failed so far."""

    passed: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        """The closing summary line."""
        return f"{self.passed} passed, {self.failed} failed（通过 {self.passed} 步，失败 {self.failed} 步）"


class ScriptClient:
    """Talks to one server: sends over the web channel, reads trackers with the API token."""

    def __init__(self, base_url: str, token: str | None, timeout: float = 60) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def session(self, metadata: dict[str, Any] | None) -> ChatSession:
        """A new customer conversation under a fresh sender id."""
        sender = f"script-{uuid.uuid4().hex[:12]}"
        return ChatSession(self.base_url, sender, self.timeout, channel="web", metadata=metadata)

    def play(self, session: ChatSession, step: Step) -> Turn:
        """Send the step's message and observe the bot's turn."""
        try:
            messages = session.send(step.user)
        except requests.RequestException as error:
            message = f"无法与客服服务 {self.base_url} 通信（{error}）。请先运行 kefu run，或加 --in-process。"
            raise ServerError(message) from error
        texts = tuple(message["text"] for message in messages if message.get("text"))
        buttons = tuple(str(button.get("title")) for message in messages for button in message.get("buttons") or [])
        if not step.needs_tracker:
            return Turn(texts, buttons)
        intent, confidence, responses = self._tracker_turn(session.sender)
        return Turn(texts, buttons, intent, confidence, responses)

    def _tracker_turn(self, sender: str) -> tuple[str | None, float | None, tuple[str, ...]]:
        """The latest user intent and the response names uttered after it."""
        url = f"{self.base_url}/conversations/{sender}/tracker"
        try:
            response = requests.get(url, params={"token": self.token}, timeout=self.timeout)
        except requests.RequestException as error:
            raise ServerError(f"无法读取对话记录（{error}）") from error
        if response.status_code in (401, 403):
            raise ServerError("Rasa HTTP API 拒绝了令牌：请检查 --token 或环境变量 KEFU_API_TOKEN 是否与服务端一致。")
        if response.status_code != 200:
            raise ServerError(f"读取对话记录失败：HTTP {response.status_code}（服务端是否以 --enable-api 启动？）")
        tracker: dict[str, Any] = response.json()
        intent = (tracker.get("latest_message") or {}).get("intent") or {}
        events: list[dict[str, Any]] = tracker.get("events") or []
        last_user = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=-1)
        responses = tuple(
            event["metadata"]["utter_action"]
            for event in events[last_user + 1:]
            if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action")
        )
        return intent.get("name"), intent.get("confidence"), responses


def mismatches(step: Step, turn: Turn) -> list[str]:
    """Every way the turn differs from what the step expects, as expected-vs-actual lines."""
    problems: list[str] = []
    if step.intent is not None and turn.intent != step.intent:
        confidence = f"（置信度 {turn.confidence:.2f}）" if turn.confidence is not None else ""
        problems.append(f"意图：期望 {step.intent}，实际 {turn.intent or '无'}{confidence}")
    missing = [name for name in step.responses if name not in turn.responses]
    if missing:
        problems.append(f"回复模板：期望 {'、'.join(step.responses)}，实际 {'、'.join(turn.responses) or '无'}")
    if step.text is not None and not any(step.text.search(text) for text in turn.texts):
        problems.append(f"文本：期望匹配 /{step.text.pattern}/，实际 {_quoted(turn.texts)}")
    absent = [title for title in step.buttons if title not in turn.buttons]
    if absent:
        problems.append(f"按钮：期望包含 {'、'.join(step.buttons)}，实际 {'、'.join(turn.buttons) or '无'}")
    if step.no_reply and (turn.texts or turn.buttons):
        problems.append(f"期望没有回复，实际回复了 {_quoted(turn.texts)}")
    return problems


def _quoted(texts: tuple[str, ...]) -> str:
    return "、".join(f"「{text}」" for text in texts) if texts else "（无回复）"


def run_conversation(
    client: ScriptClient, script: Script, conversation: Conversation, summary: Summary, write: Callable[[str], None]
) -> None:
    """Play one conversation step by step, writing a line per step and the differences of failed steps."""
    session = client.session(conversation.metadata)
    for number, step in enumerate(conversation.steps, start=1):
        problems = mismatches(step, client.play(session, step))
        where = f"{script.path}:{step.line}"
        label = f"{conversation.name} 第 {number} 步「{step.user}」"
        if problems:
            summary.failed += 1
            summary.failures.append(f"{label}（{where}）")
            write(f"✗ {label}  {where}")
            for problem in problems:
                write(f"    {problem}")
        else:
            summary.passed += 1
            write(f"✓ {label}")


def run_scripts(client: ScriptClient, scripts: list[Script], write: Callable[[str], None] = print) -> Summary:
    """Play every conversation of every script; raises `ServerError` if the server cannot be used."""
    summary = Summary()
    for script in scripts:
        for conversation in script.conversations:
            run_conversation(client, script, conversation, summary, write)
    write(summary.line)
    return summary
