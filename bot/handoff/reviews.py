"""质检 reviews: inspect finished live tickets (from their conversation in Rasa), list them for supervisors, and
record that a supervisor reviewed one."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.clock import Clock, system_clock
from bot.handoff import messages
from bot.handoff.models import Ticket, TicketReview
from bot.handoff.quality import Inspection, QualityRules, inspect, served_lines
from bot.handoff.rasa_api import RasaApi, RasaApiError
from bot.handoff.tickets import TicketConflict
from bot.handoff.transcript import transcript

logger = logging.getLogger(__name__)

FINISHED = ("closed", "abandoned")
CATCH_UP = timedelta(days=1)
"""Finished tickets not inspected yet (Rasa was down) are inspected by the sweep for this long."""
QUEUE_LIMIT = 200
END_SLACK = 2.0
"""Seconds after the ticket's close time whose lines still belong to it (the closing messages)."""


@dataclass(frozen=True)
class Served:
    """The part of a conversation a ticket covered: transcript lines from the first agent's arrival to the end."""

    lines: list[dict[str, Any]]
    start: float
    end: float


def served_part(ticket: Ticket, events: list[dict[str, Any]]) -> Served:
    """The lines of the ticket: from the first 「客服 … 为您服务」 announcement (else its assignment) to its close."""
    opened = ticket.created_at.timestamp()
    announced = [
        event["timestamp"] for event in events
        if event.get("event") == "bot" and isinstance(event.get("timestamp"), (int, float))
        and event["timestamp"] >= opened and messages.is_agent_joined(event)
    ]
    assigned = ticket.assigned_at or ticket.created_at
    start = min(announced) if announced else assigned.timestamp()
    end = (ticket.closed_at or ticket.last_activity_at).timestamp() + END_SLACK
    return Served(served_lines(transcript(events), start, end), start, end)


class ReviewService:
    """Inspections and reviews of tickets, for one database session."""

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    def save(self, ticket: Ticket, inspection: Inspection, served: Served) -> TicketReview:
        """Store (or replace, keeping the supervisor's review) the inspection of a ticket; when the close and the
        sweep inspect the same ticket at once, the later one replaces the earlier."""
        try:
            return self._store(ticket, inspection, served)
        except IntegrityError:
            self.session.rollback()
            return self._store(ticket, inspection, served)

    def _store(self, ticket: Ticket, inspection: Inspection, served: Served) -> TicketReview:
        review = self.session.get(TicketReview, ticket.id) or TicketReview(ticket_id=ticket.id)
        review.agent_id, review.score = ticket.agent_id, inspection.score
        review.flags = [flag.as_dict() for flag in inspection.flags]
        review.served_from, review.served_until = served.start, served.end
        review.inspected_at = self.clock()
        self.session.add(review)
        self.session.commit()
        return review

    def uninspected(self) -> list[Ticket]:
        """Live tickets finished within `CATCH_UP` that have no inspection yet."""
        since = self.clock() - CATCH_UP
        return list(self.session.scalars(
            select(Ticket)
            .outerjoin(TicketReview, TicketReview.ticket_id == Ticket.id)
            .where(
                Ticket.kind == "live", Ticket.status.in_(FINISHED), Ticket.agent_id.is_not(None),
                Ticket.closed_at >= since, TicketReview.ticket_id.is_(None),
            )
            .order_by(Ticket.closed_at)
        ))

    def queue(self, *, reviewed: bool, flagged_only: bool = True) -> list[tuple[TicketReview, Ticket]]:
        """Inspected tickets, not yet reviewed (lowest score first) or reviewed (latest first)."""
        query = select(TicketReview, Ticket).join(Ticket, Ticket.id == TicketReview.ticket_id)
        if reviewed:
            query = query.where(TicketReview.reviewed_at.is_not(None)).order_by(TicketReview.reviewed_at.desc())
        else:
            query = query.where(TicketReview.reviewed_at.is_(None)).order_by(
                TicketReview.score, TicketReview.inspected_at
            )
        if flagged_only:
            query = query.where(TicketReview.score < 100)
        return [(review, ticket) for review, ticket in self.session.execute(query.limit(QUEUE_LIMIT))]

    def get(self, ticket_id: int) -> TicketReview:
        """The inspection of a ticket, or `TicketConflict`."""
        review = self.session.get(TicketReview, ticket_id)
        if review is None:
            raise TicketConflict("该会话还没有质检结果")
        return review

    def mark_reviewed(self, ticket_id: int, supervisor_id: int, note: str) -> TicketReview:
        """Record the supervisor's review (with an optional note); reviewing again updates it."""
        review = self.get(ticket_id)
        review.reviewed_by, review.reviewed_at, review.note = supervisor_id, self.clock(), note.strip()[:500] or None
        self.session.commit()
        return review


async def inspect_ticket(
    session: Session, rasa: RasaApi, ticket: Ticket, rules: QualityRules, clock: Clock = system_clock
) -> TicketReview | None:
    """Inspect a finished live ticket from its conversation; None when Rasa cannot be read now (retried later)."""
    try:
        events = (await rasa.tracker(ticket.conversation_id)).get("events") or []
    except RasaApiError as error:
        logger.warning("ticket %s not inspected yet: %s", ticket.id, error)
        return None
    served = served_part(ticket, events)
    return ReviewService(session, clock).save(ticket, inspect(served.lines, rules, served.start, served.end), served)


async def inspect_finished(session: Session, rasa: RasaApi, clock: Clock = system_clock) -> int:
    """Inspect every recently finished live ticket without an inspection; returns how many were inspected."""
    pending = ReviewService(session, clock).uninspected()
    if not pending:
        return 0
    rules = QualityRules.load()
    done = 0
    for ticket in pending:
        done += await inspect_ticket(session, rasa, ticket, rules, clock) is not None
    return done

