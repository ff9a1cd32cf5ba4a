"""The embedded default is durable: a conversation in the middle of a form survives `kill -9` of every server,
and analytics are recorded, and reported, without RabbitMQ."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.analytics.events import conversation_key
from bot.analytics.models import ConversationEvent
from bot.content.files import import_content
from bot.core.db import session_factory
from bot.core.paths import KNOWLEDGE_BASE_DIR
from bot.db.seed import seed_demo_customers
from bot.devtools.shell import ChatSession
from bot.operations.report import build_report
from bot.runtime.serve import ServerPorts, start_servers, stop_servers, wait_until_ready
from tests.support.chat import ID_LAST4, PHONE, latest_code, said
from tests.support.servers import free_port


def start(model: Path, token: str) -> tuple[ServerPorts, list]:
    ports = ServerPorts(rasa=free_port(), actions=free_port(), console=free_port())
    processes = start_servers(model, ports, token)
    try:
        wait_until_ready(ports, processes)
    except BaseException:
        stop_servers(processes)
        raise
    return ports, processes


def kill(processes: list) -> None:
    """What a power cut does: no chance to flush or close anything."""
    for process in processes:
        process.kill()
    for process in processes:
        process.wait(timeout=30)


def test_a_verification_in_progress_continues_after_the_servers_are_killed(
    model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = f"sqlite:///{tmp_path / 'kefu.db'}"
    import_content(KNOWLEDGE_BASE_DIR, database)
    seed_demo_customers(database)
    monkeypatch.setenv("DATABASE_URL", database)
    token = secrets.token_hex(8)

    ports, processes = start(model_path, token)
    try:
        chat = ChatSession(ports.rasa_url)
        assert "验证身份" in said(chat.send("帮我查下账户余额"))
        assert "身份证" in said(chat.send(PHONE))
    finally:
        kill(processes)

    ports, processes = start(model_path, token)
    try:
        resumed = ChatSession(ports.rasa_url, sender=chat.sender)
        assert "验证码已发送" in said(resumed.send(ID_LAST4))
        reply = said(resumed.send(latest_code(database, PHONE)))
        assert "身份验证成功" in reply and "尾号3321" in reply and "¥" in reply
    finally:
        stop_servers(processes)

    with session_factory(database)() as session:
        rows = session.scalars(
            select(ConversationEvent).where(ConversationEvent.conversation == conversation_key(chat.sender))
        ).all()
        report = build_report(session)
    assert "check_balance" in {row.intent for row in rows if row.event == "user"}
    assert {row.channel for row in rows if row.event == "user"} == {"web"}
    assert (report["conversations"], report["handoff_rate"]) == (1, 0.0)
