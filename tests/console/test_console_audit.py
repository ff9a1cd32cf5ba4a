"""The running console: every agent action and ticket panel read in the audit log, the login lockout per
username and per client address, and a password change ending the agent's sessions."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from sqlalchemy import select

from bot.accounts.models import Customer
from bot.console.trail import TICKET_PANEL
from bot.core.db import session_factory
from bot.core.paths import PROJECT_ROOT
from bot.handoff.agents import AgentService
from bot.handoff.tickets import TicketService
from tests.console.conftest import LOCKOUT_FAILURES, Console
from tests.support.console_client import ConsoleAgent

PASSWORD = "console-pass-1"


def new_agent(console: Console) -> str:
    username = f"agent-{secrets.token_hex(4)}"
    with session_factory(console.database_url)() as session:
        AgentService(session).add(username, "小周", PASSWORD)
    return username


def left_message(console: Console) -> tuple[int, int]:
    """A ticket left by the verified demo customer 张伟: (ticket id, customer id)."""
    with session_factory(console.database_url)() as session:
        customer = session.scalars(select(Customer.id).where(Customer.phone == "13812345678")).one()
        ticket = TicketService(session).leave_message(
            f"web-{secrets.token_hex(6)}", "web", "请回电话", customer, {"intents": ["request_human"]}
        )
        return ticket.id, customer


def test_agent_actions_and_the_ticket_panel_are_in_the_audit_log(console: Console) -> None:
    username = new_agent(console)
    ticket_id, customer = left_message(console)
    agent = ConsoleAgent(console.url, username, PASSWORD)
    assert agent.get(f"/api/tickets/{ticket_id}").status_code == 200
    assert agent.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    assert agent.say(ticket_id, "您好，我是小周").status_code == 200
    assert agent.post(f"/api/tickets/{ticket_id}/close").status_code == 200
    agent.logout()

    entries = console.audit(username)
    assert [entry.purpose for entry in entries] == ["login", "open_ticket", "claim", "send_message", "closed", "logout"]
    assert {entry.actor_kind for entry in entries} == {"agent"}
    opened = entries[1]
    assert (opened.customer_id, opened.ticket_id, opened.fields) == (customer, ticket_id, list(TICKET_PANEL))
    assert opened.address == "127.0.0.1"


def test_wrong_passwords_lock_the_username_from_any_address(console: Console) -> None:
    username, colleague = new_agent(console), new_agent(console)
    for attempt in range(LOCKOUT_FAILURES):
        refused = console.login(username, "wrong-password", f"10.0.1.{attempt + 1}")
        assert refused.headers["Location"] == "/login?error=1"
    locked = console.login(username, PASSWORD, "10.0.1.50")
    assert locked.headers["Location"] == "/login?locked=15"
    assert "kefu_console" not in locked.cookies
    assert console.login(colleague, PASSWORD, "10.0.1.1").headers["Location"] == "/"
    assert [entry.purpose for entry in console.audit(username)] == ["login_failed"] * LOCKOUT_FAILURES + [
        "login_locked"
    ]


def test_wrong_passwords_from_one_address_lock_it_for_every_username(console: Console) -> None:
    username = new_agent(console)
    for attempt in range(LOCKOUT_FAILURES):
        console.login(f"guess-{attempt}-{secrets.token_hex(2)}", "wrong-password", "10.0.2.1")
    assert console.login(username, PASSWORD, "10.0.2.1").headers["Location"].startswith("/login?locked=")
    assert console.login(username, PASSWORD, "10.0.2.2").headers["Location"] == "/"


def test_changing_the_password_ends_the_agents_sessions(console: Console) -> None:
    username = new_agent(console)
    agent = ConsoleAgent(console.url, username, PASSWORD)
    assert agent.get("/api/me").status_code == 200
    changed = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "agent", "passwd", username, "--password-stdin"],
        cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": console.database_url}, input="new-password-2\n",
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert changed.returncode == 0, changed.stderr
    assert "结束了 1 个登录会话" in changed.stdout
    assert agent.get("/api/me").status_code == 401
    assert console.login(username, PASSWORD, "10.0.3.1").headers["Location"] == "/login?error=1"
    assert console.login(username, "new-password-2", "10.0.3.1").headers["Location"] == "/"
