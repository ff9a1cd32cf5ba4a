"""Roles of console accounts: stored with the account, checked by name, demo accounts of each role."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.core.db import session_factory
from bot.db.migrate import upgrade
from bot.handoff.agents import AgentService
from bot.handoff.demo import DEMO_AGENTS, seed_demo_agents
from bot.handoff.roles import AGENT, APPROVER, EDITOR, ROLES, SERVES_TICKETS, SUPERVISOR, check_role
from tests.support.clock import ManualClock


def test_an_account_is_an_agent_unless_given_a_role(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    assert agents.add("wang", "小王", "password-1").role == AGENT
    assert agents.add("zhao", "赵主管", "password-1", SUPERVISOR).role == SUPERVISOR
    session.expire_all()
    assert agents.by_username("zhao").role == SUPERVISOR


def test_unknown_roles_are_refused(session: Session, clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="角色"):
        AgentService(session, clock).add("boss", "老板", "password-1", "admin")
    assert AgentService(session, clock).by_username("boss") is None
    assert [check_role(role) for role in ROLES] == list(ROLES)


def test_agents_and_supervisors_serve_tickets_editors_and_approvers_do_not() -> None:
    assert set(SERVES_TICKETS) == {AGENT, SUPERVISOR}
    assert EDITOR not in SERVES_TICKETS and APPROVER not in SERVES_TICKETS


def test_demo_accounts_cover_every_role(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    assert seed_demo_agents(url) == len(DEMO_AGENTS)
    assert seed_demo_agents(url) == 0
    with session_factory(url)() as session:
        roles = {agent.role for agent in AgentService(session).all()}
    assert roles == set(ROLES)


def test_a_logged_in_editor_or_approver_is_not_an_agent_online(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    for username, role in (("qian", EDITOR), ("sun", APPROVER), ("zhao", SUPERVISOR)):
        agents.add(username, username, "password-1", role)
        agents.login(username, "password-1")
    assert [agent.username for agent in agents.online()] == ["zhao"]
