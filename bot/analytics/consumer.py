"""Consume Rasa's conversation events from RabbitMQ and store the analytics rows."""

from __future__ import annotations

import json
import logging

import aio_pika
from sqlalchemy.orm import sessionmaker

from bot.analytics.events import to_row
from bot.core.db import session_factory

logger = logging.getLogger(__name__)


async def consume(amqp_url: str, queue_name: str) -> None:
    """Store every event from `queue_name`, for ever; a message is acknowledged only once stored."""
    connection = await aio_pika.connect_robust(amqp_url)
    sessions = session_factory()
    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        queue = await channel.declare_queue(queue_name, durable=True)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process(requeue=True):
                    store(sessions, message.body)
    finally:
        await connection.close()


def store(sessions: sessionmaker, body: bytes) -> None:
    """Write the row for one published event; malformed messages are logged and dropped."""
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        logger.warning("dropping a malformed event (%d bytes)", len(body))
        return
    row = to_row(event) if isinstance(event, dict) else None
    if row is None:
        return
    with sessions() as session:
        session.add(row)
        session.commit()
