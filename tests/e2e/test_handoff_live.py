"""The handoff end to end: customers on the web channel, agents in the console, the real bot in between."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import select

from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.handoff.agents import AgentService
from bot.handoff.desk import AgentDesk
from bot.handoff.models import Ticket
from bot.handoff.rasa_api import RasaApi
from bot.handoff.tickets import TicketService
from bot.runtime.serve import ServerPorts
from tests.support.chat import said
from tests.support.console_client import ConsoleAgent

PASSWORD = "agent-pass-123"


@pytest.fixture
def agent_factory(servers: ServerPorts, database_url: str) -> Iterator[Callable[[str], ConsoleAgent]]:
    """Create agents and log them into the console; all are logged out afterwards."""
    logged_in: list[ConsoleAgent] = []

    def make(name: str) -> ConsoleAgent:
        username = f"agent-{secrets.token_hex(4)}"
        with session_factory(database_url)() as session:
            AgentService(session).add(username, name, PASSWORD)
        agent = ConsoleAgent(servers.console_url, username, PASSWORD)
        logged_in.append(agent)
        return agent

    yield make
    for agent in logged_in:
        agent.logout()


def sweep_idle(servers: ServerPorts, api_token: str, database_url: str, now: datetime) -> list[Ticket]:
    """The console's abandonment sweep (10 minutes idle), run as if it were `now`."""

    async def sweep() -> list[Ticket]:
        with session_factory(database_url)() as session:
            desk = AgentDesk(session, RasaApi(servers.rasa_url, api_token), clock=lambda: now)
            return await desk.abandon_idle(timedelta(minutes=10))

    return asyncio.run(sweep())


def customer(servers: ServerPorts) -> ChatSession:
    return ChatSession(servers.rasa_url, sender=f"web-{uuid.uuid4().hex[:12]}", channel="web")


def open_ticket(database_url: str, conversation: str) -> Ticket | None:
    with session_factory(database_url)() as session:
        return TicketService(session).open_ticket(conversation)


def latest_ticket(database_url: str, conversation: str) -> Ticket:
    with session_factory(database_url)() as session:
        query = select(Ticket).where(Ticket.conversation_id == conversation).order_by(Ticket.id.desc())
        return session.scalars(query).first()


def tracker_events(servers: ServerPorts, api_token: str, conversation: str) -> list[dict[str, Any]]:
    reply = requests.get(
        f"{servers.rasa_url}/conversations/{conversation}/tracker", params={"token": api_token}, timeout=10
    )
    reply.raise_for_status()
    return reply.json()["events"]


def bot_texts(events: list[dict[str, Any]]) -> list[str]:
    return [event.get("text") or "" for event in events if event.get("event") == "bot"]


