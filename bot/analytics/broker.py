"""The embedded profile's event broker: Rasa publishes each stored (redacted) event here and it becomes an
analytics row in the application database, as `kefu events consume` does from RabbitMQ in the scaled profile."""

from __future__ import annotations

import contextlib
import logging
from asyncio import AbstractEventLoop
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import SQLAlchemyError

from bot.analytics.events import to_row
from bot.core.db import session_factory

logger = logging.getLogger(__name__)

# The rows of the batch being published (one save's new events), written together when it ends.
_pending: ContextVar[list | None] = ContextVar("pending_rows", default=None)


class AnalyticsEventBroker(EventBroker):
    """Writes the analytics row of every event that has one; an event that cannot be written is logged, and
    the customer's turn goes on."""

    def __init__(self, url: str | None = None) -> None:
        self._sessions = session_factory(url)

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> AnalyticsEventBroker:
        """`event_broker: {type: bot.analytics.broker.AnalyticsEventBroker}`; `url` (optional) names another
        database than `DATABASE_URL`."""
        return cls(broker_config.url)

    def publish(self, event: dict[str, Any]) -> None:
        """Store the event's analytics row, if it has one (at the end of the batch, inside one)."""
        row = to_row(event)
        if row is None:
            return
        pending = _pending.get()
        if pending is None:
            self._write([row], event.get("event"))
        else:
            pending.append(row)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Rows published inside the block are written in one transaction when it ends: one commit per
        stored turn instead of one per event."""
        rows: list = []
        token = _pending.set(rows)
        try:
            yield
        finally:
            _pending.reset(token)
            if rows:
                self._write(rows, "batch")

    def _write(self, rows: list, what: object) -> None:
        try:
            with self._sessions() as session, session.begin():
                session.add_all(rows)
        except SQLAlchemyError:
            logger.exception("analytics: event %s not recorded", what)
