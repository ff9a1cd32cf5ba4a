"""Handoff tickets: opening (one open ticket per conversation), the queue, claiming, closing, ratings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.clock import Clock, system_clock
from bot.handoff.models import Ticket
from bot.observability.metrics import HANDOFF_WAIT_SECONDS

OPEN_STATUSES = ("queued", "assigned", "active")
PRIORITY = {"high_risk": 1, "complain": 2, "unresolved": 3, "request": 3, "message": 4}
RATING_WINDOW = timedelta(hours=1)


class TicketConflict(Exception):
    """The ticket is not in a state that allows this (already claimed, closed, someone else's)."""


class TicketService:
    """Every change to tickets goes through here, so the lifecycle rules hold in one place."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    def open_ticket(self, conversation_id: str) -> Ticket | None:
        """The conversation's open ticket, if any."""
        return self.session.scalars(
            select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status.in_(OPEN_STATUSES))
        ).first()

    def get(self, ticket_id: int) -> Ticket | None:
        """A ticket by id."""
        return self.session.get(Ticket, ticket_id)

    def request_live(
        self, conversation_id: str, channel: str, reason: str, customer_id: int | None, summary: Mapping[str, Any]
    ) -> Ticket:
        """Queue the conversation for a live agent, or return its open ticket (a left message becomes live)."""
        existing = self.open_ticket(conversation_id)
        if existing is None:
            existing = self._insert(conversation_id, channel, "live", reason, customer_id, summary, None)
        elif existing.kind == "message":
            existing.kind, existing.reason = "live", reason
            existing.priority = PRIORITY.get(reason, 3)
            existing.last_activity_at = self.clock()
            self.session.commit()
        return existing

    def leave_message(
        self, conversation_id: str, channel: str, text: str, customer_id: int | None, summary: Mapping[str, Any]
    ) -> Ticket:
        """Record a message for agents to follow up later; appended to an open ticket if there is one."""
        existing = self.open_ticket(conversation_id)
        if existing is None:
            return self._insert(conversation_id, channel, "message", "message", customer_id, summary, text)
        existing.left_message = "\n".join(part for part in (existing.left_message, text) if part)
        existing.last_activity_at = self.clock()
        self.session.commit()
        return existing

    def _insert(
        self, conversation_id: str, channel: str, kind: str, reason: str, customer_id: int | None,
        summary: Mapping[str, Any], left_message: str | None,
    ) -> Ticket:
        now = self.clock()
        ticket = Ticket(
            conversation_id=conversation_id, channel=channel, kind=kind, status="queued", reason=reason,
            priority=PRIORITY.get(reason, 3), customer_id=customer_id, summary=dict(summary),
            left_message=left_message, created_at=now, last_activity_at=now,
        )
        self.session.add(ticket)
        try:
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            existing = self.open_ticket(conversation_id)
            if existing is None:
                raise
            return existing
        return ticket

    def position(self, ticket: Ticket) -> int:
        """How many queued live tickets are served before this one."""
        ahead = or_(
            Ticket.priority < ticket.priority,
            (Ticket.priority == ticket.priority) & (Ticket.created_at < ticket.created_at),
            (Ticket.priority == ticket.priority) & (Ticket.created_at == ticket.created_at) & (Ticket.id < ticket.id),
        )
        query = select(func.count(Ticket.id)).where(Ticket.status == "queued", Ticket.kind == "live", ahead)
        return int(self.session.scalar(query) or 0)

    def announce_position(self, ticket: Ticket) -> int:
        """The ticket's queue position, remembered as the one the customer was last told."""
        ticket.announced_position = self.position(ticket)
        self.session.commit()
        return ticket.announced_position

    def moved_up(self) -> list[tuple[Ticket, int]]:
        """Queued live tickets whose position improved since the customer was last told, with the new one."""
        moved = []
        for ticket in self.queue():
            position = self.position(ticket)
            if ticket.kind == "live" and ticket.announced_position is not None and position < ticket.announced_position:
                moved.append((ticket, position))
        return moved

    def queue(self) -> list[Ticket]:
        """Queued tickets in serving order: live chats first by priority and age, then left messages."""
        return list(
            self.session.scalars(
                select(Ticket)
                .where(Ticket.status == "queued")
                .order_by(Ticket.kind, Ticket.priority, Ticket.created_at, Ticket.id)
            )
        )

    def assigned_to(self, agent_id: int) -> list[Ticket]:
        """The agent's open tickets, oldest first."""
        return list(
            self.session.scalars(
                select(Ticket)
                .where(Ticket.agent_id == agent_id, Ticket.status.in_(("assigned", "active")))
                .order_by(Ticket.assigned_at)
            )
        )

    def claim(self, ticket_id: int, agent_id: int) -> Ticket:
        """Assign a queued ticket to the agent; exactly one of two agents claiming at once wins."""
        now = self.clock()
        result = self.session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.status == "queued")
            .values(status="assigned", agent_id=agent_id, assigned_at=now, last_activity_at=now)
            .execution_options(synchronize_session=False)
        )
        self.session.commit()
        if result.rowcount != 1:
            raise TicketConflict("该工单已被其他客服接入或已结束")
        ticket = self.session.get(Ticket, ticket_id)
        self.session.refresh(ticket)
        HANDOFF_WAIT_SECONDS.observe(max(0.0, (now - ticket.created_at).total_seconds()))
        return ticket

    def owned(self, ticket_id: int, agent_id: int) -> Ticket:
        """The agent's open ticket, or `TicketConflict`."""
        ticket = self.session.get(Ticket, ticket_id)
        if ticket is None or ticket.agent_id != agent_id or ticket.status not in ("assigned", "active"):
            raise TicketConflict("这不是您正在处理的工单")
        return ticket

    def transfer(self, ticket_id: int, agent_id: int, to_agent_id: int) -> Ticket:
        """Hand the agent's ticket to another agent."""
        ticket = self.owned(ticket_id, agent_id)
        if to_agent_id == agent_id:
            raise TicketConflict("不能转给自己")
        ticket.agent_id, ticket.status = to_agent_id, "assigned"
        ticket.assigned_at = ticket.last_activity_at = self.clock()
        self.session.commit()
        return ticket

    def touch(self, ticket: Ticket, *, agent_replied: bool = False) -> None:
        """Record activity; an agent's reply makes an assigned ticket active."""
        ticket.last_activity_at = self.clock()
        if agent_replied and ticket.status == "assigned":
            ticket.status = "active"
        self.session.commit()

    def close(self, ticket_id: int, agent_id: int, close_reason: str) -> Ticket:
        """Close the agent's ticket (`closed` or `handed_back`)."""
        ticket = self.owned(ticket_id, agent_id)
        ticket.status, ticket.close_reason, ticket.closed_at = "closed", close_reason, self.clock()
        self.session.commit()
        return ticket

    def idle_live_tickets(self, idle_for: timedelta) -> list[Ticket]:
        """Open live tickets with no activity for `idle_for`."""
        cutoff = self.clock() - idle_for
        return list(
            self.session.scalars(
                select(Ticket).where(
                    Ticket.status.in_(OPEN_STATUSES), Ticket.kind == "live", Ticket.last_activity_at < cutoff
                )
            )
        )

    def abandon(self, ticket: Ticket) -> bool:
        """Mark an open ticket abandoned; False if it was closed meanwhile."""
        result = self.session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status.in_(OPEN_STATUSES))
            .values(status="abandoned", closed_at=self.clock(), close_reason="idle")
            .execution_options(synchronize_session=False)
        )
        self.session.commit()
        self.session.refresh(ticket)
        return result.rowcount == 1

    def rate(self, conversation_id: str, rating: int) -> Ticket | None:
        """Store a 1-5 rating on the conversation's latest unrated live ticket closed within the hour."""
        if not 1 <= rating <= 5:
            raise ValueError("rating must be 1-5")
        since: datetime = self.clock() - RATING_WINDOW
        ticket = self.session.scalars(
            select(Ticket)
            .where(
                Ticket.conversation_id == conversation_id, Ticket.kind == "live", Ticket.status == "closed",
                Ticket.rating.is_(None), Ticket.closed_at >= since,
            )
            .order_by(Ticket.closed_at.desc())
        ).first()
        if ticket is not None:
            ticket.rating, ticket.rated_at = rating, self.clock()
            self.session.commit()
        return ticket
