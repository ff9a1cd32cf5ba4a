"""`kefu events`: consume conversation events from RabbitMQ, and summarise them."""

from __future__ import annotations

import argparse
import asyncio

from sqlalchemy import distinct, func, select

from bot.analytics.consumer import consume
from bot.analytics.models import ConversationEvent
from bot.core.db import database_session
from bot.core.settings import SCALED, Settings
from bot.db.migrate import upgrade


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the events commands."""
    events = subparsers.add_parser("events", help="会话事件（RabbitMQ）与统计")
    commands = events.add_subparsers(dest="events_command", required=True)
    run = commands.add_parser("consume", help="从 RabbitMQ 读取 Rasa 会话事件并写入统计表")
    run.add_argument("--queue", default=None, help="队列名（默认 KEFU_EVENTS_QUEUE 或 kefu_events）")
    run.set_defaults(handler=_consume)
    commands.add_parser("summary", help="会话统计摘要").set_defaults(handler=_summary)


def _consume(args: argparse.Namespace) -> int:
    settings = Settings.from_environ(profile=SCALED)
    upgrade()
    asyncio.run(consume(settings.rabbitmq_url, args.queue or settings.events_queue))
    return 0


def _summary(_args: argparse.Namespace) -> int:
    with database_session() as session:
        conversations = session.scalar(select(func.count(distinct(ConversationEvent.conversation)))) or 0
        messages = session.scalar(select(func.count()).where(ConversationEvent.event == "user")) or 0
        outcomes = dict(
            session.execute(
                select(ConversationEvent.faq_outcome, func.count())
                .where(ConversationEvent.faq_outcome.is_not(None))
                .group_by(ConversationEvent.faq_outcome)
            ).all()
        )
        handed_over = session.scalar(
            select(func.count(distinct(ConversationEvent.conversation))).where(
                ConversationEvent.action == "action_handoff"
            )
        ) or 0
    print(f"会话 {conversations} 个，客户消息 {messages} 条，转人工会话 {handed_over} 个")
    print("知识库：直接回答 {answer} 次，澄清 {clarify} 次，未找到 {none} 次".format(
        answer=outcomes.get("answer", 0), clarify=outcomes.get("clarify", 0), none=outcomes.get("none", 0)
    ))
    return 0
