"""What agents do to tickets, with the conversation side effects: announcements, messages, handing back.

Every customer-visible effect goes through Rasa's tracker API, so it is recorded in the conversation and
delivered through the customer's own channel. Agents' messages are stored before delivery and retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.clock import Clock, system_clock
from bot.handoff import messages
from bot.handoff.models import Agent, AgentMessage, Ticket
from bot.handoff.quality import QualityRules
from bot.handoff.rasa_api import RasaApi, RasaApiError
from bot.handoff.reviews import inspect_ticket
from bot.handoff.roles import SERVES_TICKETS
from bot.handoff.tickets import TicketConflict, TicketService
from bot.handoff.transcript import transcript

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
RETRY_AFTER = timedelta(seconds=3)


class DeskError(Exception):
    """The action could not be completed; the message is for the agent."""


class AgentDesk:
    """Ticket actions for one database session and one Rasa server."""

    def __init__(self, session: Session, rasa: RasaApi, clock: Clock = system_clock) -> None:
        self.session = session
        self.rasa = rasa
        self.clock = clock
        self.tickets = TicketService(session, clock)

    def visible_ticket(self, ticket_id: int, agent: Agent) -> Ticket:
        """A ticket the agent may see: queued ones and their own."""
        ticket = self.tickets.get(ticket_id)
        if ticket is None or not (ticket.status == "queued" or ticket.agent_id == agent.id):
            raise TicketConflict("无权查看该工单")
        return ticket

    async def claim(self, ticket_id: int, agent: Agent) -> Ticket:
        """Take a queued ticket and tell the customer who is serving them."""
        ticket = self.tickets.claim(ticket_id, agent.id)
        if ticket.kind == "live":
            await self._announce(ticket, messages.agent_joined(agent.display_name))
        return ticket

    async def transfer(self, ticket_id: int, agent: Agent, to_agent_id: int) -> Ticket:
        """Give the ticket to another agent, who is announced to the customer."""
        target = self.session.get(Agent, to_agent_id)
        if target is None or target.role not in SERVES_TICKETS:
            raise TicketConflict("没有这位客服")
        ticket = self.tickets.transfer(ticket_id, agent.id, target.id)
        if ticket.kind == "live":
            await self._announce(ticket, messages.agent_joined(target.display_name))
        return ticket

    async def _announce(self, ticket: Ticket, event: dict[str, Any]) -> None:
        try:
            await self.rasa.append(ticket.conversation_id, [event])
        except RasaApiError as error:
            logger.warning("announcement for ticket %s not delivered: %s", ticket.id, error)

    async def send(self, ticket_id: int, agent: Agent, text: str, client_id: str) -> AgentMessage:
        """Store the agent's message, then deliver it; sending the same `client_id` again changes nothing."""
        text = text.strip()
        if not text:
            raise DeskError("消息不能为空")
        if len(text) > 2000:
            raise DeskError("消息过长（最多 2000 字）")
        existing = self.session.scalars(select(AgentMessage).where(AgentMessage.client_id == client_id)).first()
        if existing is not None:
            return existing
        ticket = self.tickets.owned(ticket_id, agent.id)
        message = AgentMessage(
            ticket_id=ticket.id, agent_id=agent.id, client_id=client_id, text=text, status="pending", attempts=0,
            created_at=self.clock(),
        )
        self.session.add(message)
        self.session.commit()
        self.tickets.touch(ticket, agent_replied=True)
        await self.deliver(message)
        return message

    async def deliver(self, message: AgentMessage) -> None:
        """Push a stored message into the conversation; mark it delivered or failed."""
        ticket = self.session.get(Ticket, message.ticket_id)
        agent = self.session.get(Agent, message.agent_id)
        message.attempts += 1
        try:
            event = messages.agent_said(agent.display_name, message.text, message.client_id)
            await self.rasa.append(ticket.conversation_id, [event])
        except RasaApiError as error:
            message.status, message.last_error = "failed", str(error)[:255]
        else:
            message.status, message.last_error, message.delivered_at = "delivered", None, self.clock()
        self.session.commit()

    async def retry_undelivered(self) -> int:
        """Deliver messages still pending or failed (a few seconds old, attempts left); returns how many."""
        cutoff = self.clock() - RETRY_AFTER
        waiting = self.session.scalars(
            select(AgentMessage).where(
                AgentMessage.status.in_(("pending", "failed")), AgentMessage.attempts < MAX_ATTEMPTS,
                AgentMessage.created_at <= cutoff,
            )
        ).all()
        for message in waiting:
            await self.deliver(message)
        return len(waiting)

    async def retry(self, message_id: int, agent: Agent) -> AgentMessage:
        """The agent asks to deliver a failed message again now."""
        message = self.session.get(AgentMessage, message_id)
        if message is None or message.agent_id != agent.id:
            raise TicketConflict("没有这条消息")
        if message.status != "delivered":
            await self.deliver(message)
        return message

    async def finish(self, ticket_id: int, agent: Agent, close_reason: str) -> Ticket:
        """Close the ticket or hand the customer back to the bot; the bot resumes and asks for a rating."""
        ticket = self.tickets.owned(ticket_id, agent.id)
        if ticket.kind == "live":
            try:
                await self.rasa.append(ticket.conversation_id, messages.handoff_ended(close_reason))
            except RasaApiError as error:
                raise DeskError(f"暂时无法结束会话，请稍后重试（{error}）") from error
        closed = self.tickets.close(ticket.id, agent.id, close_reason)
        if closed.kind == "live":
            await self._inspect(closed)
        return closed

    async def _inspect(self, ticket: Ticket) -> None:
        """Score the finished conversation now (the console's sweep catches up on any not scored)."""
        try:
            rules = QualityRules.load()
        except (OSError, ValueError) as error:
            logger.warning("质检 rules unreadable, ticket %s not inspected: %s", ticket.id, error)
            return
        await inspect_ticket(self.session, self.rasa, ticket, rules, self.clock)

    async def abandon_idle(self, idle_for: timedelta) -> list[Ticket]:
        """Abandon live tickets idle for `idle_for` (customer messages count as activity); the bot resumes."""
        abandoned = []
        for ticket in self.tickets.idle_live_tickets(idle_for):
            try:
                last_customer = await self._last_customer_message_time(ticket)
                if last_customer is not None and last_customer > (self.clock() - idle_for).timestamp():
                    self.tickets.touch(ticket)
                    continue
                await self.rasa.append(ticket.conversation_id, messages.abandoned())
            except RasaApiError as error:
                logger.warning("ticket %s not abandoned yet: %s", ticket.id, error)
                continue
            if self.tickets.abandon(ticket):
                abandoned.append(ticket)
        return abandoned

    async def announce_queue_moves(self) -> int:
        """Tell waiting customers who moved up the queue their new position; returns how many were told."""
        told = 0
        for ticket, position in self.tickets.moved_up():
            try:
                await self.rasa.append(ticket.conversation_id, [messages.queue_moved(position)])
            except RasaApiError as error:
                logger.warning("queue position for ticket %s not delivered: %s", ticket.id, error)
                continue
            ticket.announced_position = position
            self.session.commit()
            told += 1
        return told

    async def _last_customer_message_time(self, ticket: Ticket) -> float | None:
        events = (await self.rasa.tracker(ticket.conversation_id)).get("events") or []
        times = [event.get("timestamp") for event in events if event.get("event") == "user"]
        return max((time for time in times if time is not None), default=None)

    async def conversation(self, ticket: Ticket) -> dict[str, Any]:
        """The whole conversation for the console, plus the agent messages not yet delivered."""
        try:
            lines = transcript((await self.rasa.tracker(ticket.conversation_id)).get("events") or [])
            error = None
        except RasaApiError as failure:
            lines, error = ticket.summary.get("last_messages", []), str(failure)
        undelivered = self.session.scalars(
            select(AgentMessage)
            .where(AgentMessage.ticket_id == ticket.id, AgentMessage.status != "delivered")
            .order_by(AgentMessage.id)
        ).all()
        return {
            "lines": lines,
            "undelivered": [
                {"id": m.id, "text": m.text, "status": m.status, "attempts": m.attempts, "error": m.last_error}
                for m in undelivered
            ],
            "error": error,
        }
