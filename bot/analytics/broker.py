"""The embedded profile's event broker: Rasa publishes each stored (redacted) event here and it becomes an
analytics row in the application database, as `kefu events consume` does from RabbitMQ in the scaled profile."""

from __future__ import annotations

import logging
from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.exc import SQLAlchemyError

from bot.analytics.events import to_row
from bot.core.db import session_factory

logger = logging.getLogger(__name__)


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
        """Store the event's analytics row, if it has one."""
        row = to_row(event)
        if row is None:
            return
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
        except SQLAlchemyError:
            logger.exception("analytics: event %s not recorded", event.get("event"))
