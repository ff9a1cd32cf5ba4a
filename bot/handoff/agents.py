"""Agents: accounts, console logins (sessions with CSRF tokens) and who is online."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.clock import Clock, system_clock
from bot.handoff.config import AGENT_ONLINE_WINDOW
from bot.handoff.models import Agent, AgentSession
from bot.handoff.passwords import hash_password, verify_password
from bot.handoff.roles import AGENT, SERVES_TICKETS, check_role

SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 8


class AgentExists(ValueError):
    """An agent with that username already exists."""


@dataclass(frozen=True)
class Login:
    """A new console session: the cookie token (shown once) and the CSRF token."""

    agent: Agent
    token: str
    csrf_token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")


class AgentService:
    """Create agents, change their passwords, log them in and out, and tell who is online."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    def add(self, username: str, display_name: str, password: str, role: str = AGENT) -> Agent:
        """Create an account with a role (see `bot.handoff.roles`); raises `AgentExists` for a taken username,
        `ValueError` for a weak password or an unknown role."""
        _check_strength(password)
        check_role(role)
        if self.by_username(username) is not None:
            raise AgentExists(username)
        agent = Agent(
            username=username, display_name=display_name, password_hash=hash_password(password), role=role,
            created_at=self.clock(),
        )
        self.session.add(agent)
        self.session.commit()
        return agent

    def change_password(self, username: str, password: str) -> int:
        """Set a new password and end every session of the agent; returns how many sessions were ended.

        Raises `LookupError` for an unknown username, `ValueError` for a weak password.
        """
        _check_strength(password)
        agent = self.by_username(username)
        if agent is None:
            raise LookupError(username)
        agent.password_hash = hash_password(password)
        now = self.clock()
        ended = self.session.execute(
            update(AgentSession)
            .where(AgentSession.agent_id == agent.id, AgentSession.ended_at.is_(None))
            .values(ended_at=now)
        ).rowcount
        agent.last_seen_at = None
        self.session.commit()
        return ended

    def by_username(self, username: str) -> Agent | None:
        """The agent with this username, if any."""
        return self.session.scalars(select(Agent).where(Agent.username == username)).first()

    def all(self) -> list[Agent]:
        """Every agent, by display name."""
        return list(self.session.scalars(select(Agent).order_by(Agent.display_name)))

    def login(self, username: str, password: str) -> Login | None:
        """Check the password and open a session; None when the credentials are wrong."""
        agent = self.by_username(username)
        if agent is None or not verify_password(password, agent.password_hash):
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = self.clock()
        self.session.add(
            AgentSession(
                agent_id=agent.id, token_hash=_token_hash(token), csrf_token=csrf, created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        agent.last_seen_at = now
        self.session.commit()
        return Login(agent, token, csrf)

    def session_for(self, token: str) -> tuple[Agent, AgentSession] | None:
        """The agent and session of a live cookie token, recording that the agent is present."""
        record = self.session.scalars(select(AgentSession).where(AgentSession.token_hash == _token_hash(token))).first()
        now = self.clock()
        if record is None or record.ended_at is not None or record.expires_at <= now:
            return None
        agent = self.session.get(Agent, record.agent_id)
        agent.last_seen_at = now
        self.session.commit()
        return agent, record

    def logout(self, token: str) -> None:
        """End the session of this token; the agent goes offline if it was their last one."""
        record = self.session.scalars(select(AgentSession).where(AgentSession.token_hash == _token_hash(token))).first()
        if record is None or record.ended_at is not None:
            return
        record.ended_at = self.clock()
        if not self._has_live_session(record.agent_id):
            self.session.get(Agent, record.agent_id).last_seen_at = None
        self.session.commit()

    def online(self) -> list[Agent]:
        """Accounts that serve tickets (agents, supervisors) with a live session whose console checked in recently;
        a logged-in editor or approver does not make the human service available."""
        now = self.clock()
        agents = self.session.scalars(
            select(Agent).where(
                Agent.last_seen_at.is_not(None), Agent.last_seen_at > now - AGENT_ONLINE_WINDOW,
                Agent.role.in_(SERVES_TICKETS),
            )
        )
        return [agent for agent in agents if self._has_live_session(agent.id)]

    def _has_live_session(self, agent_id: int) -> bool:
        now = self.clock()
        return self.session.scalars(
            select(AgentSession.id).where(
                AgentSession.agent_id == agent_id, AgentSession.ended_at.is_(None), AgentSession.expires_at > now
            )
        ).first() is not None
