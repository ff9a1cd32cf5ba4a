"""Agent accounts, logins and presence on a real SQLite database."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.handoff.agents import AgentExists, AgentService
from bot.handoff.passwords import hash_password, verify_password
from tests.support.clock import ManualClock


def test_passwords_are_salted_hashes() -> None:
    first, second = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert first != second and "s3cret-pass" not in first
    assert verify_password("s3cret-pass", first)
    assert not verify_password("wrong-pass", first)
    assert not verify_password("s3cret-pass", "garbage")


def test_add_rejects_duplicates_and_short_passwords(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    agents.add("wang", "小王", "password-1")
    with pytest.raises(AgentExists):
        agents.add("wang", "小王二号", "password-2")
    with pytest.raises(ValueError):
        agents.add("li", "小李", "short")


def test_login_session_presence_and_logout(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    agent = agents.add("wang", "小王", "password-1")
    assert agents.login("wang", "wrong-password") is None
    assert agents.login("nobody", "password-1") is None
    assert agents.online() == []
    login = agents.login("wang", "password-1")
    assert login is not None and login.agent.id == agent.id
    assert agents.session_for(login.token)[0].id == agent.id
    assert agents.session_for("forged-token") is None
    assert [a.id for a in agents.online()] == [agent.id]
    clock.advance(minutes=2)
    assert agents.online() == []
    agents.session_for(login.token)
    assert [a.id for a in agents.online()] == [agent.id]
    agents.logout(login.token)
    assert agents.session_for(login.token) is None
    assert agents.online() == []


def test_sessions_expire(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    agents.add("wang", "小王", "password-1")
    login = agents.login("wang", "password-1")
    clock.advance(hours=13)
    assert agents.session_for(login.token) is None


def test_a_password_change_ends_every_session_of_that_agent_only(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    agents.add("wang", "小王", "password-1")
    agents.add("li", "小李", "password-1")
    desk = agents.login("wang", "password-1")
    laptop = agents.login("wang", "password-1")
    other = agents.login("li", "password-1")
    with pytest.raises(ValueError):
        agents.change_password("wang", "short")
    with pytest.raises(LookupError):
        agents.change_password("nobody", "password-2")
    assert agents.session_for(desk.token) is not None
    assert agents.change_password("wang", "password-2") == 2
    assert agents.session_for(desk.token) is None and agents.session_for(laptop.token) is None
    assert agents.session_for(other.token) is not None
    assert agents.login("wang", "password-1") is None and agents.login("wang", "password-2") is not None
