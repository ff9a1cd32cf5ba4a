"""质检 against the real bot: a ticket the agent closes is scored at once from its conversation in Rasa, and an
abandoned one by the console's catch-up sweep."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime, timedelta

from bot.core.db import session_factory
from bot.devtools.shell import ChatSession
from bot.handoff.agents import AgentService
from bot.handoff.desk import AgentDesk
from bot.handoff.models import TicketReview
from bot.handoff.rasa_api import RasaApi
from bot.handoff.reviews import inspect_finished
from bot.handoff.tickets import TicketService
from bot.runtime.serve import ServerPorts
from tests.support.console_client import ConsoleAgent

PASSWORD = "agent-pass-123"


def serving_agent(servers: ServerPorts, database_url: str) -> ConsoleAgent:
    username = f"qc-{secrets.token_hex(4)}"
    with session_factory(database_url)() as session:
        AgentService(session).add(username, "小质", PASSWORD)
    return ConsoleAgent(servers.console_url, username, PASSWORD)


def handed_over(servers: ServerPorts, database_url: str) -> tuple[ChatSession, int]:
    chat = ChatSession(servers.rasa_url, sender=f"web-{uuid.uuid4().hex[:12]}", channel="web")
    chat.send("转人工")
    with session_factory(database_url)() as session:
        return chat, TicketService(session).open_ticket(chat.sender).id


def review_of(database_url: str, ticket: int) -> TicketReview | None:
    with session_factory(database_url)() as session:
        return session.get(TicketReview, ticket)


def test_closing_scores_the_conversation_from_the_agents_arrival(servers: ServerPorts, database_url: str) -> None:
    agent = serving_agent(servers, database_url)
    try:
        chat, ticket = handed_over(servers, database_url)
        assert agent.post(f"/api/tickets/{ticket}/claim").status_code == 200
        assert agent.say(ticket, "放心，稳赚不赔").status_code == 200
        chat.send("真的吗")
        assert agent.say(ticket, "您好，是真的").status_code == 200
        assert agent.post(f"/api/tickets/{ticket}/close").status_code == 200
        review = review_of(database_url, ticket)
        assert review is not None and review.agent_id == agent.me["id"]
        assert [(flag["rule"], flag["line"]) for flag in review.flags] == [
            ("forbidden_phrase", 1), ("no_greeting", 1),
        ]
        assert review.score == 60
    finally:
        agent.logout()


def test_the_sweep_scores_an_abandoned_ticket(servers: ServerPorts, database_url: str, api_token: str) -> None:
    agent = serving_agent(servers, database_url)
    try:
        _chat, ticket = handed_over(servers, database_url)
        assert agent.post(f"/api/tickets/{ticket}/claim").status_code == 200
    finally:
        agent.logout()
    rasa = RasaApi(servers.rasa_url, api_token)
    later = datetime.now() + timedelta(minutes=11)

    async def abandon_then_sweep() -> list[int]:
        with session_factory(database_url)() as session:
            abandoned = await AgentDesk(session, rasa, clock=lambda: later).abandon_idle(timedelta(minutes=10))
            await inspect_finished(session, rasa, clock=lambda: later)  # unless the console's own sweep was first
            return [item.id for item in abandoned]

    assert ticket in asyncio.run(abandon_then_sweep())
    review = review_of(database_url, ticket)
    assert [flag["rule"] for flag in review.flags] == ["slow_first_response"]
    assert review.flags[0]["line"] == -1 and review.score == 90
