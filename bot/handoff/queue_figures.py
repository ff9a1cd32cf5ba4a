"""The handoff figures a scrape reads from the application database: live chats waiting, tickets being served,
agents online and the longest wait so far. The console (the process serving the agents) binds them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.core.clock import Clock, system_clock
from bot.core.db import database_session
from bot.handoff.agents import AgentService
from bot.handoff.models import Ticket
from bot.observability.metrics import bind_handoff_gauges

T = TypeVar("T")
SERVED = ("assigned", "active")


def queue_length() -> float:
    """Live-chat tickets waiting for an agent."""
    return _read(lambda session: session.scalar(
        select(func.count(Ticket.id)).where(Ticket.status == "queued", Ticket.kind == "live")))


def active_tickets() -> float:
    """Tickets claimed by an agent and not closed."""
    return _read(lambda session: session.scalar(select(func.count(Ticket.id)).where(Ticket.status.in_(SERVED))))


def agents_online() -> float:
    """Agents with a live console session that checked in within the online window."""
    return _read(lambda session: len(AgentService(session).online()))


def oldest_wait(clock: Clock = system_clock) -> float:
    """Seconds the longest-waiting live-chat ticket has waited; 0 when none waits."""
    oldest = _read(lambda session: session.scalar(
        select(func.min(Ticket.created_at)).where(Ticket.status == "queued", Ticket.kind == "live")))
    return max(0.0, (clock() - oldest).total_seconds()) if isinstance(oldest, datetime) else float(oldest)


def bind_queue_gauges() -> None:
    """Have the handoff gauges of this process's `/metrics` read these figures at each scrape."""
    bind_handoff_gauges(queue_length, active_tickets, agents_online, oldest_wait)


def _read(query: Callable[..., T]) -> T | float:
    """The query's answer, or NaN when the database cannot answer (the scrape itself still succeeds)."""
    try:
        with database_session() as session:
            return query(session) or 0
    except SQLAlchemyError:
        return float("nan")
