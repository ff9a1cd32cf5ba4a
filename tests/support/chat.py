"""Talking to the live bot in tests: what it said, its stored tracker, and passing identity verification."""

from __future__ import annotations

import re
from typing import Any

import requests
from sqlalchemy import select

from bot.accounts.models import SmsOutbox
from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.runtime.serve import ServerPorts

PHONE, ID_LAST4 = "13812345678", "1234"


def said(messages: list[dict[str, Any]]) -> str:
    """All bot text of one turn, button titles included."""
    lines = []
    for message in messages:
        lines.append(message.get("text") or "")
        lines.extend(button["title"] for button in message.get("buttons") or [])
    return "\n".join(lines)


def tracker_of(servers: ServerPorts, token: str, sender: str) -> dict[str, Any]:
    """The stored conversation tracker."""
    response = requests.get(
        f"{servers.rasa_url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def latest_code(database_url: str, phone: str) -> str:
    """The one-time code the SMS gateway stub delivered last to `phone`."""
    with session_factory(database_url)() as session:
        text = session.scalars(
            select(SmsOutbox.text).where(SmsOutbox.phone == phone).order_by(SmsOutbox.id.desc())
        ).first()
    match = re.search(r"\d{6}", text or "")
    assert match, "no code was sent"
    return match.group()


def verify(chat: ChatSession, database_url: str, request: str, phone: str = PHONE, last4: str = ID_LAST4) -> str:
    """Ask for a personal-data skill, pass verification, return the skill's reply."""
    assert "验证身份" in said(chat.send(request))
    assert "身份证" in said(chat.send(phone))
    assert "验证码已发送" in said(chat.send(last4))
    reply = said(chat.send(latest_code(database_url, phone)))
    assert "身份验证成功" in reply
    return reply
