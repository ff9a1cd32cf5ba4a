"""Ticket lifecycle rules on a real SQLite database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.handoff.agents import AgentService
from bot.handoff.models import Ticket
from bot.handoff.tickets import TicketConflict, TicketService
from tests.support.clock import ManualClock


@pytest.fixture
def tickets(session: Session, clock: ManualClock) -> TicketService:
    return TicketService(session, clock)


@pytest.fixture
def agents(session: Session, clock: ManualClock) -> tuple[int, int]:
    service = AgentService(session, clock)
    return service.add("wang", "小王", "password-1").id, service.add("li", "小李", "password-2").id


def open_live(tickets: TicketService, conversation: str, reason: str = "request") -> Ticket:
    return tickets.request_live(conversation, "web", reason, None, {"intents": ["request_human"]})


def test_one_open_ticket_per_conversation(tickets: TicketService, session: Session) -> None:
    first = open_live(tickets, "c1")
    assert open_live(tickets, "c1").id == first.id
    session.add(Ticket(
        conversation_id="c1", channel="web", kind="live", status="queued", reason="request", priority=3,
        summary={}, created_at=first.created_at, last_activity_at=first.created_at,
    ))
    with pytest.raises(IntegrityError):
        session.commit()


def test_a_closed_ticket_does_not_block_a_new_one(
    tickets: TicketService, agents: tuple[int, int], clock: ManualClock
) -> None:
    first = open_live(tickets, "c1")
    tickets.claim(first.id, agents[0])
    tickets.close(first.id, agents[0], "closed")
    clock.advance(minutes=1)
    assert open_live(tickets, "c1").id != first.id


def test_queue_positions_follow_priority_then_age(tickets: TicketService, clock: ManualClock) -> None:
    normal = open_live(tickets, "a")
    clock.advance(seconds=5)
    later = open_live(tickets, "b")
    clock.advance(seconds=5)
    urgent = open_live(tickets, "c", reason="high_risk")
    assert [tickets.position(t) for t in (urgent, normal, later)] == [0, 1, 2]
    assert [t.id for t in tickets.queue()] == [urgent.id, normal.id, later.id]


def test_only_one_of_two_agents_can_claim(tickets: TicketService, agents: tuple[int, int]) -> None:
    ticket = open_live(tickets, "c1")
    claimed = tickets.claim(ticket.id, agents[0])
    assert (claimed.status, claimed.agent_id) == ("assigned", agents[0])
    with pytest.raises(TicketConflict):
        tickets.claim(ticket.id, agents[1])


def test_lifecycle_assigned_active_closed(tickets: TicketService, agents: tuple[int, int]) -> None:
    ticket = tickets.claim(open_live(tickets, "c1").id, agents[0])
    with pytest.raises(TicketConflict):
        tickets.owned(ticket.id, agents[1])
    tickets.touch(ticket, agent_replied=True)
    assert ticket.status == "active"
    moved = tickets.transfer(ticket.id, agents[0], agents[1])
    assert (moved.agent_id, moved.status) == (agents[1], "assigned")
    with pytest.raises(TicketConflict):
        tickets.close(ticket.id, agents[0], "closed")
    closed = tickets.close(ticket.id, agents[1], "handed_back")
    assert (closed.status, closed.close_reason) == ("closed", "handed_back")
    assert tickets.open_ticket("c1") is None


def test_idle_tickets_are_abandoned_once(tickets: TicketService, clock: ManualClock) -> None:
    ticket = open_live(tickets, "c1")
    assert tickets.idle_live_tickets(timedelta(minutes=10)) == []
    clock.advance(minutes=11)
    assert tickets.idle_live_tickets(timedelta(minutes=10)) == [ticket]
    assert tickets.abandon(ticket)
    assert not tickets.abandon(ticket)
    assert ticket.status == "abandoned"


def test_a_left_message_becomes_live_when_the_customer_asks_again(tickets: TicketService) -> None:
    left = tickets.leave_message("c1", "web", "请回电", None, {})
    assert (left.kind, left.status, left.reason) == ("message", "queued", "message")
    again = tickets.leave_message("c1", "web", "下午三点后都可以", None, {})
    assert again.id == left.id and again.left_message == "请回电\n下午三点后都可以"
    live = tickets.request_live("c1", "web", "request", None, {})
    assert (live.id, live.kind) == (left.id, "live")


def test_rating_goes_to_the_latest_closed_ticket_within_the_hour(
    tickets: TicketService, agents: tuple[int, int], clock: ManualClock
) -> None:
    ticket = tickets.claim(open_live(tickets, "c1").id, agents[0])
    assert tickets.rate("c1", 5) is None
    tickets.close(ticket.id, agents[0], "closed")
    rated = tickets.rate("c1", 4)
    assert rated is not None and rated.rating == 4
    assert tickets.rate("c1", 2) is None
    with pytest.raises(ValueError):
        tickets.rate("c1", 6)


def test_rating_window_closes(tickets: TicketService, agents: tuple[int, int], clock: ManualClock) -> None:
    ticket = tickets.claim(open_live(tickets, "c1").id, agents[0])
    tickets.close(ticket.id, agents[0], "closed")
    clock.advance(hours=2)
    assert tickets.rate("c1", 5) is None


def test_customers_who_move_up_the_queue_are_found(tickets: TicketService, agents: tuple[int, int]) -> None:
    first, second = open_live(tickets, "a"), open_live(tickets, "b")
    assert [tickets.announce_position(t) for t in (first, second)] == [0, 1]
    assert tickets.moved_up() == []
    tickets.claim(first.id, agents[0])
    assert tickets.moved_up() == [(second, 0)]
