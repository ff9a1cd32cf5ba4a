"""The service team's figures over a period: conversations, containment, handoffs, unanswered and clarified
questions, satisfaction, agents' response and handling times, and which knowledge-base entries are used.

Conversation rates (containment, handoff) are shares of conversations; `no_answer_rate` and `clarify_rate` are
shares of the knowledge base's replies (answer, clarify, no match). The same figures are given per day (the
day a conversation started) and per channel.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.analytics.models import ConversationEvent
from bot.db.models import FaqEntryRow
from bot.handoff.models import AgentMessage, Ticket

HANDOFF_ACTION = "action_handoff"
TOP_ENTRIES = 10


@dataclass
class _Conversation:
    started: datetime
    channel: str | None = None
    handed_over: bool = False


def period_start(days: int | None, now: datetime) -> datetime | None:
    """The start of the last `days` days (today counts as one), or None for everything recorded."""
    if days is None:
        return None
    return datetime.combine(now.date() - timedelta(days=max(days, 1) - 1), datetime.min.time())


def build_report(session: Session, days: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the period as plain JSON-ready values."""
    now = now or datetime.now()
    start = period_start(days, now)
    conversations = _conversations(session, start)
    outcomes = [outcome for outcome in _outcomes(session, start) if outcome[0] in conversations]
    tickets = _tickets(session, start)
    hits = Counter(faq_id for _conversation, outcome, faq_id in outcomes if outcome == "answer" and faq_id)
    questions = dict(session.execute(select(FaqEntryRow.id, FaqEntryRow.question)).all())
    ratings = [ticket.rating for ticket in tickets if ticket.rating is not None]
    return {
        "period": {"from": start.isoformat() if start else None, "to": now.replace(microsecond=0).isoformat()},
        **_rates(conversations.values(), [(outcome, faq_id) for _c, outcome, faq_id in outcomes]),
        "csat_avg": round(mean(ratings), 2) if ratings else None,
        "csat_distribution": {str(score): ratings.count(score) for score in range(1, 6)},
        "first_response_s": _average(_first_responses(session, tickets)),
        "handling_s": _average(
            (ticket.closed_at - ticket.assigned_at).total_seconds()
            for ticket in tickets if ticket.closed_at and ticket.assigned_at
        ),
        "top_entries": [
            {"id": entry_id, "question": questions.get(entry_id, ""), "hits": count}
            for entry_id, count in hits.most_common(TOP_ENTRIES)
        ],
        "cold_entries": [{"id": entry_id, "question": question} for entry_id, question in sorted(questions.items())
                         if entry_id not in hits],
        "by_day": _by_day(conversations, outcomes),
        "by_channel": _by_channel(conversations, outcomes),
    }


def _rates(conversations: Iterable[_Conversation], outcomes: list[tuple[str, str | None]]) -> dict[str, Any]:
    conversations = list(conversations)
    handed = sum(conversation.handed_over for conversation in conversations)
    replies = Counter(outcome for outcome, _faq_id in outcomes)
    answered_or_not = sum(replies.values())
    return {
        "conversations": len(conversations),
        "containment_rate": _share(len(conversations) - handed, len(conversations)),
        "handoff_rate": _share(handed, len(conversations)),
        "no_answer_rate": _share(replies["none"], answered_or_not),
        "clarify_rate": _share(replies["clarify"], answered_or_not),
    }


def _by_day(conversations: dict[str, _Conversation], outcomes: list[tuple[str, str, str | None]]) -> list[dict]:
    return [{"date": day.isoformat(), **figures}
            for day, figures in sorted(_grouped(conversations, outcomes, lambda c: c.started.date()).items())]


def _by_channel(conversations: dict[str, _Conversation], outcomes: list[tuple[str, str, str | None]]) -> dict:
    return dict(sorted(_grouped(conversations, outcomes, lambda c: c.channel or "unknown").items()))


def _grouped(
    conversations: dict[str, _Conversation], outcomes: list[tuple[str, str, str | None]], key: Any
) -> dict[date | str, dict[str, Any]]:
    groups: dict[Any, list[str]] = defaultdict(list)
    for name, conversation in conversations.items():
        groups[key(conversation)].append(name)
    by_conversation: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for name, outcome, faq_id in outcomes:
        by_conversation[name].append((outcome, faq_id))
    return {
        group: _rates((conversations[name] for name in names),
                      [pair for name in names for pair in by_conversation[name]])
        for group, names in groups.items()
    }


def _conversations(session: Session, start: datetime | None) -> dict[str, _Conversation]:
    """Conversations with a customer message in the period, by pseudonym."""
    query = select(ConversationEvent.conversation, ConversationEvent.event, ConversationEvent.channel,
                   ConversationEvent.action, ConversationEvent.occurred_at).order_by(ConversationEvent.id)
    if start is not None:
        query = query.where(ConversationEvent.occurred_at >= start)
    found: dict[str, _Conversation] = {}
    handed: set[str] = set()
    for name, event, channel, action, occurred_at in session.execute(query):
        if event == "user":
            conversation = found.setdefault(name, _Conversation(started=occurred_at))
            conversation.channel = conversation.channel or channel
        elif action == HANDOFF_ACTION:
            handed.add(name)
    for name in handed & found.keys():
        found[name].handed_over = True
    return found


def _outcomes(session: Session, start: datetime | None) -> list[tuple[str, str, str | None]]:
    """(conversation, outcome, entry id) of every knowledge-base reply in the period."""
    query = select(ConversationEvent.conversation, ConversationEvent.faq_outcome, ConversationEvent.faq_id).where(
        ConversationEvent.faq_outcome.is_not(None))
    if start is not None:
        query = query.where(ConversationEvent.occurred_at >= start)
    return [tuple(row) for row in session.execute(query)]


def _tickets(session: Session, start: datetime | None) -> list[Ticket]:
    query = select(Ticket).where(Ticket.kind == "live")
    if start is not None:
        query = query.where(Ticket.created_at >= start)
    return list(session.scalars(query))


def _first_responses(session: Session, tickets: list[Ticket]) -> list[float]:
    """Seconds from each live ticket's handoff to its agent's first message."""
    if not tickets:
        return []
    first = dict(session.execute(
        select(AgentMessage.ticket_id, func.min(AgentMessage.created_at))
        .where(AgentMessage.ticket_id.in_([ticket.id for ticket in tickets]))
        .group_by(AgentMessage.ticket_id)
    ).all())
    return [(first[ticket.id] - ticket.created_at).total_seconds() for ticket in tickets if ticket.id in first]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _average(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(mean(values), 1) if values else None
