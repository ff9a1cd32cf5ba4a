"""The embedded profile's event broker writes analytics rows into the application database, and never fails a
customer's turn."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.analytics.broker import AnalyticsEventBroker
from bot.analytics.events import conversation_key
from bot.analytics.models import ConversationEvent
from bot.core.db import session_factory
from bot.db.migrate import upgrade

USER = {"event": "user", "sender_id": "web-1", "timestamp": 1_700_000_000.0, "input_channel": "widget",
        "parse_data": {"intent": {"name": "faq", "confidence": 0.88}}}


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    upgrade(url)
    return url


def stored(url: str) -> list[ConversationEvent]:
    with session_factory(url)() as session:
        return list(session.scalars(select(ConversationEvent).order_by(ConversationEvent.id)))


def test_events_that_count_become_rows(url: str) -> None:
    broker = AnalyticsEventBroker(url)
    broker.publish(USER)
    broker.publish({"event": "action", "sender_id": "web-1", "name": "action_listen"})
    broker.publish({"event": "action", "sender_id": "web-1", "name": "action_faq"})
    rows = stored(url)
    assert [(row.event, row.intent, row.action, row.channel) for row in rows] == [
        ("user", "faq", None, "widget"), ("action", None, "action_faq", None)]
    assert {row.conversation for row in rows} == {conversation_key("web-1")}


def test_a_database_failure_is_logged_not_raised(url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = AnalyticsEventBroker(f"sqlite:///{tmp_path / 'never_migrated.db'}")
    with caplog.at_level(logging.ERROR, logger="bot.analytics.broker"):
        broken.publish(USER)
    assert "not recorded" in caplog.text


def test_a_batch_writes_its_rows_in_order_when_it_ends(url: str) -> None:
    broker = AnalyticsEventBroker(url)
    with broker.batch():
        broker.publish(USER)
        broker.publish({"event": "action", "sender_id": "web-1", "name": "action_faq"})
        assert stored(url) == [], "a batch is written when it ends"
    assert [(row.event, row.action) for row in stored(url)] == [("user", None), ("action", "action_faq")]
    broker.publish({"event": "action", "sender_id": "web-1", "name": "utter_greet"})
    assert len(stored(url)) == 3, "outside a batch each row is written at once"
