"""What a supervisor watches live — each serving agent's open tickets and how long each waits for its agent —
and reassigning a ticket whose agent has not answered in time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.clock import Clock, system_clock
from bot.handoff import messages
from bot.handoff.agents import AgentService
from bot.handoff.models import Agent, AgentMessage, Ticket
from bot.handoff.rasa_api import RasaApi, RasaApiError
from bot.handoff.roles import SERVES_TICKETS
from bot.handoff.tickets import TicketConflict, TicketService

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watched:
    """An open ticket with an agent: since when the agent has been silent (assignment or last reply)."""

    ticket: Ticket
    silent_seconds: float
    overdue: bool


class Supervision:
    """The live view and reassignment, for one database session and one Rasa server."""

    def __init__(self, session: Session, rasa: RasaApi, overdue_after: float, clock: Clock = system_clock) -> None:
        self.session = session
        self.rasa = rasa
        self.overdue_after = overdue_after
        self.clock = clock
        self.tickets = TicketService(session, clock)

    def serving_agents(self) -> list[Agent]:
        """Every account that serves tickets, by display name."""
        return [agent for agent in AgentService(self.session, self.clock).all() if agent.role in SERVES_TICKETS]

    def watch(self, ticket: Ticket) -> Watched:
        """How long the ticket's agent has not answered: since the assignment or their last message after it."""
        last_reply = self.session.scalar(
            select(func.max(AgentMessage.created_at)).where(
                AgentMessage.ticket_id == ticket.id, AgentMessage.agent_id == ticket.agent_id
            )
        )
        since = max(ticket.assigned_at, last_reply) if last_reply else ticket.assigned_at
        seconds = max(0.0, (self.clock() - since).total_seconds())
        return Watched(ticket, seconds, seconds > self.overdue_after)

    def open_tickets(self, agent_id: int) -> list[Watched]:
        """The agent's open tickets, oldest first."""
        return [self.watch(ticket) for ticket in self.tickets.assigned_to(agent_id)]

    async def reassign(self, ticket_id: int, to_agent_id: int) -> Ticket:
        """Give an open ticket whose agent has been silent too long to another serving agent, who is announced."""
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.status not in ("assigned", "active"):
            raise TicketConflict("该工单不在服务中")
        if not self.watch(ticket).overdue:
            raise TicketConflict(f"客服未回复未超过 {self.overdue_after:g} 秒，暂不能改派")
        target = self.session.get(Agent, to_agent_id)
        if target is None or target.role not in SERVES_TICKETS:
            raise TicketConflict("没有这位客服")
        ticket = self.tickets.transfer(ticket.id, ticket.agent_id, target.id)
        if ticket.kind == "live":
            try:
                await self.rasa.append(ticket.conversation_id, [messages.agent_joined(target.display_name)])
            except RasaApiError as error:
                logger.warning("reassignment of ticket %s not announced: %s", ticket.id, error)
        return ticket
