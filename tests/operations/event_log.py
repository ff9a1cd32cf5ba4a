"""A small fixed event log for the dashboard's figures, worked out by hand in test_dashboard.py.

Five conversations over three days on three channels (one starts at 23:59 and goes on past midnight), two handed
to two agents and rated 4 and 2, a third live ticket still waiting, and a left message that does not count.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bot.analytics.models import ConversationEvent
from bot.content.files import import_content
from bot.core.db import session_factory
from bot.handoff.models import Agent, AgentMessage, Ticket
from tests.support.kb_fixture import write_kb

DAY1, DAY2, DAY3 = date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)


def at(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M:%S").time())


def said(conversation: str, when: datetime, channel: str) -> ConversationEvent:
    return ConversationEvent(conversation=conversation, event="user", occurred_at=when, channel=channel, intent="faq")


def replied(conversation: str, when: datetime, outcome: str, entry: str | None = None) -> ConversationEvent:
    return ConversationEvent(conversation=conversation, event="bot", occurred_at=when, faq_outcome=outcome,
                             faq_id=entry)


def acted(conversation: str, when: datetime, action: str) -> ConversationEvent:
    return ConversationEvent(conversation=conversation, event="action", occurred_at=when, action=action)


def ticket(conversation: str, channel: str, opened: datetime, agent: Agent | None = None, **fields: object) -> Ticket:
    return Ticket(conversation_id=conversation, channel=channel, kind=fields.pop("kind", "live"),
                  status=fields.pop("status", "closed"), reason="request", priority=1, created_at=opened,
                  last_activity_at=opened, agent_id=agent.id if agent else None, **fields)


def write_event_log(url: str, folder: Path) -> str:
    """Migrate the database at `url`, import a two-entry knowledge base and write the log; returns `url`."""
    import_content(write_kb(folder / "kb"), url)
    with session_factory(url)() as session, session.begin():
        session.add_all([
            said("a", at(DAY1, "10:00:00"), "web"), replied("a", at(DAY1, "10:00:01"), "answer", "card-001"),
            said("a", at(DAY1, "10:01:00"), "web"), replied("a", at(DAY1, "10:01:01"), "none"),
            said("b", at(DAY1, "11:00:00"), "wechat"), replied("b", at(DAY1, "11:00:01"), "clarify"),
            acted("b", at(DAY1, "11:00:30"), "action_handoff"),
            said("c", at(DAY2, "09:00:00"), "web"), replied("c", at(DAY2, "09:00:01"), "answer", "card-001"),
            said("c", at(DAY2, "09:02:00"), "web"), replied("c", at(DAY2, "09:02:01"), "answer", "card-002"),
            said("d", at(DAY2, "15:00:00"), "widget"), replied("d", at(DAY2, "15:00:01"), "none"),
            acted("d", at(DAY2, "15:00:30"), "action_handoff"),
            said("e", at(DAY2, "23:59:50"), "web"), replied("e", at(DAY3, "00:00:10"), "answer", "card-001"),
            said("e", at(DAY3, "00:01:00"), "web"), replied("e", at(DAY3, "00:01:01"), "answer", "card-001"),
            acted("f", at(DAY3, "08:00:00"), "action_session_start"),
        ])
        wang = Agent(username="xiaowang", display_name="小王", password_hash="x", created_at=at(DAY1, "08:00:00"))
        li = Agent(username="xiaoli", display_name="小李", password_hash="x", created_at=at(DAY1, "08:00:00"))
        session.add_all([wang, li])
        session.flush()
        first = ticket("b", "wechat", at(DAY1, "11:05:00"), wang, assigned_at=at(DAY1, "11:06:00"),
                       closed_at=at(DAY1, "11:16:00"), rating=4)
        second = ticket("d", "widget", at(DAY2, "15:01:00"), li, assigned_at=at(DAY2, "15:02:00"),
                        closed_at=at(DAY2, "15:22:00"), rating=2)
        waiting = ticket("e", "web", at(DAY3, "00:02:00"), status="queued")
        left = ticket("g", "web", at(DAY3, "09:00:00"), kind="message", rating=1)
        session.add_all([first, second, waiting, left])
        session.flush()
        session.add_all([
            AgentMessage(ticket_id=first.id, agent_id=wang.id, client_id="m1", text="您好", status="delivered",
                         created_at=at(DAY1, "11:06:30")),
            AgentMessage(ticket_id=first.id, agent_id=wang.id, client_id="m2", text="请稍等", status="delivered",
                         created_at=at(DAY1, "11:08:00")),
            AgentMessage(ticket_id=second.id, agent_id=li.id, client_id="m3", text="您好", status="delivered",
                         created_at=at(DAY2, "15:03:00")),
        ])
    return url
