"""The service team's figures over a period, aggregated in the database: the one definition behind the console's
dashboard, its CSV export (`bot.operations.dashboard_csv`) and `kefu analytics report`.

A conversation counts when a customer wrote in the period; its day is that of its first customer message there,
its channel the one the customer writes from (conversation keys are per sender, and a sender is on one channel).
Containment and handoff rates are shares of conversations (handed over: `action_handoff` ran); `no_answer_rate`
and `clarify_rate` are shares of the knowledge base's replies (answer, clarify, no match) in those conversations.
Satisfaction, first response (handoff to the agent's first message) and handling time (claimed to closed) come
from the live tickets opened in the period. An entry is hit by each answer the knowledge base gave with it in
the period; cold entries were never hit.

Each query groups in SQL (per conversation, then per day and channel; tickets per day, channel and agent), so
Python only adds up a few rows per day; the indexes of `bot.analytics.models` cover these queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Float, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Subquery
from sqlalchemy.sql.functions import FunctionElement

from bot.analytics.models import FIGURES_ROWS, ConversationEvent
from bot.db.models import FaqEntryRow
from bot.handoff.models import Agent, AgentMessage, Ticket

HANDOFF_ACTION = "action_handoff"
TOP_ENTRIES = 10
UNKNOWN_CHANNEL = "unknown"
RATINGS = range(1, 6)


class seconds_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """`seconds_between(later, earlier)`: seconds from one timestamp to another, in the database's dialect."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between)
def _seconds_between(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@dataclass(frozen=True)
class Period:
    """From `start` (inclusive) to `end` (exclusive); None leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def of_days(cls, first: date, last: date) -> Period:
        """Whole days from `first` to `last`, both included."""
        return cls(datetime.combine(first, datetime.min.time()),
                   datetime.combine(last + timedelta(days=1), datetime.min.time()))

    def holds(self, column: Any) -> list[Any]:
        """SQL conditions keeping `column` inside the period."""
        conditions = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column < self.end)
        return conditions


@dataclass
class Counts:
    """Conversations of one group and their knowledge-base replies."""

    conversations: int = 0
    handed_over: int = 0
    replies: int = 0
    unanswered: int = 0
    clarified: int = 0

    def add(self, other: Counts) -> Counts:
        """Both groups together."""
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)))

    def rates(self) -> dict[str, Any]:
        """The conversation figures as the report names them."""
        return {
            "conversations": self.conversations,
            "containment_rate": share(self.conversations - self.handed_over, self.conversations),
            "handoff_rate": share(self.handed_over, self.conversations),
            "no_answer_rate": share(self.unanswered, self.replies),
            "clarify_rate": share(self.clarified, self.replies),
        }


@dataclass
class TicketCounts:
    """Live tickets of one group: ratings, first responses and handling times, summed."""

    tickets: int = 0
    rating_sum: float = 0.0
    ratings: int = 0
    first_response_sum: float = 0.0
    first_responses: int = 0
    handling_sum: float = 0.0
    handled: int = 0

    def add(self, other: TicketCounts) -> TicketCounts:
        """Both groups together."""
        return TicketCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(TicketCounts)))

    def figures(self) -> dict[str, Any]:
        """Average rating (2 decimals) and average seconds (1 decimal); None without data."""
        return {
            "tickets": self.tickets,
            "csat_avg": _average(self.rating_sum, self.ratings, 2),
            "first_response_s": _average(self.first_response_sum, self.first_responses, 1),
            "handling_s": _average(self.handling_sum, self.handled, 1),
        }


@dataclass
class Figures:
    """Every aggregate of a period, grouped by (day, channel) and by agent, before it is shaped for display."""

    conversations: dict[tuple[date, str], Counts] = field(default_factory=dict)
    tickets: dict[tuple[date, str], TicketCounts] = field(default_factory=dict)
    agents: list[tuple[str, TicketCounts]] = field(default_factory=list)
    csat_distribution: dict[int, int] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    """Every channel customers wrote from in the period, whatever channel the figures are for."""

    def total(self) -> tuple[Counts, TicketCounts]:
        """The whole period."""
        return _sum(self.conversations.values(), Counts()), _sum(self.tickets.values(), TicketCounts())

    def by_day(self) -> dict[date, tuple[Counts, TicketCounts]]:
        """Each day that has conversations or tickets."""
        return self._grouped(lambda key: key[0])

    def by_channel(self) -> dict[str, tuple[Counts, TicketCounts]]:
        """Each channel that has conversations or tickets."""
        return self._grouped(lambda key: key[1])

    def top_entries(self, limit: int = TOP_ENTRIES) -> list[dict[str, Any]]:
        """The most answered entries, most hits first (ties by id)."""
        ranked = sorted(self.hits.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [{"id": entry, "question": self.questions.get(entry, ""), "hits": hits} for entry, hits in ranked]

    def cold_entries(self) -> list[dict[str, Any]]:
        """Entries of the knowledge base never answered in the period, by id."""
        return [{"id": entry, "question": question} for entry, question in sorted(self.questions.items())
                if entry not in self.hits]

    def _grouped(self, key: Any) -> dict[Any, tuple[Counts, TicketCounts]]:
        groups: dict[Any, tuple[Counts, TicketCounts]] = {}
        for cell, counts in self.conversations.items():
            found = groups.get(key(cell), (Counts(), TicketCounts()))
            groups[key(cell)] = (found[0].add(counts), found[1])
        for cell, ticket_counts in self.tickets.items():
            found = groups.get(key(cell), (Counts(), TicketCounts()))
            groups[key(cell)] = (found[0], found[1].add(ticket_counts))
        return dict(sorted(groups.items()))


def collect(session: Session, period: Period, channel: str | None = None) -> Figures:
    """Every aggregate of `period`, for one channel or (None) all of them."""
    conversations = _conversation_counts(session, period)
    tickets = _ticket_counts(session, period)
    every_channel = sorted({name for _day, name in conversations})
    if channel is not None:
        conversations = {key: value for key, value in conversations.items() if key[1] == channel}
        tickets = {key: value for key, value in tickets.items() if key[1] == channel}
    return Figures(
        conversations=conversations,
        tickets=tickets,
        agents=_agent_counts(session, period, channel),
        csat_distribution=_ratings(session, period, channel),
        hits=_entry_hits(session, period, channel),
        questions=dict(session.execute(select(FaqEntryRow.id, FaqEntryRow.question)).all()),
        channels=every_channel,
    )


def summary(figures: Figures) -> dict[str, Any]:
    """The headline figures, per day and per channel, the agents' times and the entries, as JSON-ready values."""
    counts, ticket_counts = figures.total()
    ticket_figures = ticket_counts.figures()
    return {
        **counts.rates(),
        "tickets": ticket_figures["tickets"],
        "csat_avg": ticket_figures["csat_avg"],
        "csat_distribution": {str(score): figures.csat_distribution.get(score, 0) for score in RATINGS},
        "first_response_s": ticket_figures["first_response_s"],
        "handling_s": ticket_figures["handling_s"],
        "top_entries": figures.top_entries(),
        "cold_entries": figures.cold_entries(),
        "by_day": [{"date": day.isoformat(), **_group(group)} for day, group in figures.by_day().items()],
        "by_channel": {channel: _group(group) for channel, group in figures.by_channel().items()},
        "agents": [{"name": name, **ticket.figures()} for name, ticket in figures.agents],
    }


def every_day(by_day: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    """`by_day` with a row of zeros for each day from `first` to `last` that had nothing, for charts."""
    found = {row["date"]: row for row in by_day}
    empty = _group((Counts(), TicketCounts()))
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [found.get(day.isoformat(), {"date": day.isoformat(), **empty}) for day in days]


def share(part: float, whole: float) -> float:
    """part / whole to 4 decimals; 0.0 when there is no whole."""
    return round(part / whole, 4) if whole else 0.0


def _group(group: tuple[Counts, TicketCounts]) -> dict[str, Any]:
    return {**group[0].rates(), **group[1].figures()}


def _conversation_counts(session: Session, period: Period) -> dict[tuple[date, str], Counts]:
    """Conversations and replies per (day, channel) of each conversation's first customer message."""
    events, said = ConversationEvent, ConversationEvent.event == "user"
    per_conversation = (
        select(
            func.min(case((said, events.occurred_at))).label("started"),
            func.coalesce(func.min(case((said, events.channel))), UNKNOWN_CHANNEL).label("channel"),
            func.max(case((events.action == HANDOFF_ACTION, 1), else_=0)).label("handed_over"),
            func.count(events.faq_outcome).label("replies"),
            func.sum(case((events.faq_outcome == "none", 1), else_=0)).label("unanswered"),
            func.sum(case((events.faq_outcome == "clarify", 1), else_=0)).label("clarified"),
        )
        .where(FIGURES_ROWS, *period.holds(events.occurred_at))
        .group_by(events.conversation)
        .subquery()
    )
    day, channel = func.date(per_conversation.c.started), per_conversation.c.channel
    query = (
        select(day, channel, func.count(), func.sum(per_conversation.c.handed_over),
               func.sum(per_conversation.c.replies), func.sum(per_conversation.c.unanswered),
               func.sum(per_conversation.c.clarified))
        .where(per_conversation.c.started.is_not(None))
        .group_by(day, channel)
    )
    return {(_day(row[0]), row[1]): Counts(*(int(value or 0) for value in row[2:])) for row in session.execute(query)}


def _entry_hits(session: Session, period: Period, channel: str | None) -> dict[str, int]:
    """Answers per entry in the period (in conversations a customer wrote in from `channel`, when given)."""
    events = ConversationEvent
    query = (
        select(events.faq_id, func.count())
        .where(events.faq_outcome == "answer", events.faq_id.is_not(None), *period.holds(events.occurred_at))
        .group_by(events.faq_id)
    )
    if channel is not None:
        query = query.where(events.conversation.in_(
            select(events.conversation)
            .where(FIGURES_ROWS, events.event == "user", func.coalesce(events.channel, UNKNOWN_CHANNEL) == channel,
                   *period.holds(events.occurred_at))
        ))
    return {entry: int(hits) for entry, hits in session.execute(query)}


def _live_tickets(period: Period, channel: str | None) -> list[Any]:
    conditions = [Ticket.kind == "live", *period.holds(Ticket.created_at)]
    if channel is not None:
        conditions.append(Ticket.channel == channel)
    return conditions


def _ticket_columns() -> tuple[Subquery, tuple[Any, ...]]:
    """Each ticket's first agent message, and the sums and counts of a group of tickets."""
    first_message = (
        select(AgentMessage.ticket_id, func.min(AgentMessage.created_at).label("at"))
        .group_by(AgentMessage.ticket_id)
        .subquery()
    )
    first_response = seconds_between(first_message.c.at, Ticket.created_at)
    handling = case((Ticket.closed_at.is_not(None) & Ticket.assigned_at.is_not(None),
                     seconds_between(Ticket.closed_at, Ticket.assigned_at)))
    columns = (func.count(), func.sum(Ticket.rating), func.count(Ticket.rating), func.sum(first_response),
               func.count(first_response), func.sum(handling), func.count(handling))
    return first_message, columns


def _ticket_counts(session: Session, period: Period) -> dict[tuple[date, str], TicketCounts]:
    """Live tickets per (day opened, channel)."""
    first_message, columns = _ticket_columns()
    day = func.date(Ticket.created_at)
    query = (
        select(day, Ticket.channel, *columns)
        .outerjoin(first_message, first_message.c.ticket_id == Ticket.id)
        .where(*_live_tickets(period, None))
        .group_by(day, Ticket.channel)
    )
    return {(_day(row[0]), row[1]): _ticket_row(row[2:]) for row in session.execute(query)}


def _agent_counts(session: Session, period: Period, channel: str | None) -> list[tuple[str, TicketCounts]]:
    """Live tickets per agent who served them, most tickets first."""
    first_message, columns = _ticket_columns()
    query = (
        select(Agent.display_name, *columns)
        .select_from(Ticket)
        .join(Agent, Agent.id == Ticket.agent_id)
        .outerjoin(first_message, first_message.c.ticket_id == Ticket.id)
        .where(*_live_tickets(period, channel))
        .group_by(Agent.id, Agent.display_name)
        .order_by(func.count().desc(), Agent.display_name)
    )
    return [(row[0], _ticket_row(row[1:])) for row in session.execute(query)]


def _ratings(session: Session, period: Period, channel: str | None) -> dict[int, int]:
    query = (
        select(Ticket.rating, func.count())
        .where(Ticket.rating.is_not(None), *_live_tickets(period, channel))
        .group_by(Ticket.rating)
    )
    return {int(rating): int(count) for rating, count in session.execute(query)}


def _ticket_row(values: Iterable[Any]) -> TicketCounts:
    tickets, rating_sum, ratings, response_sum, responses, handling_sum, handled = values
    return TicketCounts(int(tickets), float(rating_sum or 0), int(ratings), float(response_sum or 0), int(responses),
                        float(handling_sum or 0), int(handled))


def _day(value: Any) -> date:
    """A SQL `date(...)`: a string in SQLite, a date in PostgreSQL."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _sum(groups: Iterable[Any], start: Any) -> Any:
    total = start
    for group in groups:
        total = total.add(group)
    return total


def _average(total: float, count: int, digits: int) -> float | None:
    return round(total / count, digits) if count else None
