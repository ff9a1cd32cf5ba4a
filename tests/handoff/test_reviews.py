"""质检 reviews and the supervisor's live view on a real SQLite database with a clock moved by hand."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.handoff import messages
from bot.handoff.agents import AgentService
from bot.handoff.models import AgentMessage, Ticket, TicketReview
from bot.handoff.quality import QualityRules, inspect
from bot.handoff.rasa_api import RasaApi
from bot.handoff.reviews import ReviewService, served_part
from bot.handoff.roles import EDITOR, SUPERVISOR
from bot.handoff.supervision import Supervision
from bot.handoff.tickets import TicketConflict, TicketService
from tests.support.clock import ManualClock
from tests.support.servers import free_port

RULES = QualityRules.load()


def finished_ticket(session: Session, clock: ManualClock, agent_id: int) -> Ticket:
    tickets = TicketService(session, clock)
    ticket = tickets.request_live(f"web-{clock().timestamp()}", "web", "request", None, {})
    clock.advance(seconds=30)
    tickets.claim(ticket.id, agent_id)
    clock.advance(seconds=100)
    return tickets.close(ticket.id, agent_id, "closed")


def events_of(ticket: Ticket, *lines: tuple[str, float, str]) -> list[dict[str, Any]]:
    """Tracker events: the agent's arrival at assignment, then (role, seconds after it, text)."""
    joined = ticket.assigned_at.timestamp()
    events = [
        {"event": "user", "text": "转人工", "timestamp": ticket.created_at.timestamp()},
        {**messages.agent_joined("小王"), "timestamp": joined},
    ]
    for role, at, text in lines:
        if role == "customer":
            events.append({"event": "user", "text": text, "timestamp": joined + at})
        else:
            events.append({**messages.agent_said("小王", text, "m"), "timestamp": joined + at})
    return events


def test_served_part_starts_at_the_agents_arrival_and_ends_at_the_close(session: Session, clock: ManualClock) -> None:
    agent = AgentService(session, clock).add("wang", "小王", "password-1")
    ticket = finished_ticket(session, clock, agent.id)
    served = served_part(ticket, events_of(ticket, ("agent", 5, "您好"), ("customer", 10, "好的")))
    assert [line["text"] for line in served.lines] == ["客服 小王 为您服务", "您好", "好的"]
    assert served.start == ticket.assigned_at.timestamp()
    assert served.end == ticket.closed_at.timestamp() + 2


def test_an_inspection_is_queued_until_a_supervisor_reviews_it(session: Session, clock: ManualClock) -> None:
    agents = AgentService(session, clock)
    agent, boss = agents.add("wang", "小王", "password-1"), agents.add("zhao", "赵主管", "password-1", SUPERVISOR)
    flagged, clean = finished_ticket(session, clock, agent.id), finished_ticket(session, clock, agent.id)
    reviews = ReviewService(session, clock)
    assert {ticket.id for ticket in reviews.uninspected()} == {flagged.id, clean.id}
    for ticket, reply in ((flagged, "您好，这款理财保证收益"), (clean, "您好，请问有什么可以帮您")):
        served = served_part(ticket, events_of(ticket, ("customer", 1, "在吗"), ("agent", 10, reply)))
        reviews.save(ticket, inspect(served.lines, RULES, served.start, served.end), served)
    assert reviews.uninspected() == []
    queued = reviews.queue(reviewed=False)
    assert [(review.ticket_id, review.score) for review, _ in queued] == [(flagged.id, 70)]
    assert [flag["label"] for flag in queued[0][0].flags] == ["禁用语"]
    assert [review.ticket_id for review, _ in reviews.queue(reviewed=False, flagged_only=False)] == [
        flagged.id, clean.id,
    ]

    clock.advance(minutes=5)
    done = reviews.mark_reviewed(flagged.id, boss.id, "  已约谈  ")
    assert (done.reviewed_by, done.reviewed_at, done.note) == (boss.id, clock(), "已约谈")
    assert reviews.queue(reviewed=False) == []
    assert [review.ticket_id for review, _ in reviews.queue(reviewed=True)] == [flagged.id]
    with pytest.raises(TicketConflict):
        reviews.mark_reviewed(12345, boss.id, "")


