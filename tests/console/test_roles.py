"""Role checks: the decorators on their own, then every route of the running console for every role."""

from __future__ import annotations

import asyncio
import json as json_module
import secrets
import time
from typing import Any

import pytest
import requests
from sanic.response import HTTPResponse, json

from bot.console.roles import AGENT, APPROVER, EDITOR, SUPERVISOR, require_role, role_page
from bot.core.db import session_factory
from bot.handoff.agents import AgentService
from bot.handoff.models import Agent
from bot.handoff.tickets import TicketService
from tests.console.conftest import Console
from tests.support.console_client import ConsoleAgent

PASSWORD = "console-pass-1"


@require_role(SUPERVISOR, APPROVER)
async def guarded(_request: Any, _session: Any, agent: Agent, csrf: str, ticket_id: int) -> HTTPResponse:
    return json({"agent": agent.username, "csrf": csrf, "ticket": ticket_id})


@pytest.mark.parametrize(("role", "status"), [(AGENT, 403), (EDITOR, 403), (SUPERVISOR, 200), (APPROVER, 200)])
def test_require_role_passes_only_the_allowed_roles(role: str, status: int) -> None:
    reply = asyncio.run(guarded(None, None, Agent(username="u", role=role), "token", ticket_id=7))
    assert reply.status == status
    expected = {"error": "您没有权限访问此页面"} if status == 403 else {"agent": "u", "csrf": "token", "ticket": 7}
    assert json_module.loads(reply.body) == expected


def test_role_checks_refuse_unknown_or_missing_roles() -> None:
    for decorator in (require_role, role_page):
        with pytest.raises(ValueError):
            decorator("admin")
        with pytest.raises(ValueError):
            decorator()


def account(console: Console, role: str) -> ConsoleAgent:
    username = f"{role}-{secrets.token_hex(4)}"
    with session_factory(console.database_url)() as session:
        AgentService(session).add(username, f"{role}者", PASSWORD, role)
    return ConsoleAgent(console.url, username, PASSWORD)


def left_message(console: Console) -> int:
    with session_factory(console.database_url)() as session:
        return TicketService(session).leave_message(f"web-{secrets.token_hex(6)}", "web", "请回电", None, {}).id


TICKET_ROUTES = [
    ("GET", "/api/state"), ("GET", "/api/tickets/{ticket}"), ("GET", "/api/quick-replies"),
    ("POST", "/api/tickets/{ticket}/claim"), ("POST", "/api/tickets/{ticket}/transfer"),
    ("POST", "/api/tickets/{ticket}/messages"), ("POST", "/api/tickets/{ticket}/close"),
    ("POST", "/api/tickets/{ticket}/handback"), ("POST", "/api/messages/1/retry"),
]
SUPERVISOR_ROUTES = [
    ("GET", "/api/supervisor/live"), ("POST", "/api/supervisor/tickets/{ticket}/reassign"),
    ("GET", "/api/quality/reviews"), ("GET", "/api/quality/reviews/{ticket}"),
    ("POST", "/api/quality/reviews/{ticket}/reviewed"),
]


def call(user: ConsoleAgent, method: str, path: str, ticket: int) -> requests.Response:
    path = path.format(ticket=ticket)
    return user.get(path) if method == "GET" else user.post(path, {})


@pytest.mark.parametrize("role", [EDITOR, APPROVER])
def test_editors_and_approvers_see_no_tickets(console: Console, role: str) -> None:
    user, ticket = account(console, role), left_message(console)
    assert user.me["role"] == role and user.me["serves_tickets"] is False
    for method, path in TICKET_ROUTES + SUPERVISOR_ROUTES:
        reply = call(user, method, path, ticket)
        assert (path, reply.status_code, reply.json()) == (path, 403, {"error": "您没有权限访问此页面"})
    with session_factory(console.database_url)() as session:
        assert TicketService(session).get(ticket).status == "queued"


def test_an_agent_serves_tickets_but_never_sees_the_supervisor_pages(console: Console) -> None:
    user, ticket = account(console, AGENT), left_message(console)
    assert user.me["serves_tickets"] is True
    assert user.get("/api/state").status_code == 200
    assert user.get(f"/api/tickets/{ticket}").status_code == 200
    for method, path in SUPERVISOR_ROUTES:
        reply = call(user, method, path, ticket)
        assert (path, reply.status_code, reply.json()) == (path, 403, {"error": "您没有权限访问此页面"})
    page = user.get("/supervisor")
    assert page.status_code == 403 and "您没有权限访问此页面" in page.text


def test_a_supervisor_serves_tickets_and_sees_the_supervisor_pages(console: Console) -> None:
    user, ticket = account(console, SUPERVISOR), left_message(console)
    assert user.get("/api/state").status_code == 200
    assert user.post(f"/api/tickets/{ticket}/claim").status_code == 200
    assert user.get("/api/supervisor/live").status_code == 200
    assert user.get("/api/quality/reviews").json() == []
    page = user.get("/supervisor")
    assert page.status_code == 200 and "质检" in page.content.decode()


def test_pages_send_strangers_to_the_login_and_the_api_answers_401(console: Console) -> None:
    page = requests.get(f"{console.url}/supervisor", allow_redirects=False, timeout=10)
    assert (page.status_code, page.headers["Location"]) == (302, "/login")
    assert requests.get(f"{console.url}/api/supervisor/live", timeout=10).status_code == 401


def test_tickets_are_transferred_only_to_colleagues_who_serve(console: Console) -> None:
    agent, editor = account(console, AGENT), account(console, EDITOR)
    ticket = left_message(console)
    assert agent.post(f"/api/tickets/{ticket}/claim").status_code == 200
    colleagues = {colleague["id"] for colleague in agent.state()["agents"]}
    assert editor.me["id"] not in colleagues
    refused = agent.post(f"/api/tickets/{ticket}/transfer", {"agent_id": editor.me["id"]})
    assert refused.status_code == 409


def test_a_supervisor_reassigns_a_ticket_whose_agent_is_silent(console: Console) -> None:
    boss, slow, helper = account(console, SUPERVISOR), account(console, AGENT), account(console, AGENT)
    ticket = left_message(console)
    assert slow.post(f"/api/tickets/{ticket}/claim").status_code == 200
    early = boss.post(f"/api/supervisor/tickets/{ticket}/reassign", {"agent_id": helper.me["id"]})
    assert early.status_code == 409 and "暂不能改派" in early.json()["error"]
    time.sleep(3.2)  # the console's rules allow 2 seconds (the clock counts whole seconds)
    live = {agent["id"]: agent for agent in boss.get("/api/supervisor/live").json()["agents"]}
    watched = live[slow.me["id"]]["tickets"]
    assert [(item["id"], item["overdue"]) for item in watched] == [(ticket, True)]
    moved = boss.post(f"/api/supervisor/tickets/{ticket}/reassign", {"agent_id": helper.me["id"]})
    assert moved.status_code == 200 and moved.json()["agent_id"] == helper.me["id"]
    assert [item["id"] for item in helper.state()["mine"]] == [ticket]
    assert slow.state()["mine"] == []
    assert [entry.purpose for entry in console.audit(boss.me["username"])][-1] == f"reassign_to:{helper.me['id']}"
