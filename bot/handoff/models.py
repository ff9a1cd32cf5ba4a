"""SQLAlchemy models of agents, their sessions and failed logins, handoff tickets, agents' outgoing messages and
the 质检 reviews of tickets."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Float, ForeignKey, Index, Integer, String, Text, text

from bot.core.db import Base

OPEN_TICKET = text("status IN ('queued', 'assigned', 'active')")


class Agent(Base):
    """A person who logs into the console; `role` (see `bot.handoff.roles`) says what they may do."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(32), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default="agent", server_default="agent")
    created_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=True)


class AgentSession(Base):
    """A logged-in console session; only hashes of the cookie token are stored."""

    __tablename__ = "agent_sessions"

    id = Column(Integer, primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False, index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    ended_at = Column(DateTime, nullable=True)


class Ticket(Base):
    """A conversation handed to humans: a live chat (`kind` live) or a left message (`kind` message).

    Status lifecycle: queued → assigned → active → closed | abandoned. The partial unique index
    allows one open ticket per conversation.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        Index(
            "uq_tickets_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=OPEN_TICKET,
            postgresql_where=OPEN_TICKET,
        ),
        Index("ix_tickets_status_priority", "status", "priority", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    kind = Column(String(8), nullable=False)
    status = Column(String(10), nullable=False)
    reason = Column(String(32), nullable=False)
    priority = Column(Integer, nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    summary = Column(JSON, nullable=False, default=dict)
    left_message = Column(Text, nullable=True)
    announced_position = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False)
    assigned_at = Column(DateTime, nullable=True)
    last_activity_at = Column(DateTime, nullable=False)
    closed_at = Column(DateTime, nullable=True)
    close_reason = Column(String(16), nullable=True)
    rating = Column(Integer, nullable=True)
    rated_at = Column(DateTime, nullable=True)


class AgentMessage(Base):
    """A message an agent wrote: stored first, then delivered; `client_id` makes sending idempotent.

    `status` is pending → delivered, or failed (retried; `attempts` and `last_error` tell the agent).
    """

    __tablename__ = "agent_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), nullable=False, index=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=False)
    client_id = Column(String(64), nullable=False, unique=True)
    text = Column(Text, nullable=False)
    status = Column(String(10), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(String(255), nullable=True)
    created_at = Column(DateTime, nullable=False)
    delivered_at = Column(DateTime, nullable=True)


class LoginFailure(Base):
    """A wrong password at the console login, by username and client address (for the lockout)."""

    __tablename__ = "agent_login_failures"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, index=True)
    address = Column(String(64), nullable=False, index=True)
    at = Column(DateTime, nullable=False, index=True)


class TicketReview(Base):
    """The 质检 of a finished live ticket: score, flags (JSON list of `Flag.as_dict()`) and the supervisor's review.

    `served_from` / `served_until` (UNIX seconds) delimit the inspected lines of the conversation; the lines
    themselves stay in the conversation (the tracker store), so retention and erasure apply to them once.
    Deleted with its ticket.
    """

    __tablename__ = "ticket_reviews"

    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id"), nullable=True, index=True)
    score = Column(Integer, nullable=False, index=True)
    flags = Column(JSON, nullable=False, default=list)
    served_from = Column(Float, nullable=False)
    served_until = Column(Float, nullable=False)
    inspected_at = Column(DateTime, nullable=False)
    reviewed_by = Column(Integer, ForeignKey("agents.id"), nullable=True)
    reviewed_at = Column(DateTime, nullable=True, index=True)
    note = Column(Text, nullable=True)