def test_request_human_full_lifecycle(
    servers: ServerPorts, database_url: str, api_token: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent = agent_factory("小王")
    chat = customer(servers)
    chat.send("你好")
    queued = said(chat.send("转人工"))
    assert "正在为您转接人工客服，您前面还有" in queued
    ticket = open_ticket(database_url, chat.sender)
    assert ticket is not None and (ticket.status, ticket.reason, ticket.channel) == ("queued", "request", "web")
    assert "request_human" in ticket.summary["intents"]
    assert ticket.id in [t["id"] for t in agent.state()["queue"]]

    assert chat.send("我的信用卡账单金额不对") == []
    assert chat.send("/restart") == []
    assert chat.send('/greet') == []
    detail = agent.get(f"/api/tickets/{ticket.id}").json()
    customer_lines = [line["text"] for line in detail["lines"] if line["role"] == "customer"]
    assert customer_lines[:3] == ["你好", "转人工", "我的信用卡账单金额不对"]
    assert len(customer_lines) == 5
    assert open_ticket(database_url, chat.sender).status == "queued"
    assert any(line["role"] == "bot" for line in detail["lines"])

    claimed = agent.post(f"/api/tickets/{ticket.id}/claim").json()
    assert (claimed["status"], claimed["agent"]) == ("assigned", "小王")
    client_id = uuid.uuid4().hex
    assert agent.say(ticket.id, "您好，我是小王，请问账单哪里不对？", client_id).json()["status"] == "delivered"
    assert agent.say(ticket.id, "您好，我是小王，请问账单哪里不对？", client_id).json()["status"] == "delivered"
    texts = bot_texts(tracker_events(servers, api_token, chat.sender))
    assert "客服 小王 为您服务" in texts
    assert texts.count("您好，我是小王，请问账单哪里不对？") == 1
    assert chat.send("上个月多扣了一笔年费") == []
    lines = agent.get(f"/api/tickets/{ticket.id}").json()["lines"]
    assert lines[-1] == {**lines[-1], "role": "customer", "text": "上个月多扣了一笔年费"}

    handed = agent.post(f"/api/tickets/{ticket.id}/handback").json()
    assert handed["status"] == "closed"
    texts = bot_texts(tracker_events(servers, api_token, chat.sender))
    assert "请您为本次人工服务打分：" in texts
    assert "感谢您的评价" in said(chat.send('/rate{"rating":"4"}'))
    assert latest_ticket(database_url, chat.sender).rating == 4
    assert "还款" in said(chat.send("信用卡怎么还款"))


def test_csrf_and_authorisation_between_two_agents(
    servers: ServerPorts, database_url: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    first, second = agent_factory("小王"), agent_factory("小李")
    chat = customer(servers)
    chat.send("人工客服")
    ticket = open_ticket(database_url, chat.sender)
    assert first.post(f"/api/tickets/{ticket.id}/claim", csrf=False).status_code == 403
    assert first.post(f"/api/tickets/{ticket.id}/claim").status_code == 200
    assert second.post(f"/api/tickets/{ticket.id}/claim").status_code == 409
    assert second.get(f"/api/tickets/{ticket.id}").status_code == 409
    assert second.say(ticket.id, "我来处理").status_code == 409
    assert ticket.id not in [t["id"] for t in second.state()["queue"] + second.state()["mine"]]

    moved = first.post(f"/api/tickets/{ticket.id}/transfer", {"agent_id": second.me["id"]}).json()
    assert moved["agent"] == "小李"
    assert first.get(f"/api/tickets/{ticket.id}").status_code == 409
    assert second.say(ticket.id, "您好，我是小李").json()["status"] == "delivered"
    assert second.post(f"/api/tickets/{ticket.id}/close").json()["status"] == "closed"
    assert requests.get(f"{servers.console_url}/api/state", timeout=10).status_code == 401


def test_idle_ticket_is_abandoned_and_the_bot_resumes(
    servers: ServerPorts, database_url: str, api_token: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent_factory("小王")
    chat = customer(servers)
    chat.send("转人工")
    assert chat.send("有人吗") == []
    ticket = open_ticket(database_url, chat.sender)
    abandoned = sweep_idle(servers, api_token, database_url, now=datetime.now() + timedelta(minutes=30))
    assert ticket.id in [t.id for t in abandoned]
    assert latest_ticket(database_url, chat.sender).status == "abandoned"
    assert "长时间没有新的消息" in " ".join(bot_texts(tracker_events(servers, api_token, chat.sender)))
    assert "还款" in said(chat.send("信用卡怎么还款"))


def test_recent_customer_messages_keep_the_ticket_open(
    servers: ServerPorts, database_url: str, api_token: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent_factory("小王")
    chat = customer(servers)
    chat.send("转人工")
    ticket = open_ticket(database_url, chat.sender)
    time.sleep(2)
    chat.send("还在排队吗")
    # Ten minutes and a second after the ticket's last activity, but the customer wrote after that.
    now = ticket.last_activity_at + timedelta(minutes=10, seconds=1)
    assert sweep_idle(servers, api_token, database_url, now=now) == []
    still_open = open_ticket(database_url, chat.sender)
    assert (still_open.id, still_open.last_activity_at) == (ticket.id, now)


def test_no_agent_online_means_leave_a_message(servers: ServerPorts, database_url: str) -> None:
    with session_factory(database_url)() as session:
        assert AgentService(session).online() == [], "another test left an agent logged in"
    chat = customer(servers)
    offer = said(chat.send("转人工"))
    assert "人工客服都不在线" in offer and "留言" in offer
    confirmed = said(chat.send("我想咨询房贷提前还款，请明天上午给我回电话"))
    assert "已收到您的留言" in confirmed
    ticket = latest_ticket(database_url, chat.sender)
    assert (ticket.kind, ticket.status) == ("message", "queued")
    assert ticket.left_message == "我想咨询房贷提前还款，请明天上午给我回电话"
    assert "还款" in said(chat.send("信用卡怎么还款"))


def test_a_question_left_as_the_message_is_kept_and_answered(servers: ServerPorts, database_url: str) -> None:
    with session_factory(database_url)() as session:
        assert AgentService(session).online() == [], "another test left an agent logged in"
    chat = customer(servers)
    chat.send("转人工")
    replies = said(chat.send("信用卡年费怎么才能免掉"))
    assert "已收到您的留言" in replies and "先为您解答" in replies and "年费" in replies
    assert latest_ticket(database_url, chat.sender).left_message == "信用卡年费怎么才能免掉"


def test_a_goodbye_instead_of_a_message_leaves_none(servers: ServerPorts, database_url: str) -> None:
    chat = customer(servers)
    chat.send("转人工")
    before = latest_ticket(database_url, chat.sender)
    assert "再见" in said(chat.send("再见"))
    after = latest_ticket(database_url, chat.sender)
    assert after is None or after.left_message is None
    assert (after.id if after else None) == (before.id if before else None)
    assert "还款" in said(chat.send("信用卡怎么还款"))


def test_complaints_and_high_risk_topics_go_to_a_human_first(
    servers: ServerPorts, database_url: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent_factory("小王")
    complaint = customer(servers)
    assert "转接人工客服" in said(complaint.send("你们服务太差了，我要投诉"))
    fraud = customer(servers)
    reply = said(fraud.send("我的信用卡被盗刷了两万块"))
    assert "优先安排人工客服" in reply
    complaint_ticket = open_ticket(database_url, complaint.sender)
    fraud_ticket = open_ticket(database_url, fraud.sender)
    assert (complaint_ticket.reason, fraud_ticket.reason) == ("complain", "high_risk")
    with session_factory(database_url)() as session:
        tickets = TicketService(session)
        assert tickets.position(fraud_ticket) < tickets.position(complaint_ticket)


def test_rejected_answers_twice_hand_over(
    servers: ServerPorts, database_url: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent_factory("小王")
    chat = customer(servers)
    chat.send("信用卡怎么还款")
    assert "抱歉没能帮到您" in said(chat.send("不对"))
    assert "手机银行" in said(chat.send("手机银行怎么开通"))
    assert "正在为您转接人工客服" in said(chat.send("还是不对"))
    assert open_ticket(database_url, chat.sender).reason == "unresolved"


def test_handoff_in_the_middle_of_a_form_ends_the_form(
    servers: ServerPorts, database_url: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent = agent_factory("小王")
    chat = customer(servers)
    assert "手机号" in said(chat.send("帮我查下账户余额"))
    assert "正在为您转接人工客服" in said(chat.send("转人工"))
    ticket = open_ticket(database_url, chat.sender)
    agent.post(f"/api/tickets/{ticket.id}/claim")
    agent.post(f"/api/tickets/{ticket.id}/close")
    assert "还款" in said(chat.send("信用卡怎么还款"))


def test_waiting_customers_are_told_when_they_move_up(
    servers: ServerPorts, database_url: str, api_token: str, agent_factory: Callable[[str], ConsoleAgent]
) -> None:
    agent = agent_factory("小王")
    first, second = customer(servers), customer(servers)
    first.send("转人工")
    second.send("转人工")
    ahead = open_ticket(database_url, second.sender).announced_position
    agent.post(f"/api/tickets/{open_ticket(database_url, first.sender).id}/claim")

    async def announce() -> int:
        with session_factory(database_url)() as session:
            return await AgentDesk(session, RasaApi(servers.rasa_url, api_token)).announce_queue_moves()

    asyncio.run(announce())  # the console's own sweep may have told the customer already
    assert f"您前面还有 {ahead - 1} 位，请稍候。" in bot_texts(tracker_events(servers, api_token, second.sender))
    assert open_ticket(database_url, second.sender).announced_position == ahead - 1
