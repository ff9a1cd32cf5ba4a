"""Databases for the lifecycle tests (a migrated SQLite file, a fresh PostgreSQL database) and helpers that
store real conversations through the project's tracker store."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.core.db import create_db_engine, get_engine, session_factory
from bot.db.migrate import upgrade
from bot.privacy.tracker_stores import RedactingSQLTrackerStore
from tests.support.postgres import fresh_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated, empty SQLite application database."""
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    upgrade(url)
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated database on the PostgreSQL server, dropped afterwards."""
    with fresh_database("kefu_lifecycle") as url:
        upgrade(url)
        yield url
        get_engine(url).dispose()
        create_db_engine(url).dispose()


def save_conversation(url: str, sender: str, times: list[datetime], said: str = "我想查一下余额") -> None:
    """Store a conversation with one turn at each of `times`, as Rasa's server stores it (redacted)."""
    events = []
    for moment in times:
        stamp = moment.timestamp()
        events += [
            ActionExecuted("action_listen", timestamp=stamp),
            UserUttered(said, {"name": "check_balance", "confidence": 0.9}, timestamp=stamp),
            BotUttered(f"{sender} 的回复", timestamp=stamp + 1),
        ]
    store = RedactingSQLTrackerStore(host=url)
    try:
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    finally:
        store.engine.dispose()


def stored_events(url: str) -> dict[str, int]:
    """Events per conversation in the tracker store."""
    with get_engine(url).connect() as connection:
        rows = connection.execute(text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))
        return {sender: count for sender, count in rows}


def add(url: str, *rows: Any) -> None:
    """Insert ORM rows in one transaction (their ids are filled in)."""
    with session_factory(url)() as session, session.begin():
        session.add_all(rows)
        session.flush()