def test_tickets_finished_long_ago_or_never_served_are_not_inspected(session: Session, clock: ManualClock) -> None:
    agent = AgentService(session, clock).add("wang", "小王", "password-1")
    old = finished_ticket(session, clock, agent.id)
    TicketService(session, clock).leave_message("web-left", "web", "请回电", None, {})
    clock.advance(days=2)
    assert old not in ReviewService(session, clock).uninspected()
    assert ReviewService(session, clock).uninspected() == []


def test_a_review_goes_with_its_ticket(session: Session, clock: ManualClock) -> None:
    agent = AgentService(session, clock).add("wang", "小王", "password-1")
    ticket = finished_ticket(session, clock, agent.id)
    served = served_part(ticket, events_of(ticket))
    ReviewService(session, clock).save(ticket, inspect(served.lines, RULES, served.start, served.end), served)
    session.execute(delete(Ticket).where(Ticket.id == ticket.id))
    session.commit()
    assert session.get(TicketReview, ticket.id) is None


def unreachable_rasa() -> RasaApi:
    return RasaApi(f"http://127.0.0.1:{free_port()}", "token")


def test_the_live_view_counts_the_agents_silence_since_assignment_or_last_reply(
    session: Session, clock: ManualClock
) -> None:
    agent = AgentService(session, clock).add("wang", "小王", "password-1")
    tickets = TicketService(session, clock)
    ticket = tickets.claim(tickets.leave_message("web-1", "web", "请回电", None, {}).id, agent.id)
    watch = Supervision(session, unreachable_rasa(), overdue_after=60, clock=clock)
    clock.advance(seconds=45)
    assert (watch.open_tickets(agent.id)[0].silent_seconds, watch.open_tickets(agent.id)[0].overdue) == (45, False)
    session.add(AgentMessage(ticket_id=ticket.id, agent_id=agent.id, client_id="c-1", text="您好", status="delivered",
                             attempts=1, created_at=clock()))
    session.commit()
    clock.advance(seconds=61)
    watched = watch.open_tickets(agent.id)[0]
    assert (watched.silent_seconds, watched.overdue) == (61, True)


def test_only_a_silent_agents_ticket_is_reassigned_and_only_to_someone_who_serves(
    session: Session, clock: ManualClock
) -> None:
    agents = AgentService(session, clock)
    wang, li = agents.add("wang", "小王", "password-1"), agents.add("li", "小李", "password-1")
    editor = agents.add("qian", "钱编辑", "password-1", EDITOR)
    tickets = TicketService(session, clock)
    ticket = tickets.claim(tickets.request_live("web-2", "web", "request", None, {}).id, wang.id)
    watch = Supervision(session, unreachable_rasa(), overdue_after=60, clock=clock)
    assert [agent.username for agent in watch.serving_agents()] == ["li", "wang"]
    clock.advance(seconds=30)
    with pytest.raises(TicketConflict, match="60"):
        asyncio.run(watch.reassign(ticket.id, li.id))
    clock.advance(seconds=31)
    with pytest.raises(TicketConflict):
        asyncio.run(watch.reassign(ticket.id, editor.id))
    moved = asyncio.run(watch.reassign(ticket.id, li.id))  # Rasa is down: the announcement is only logged
    assert (moved.agent_id, moved.status, moved.assigned_at) == (li.id, "assigned", clock())
    assert watch.open_tickets(wang.id) == []
    assert watch.open_tickets(li.id)[0].silent_seconds == 0
    clock.advance(seconds=61)
    tickets.close(ticket.id, li.id, "closed")
    with pytest.raises(TicketConflict):
        asyncio.run(watch.reassign(ticket.id, wang.id))
