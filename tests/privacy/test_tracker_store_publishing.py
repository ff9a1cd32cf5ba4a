"""What the redacting SQL tracker store publishes: each new event once, in order, redacted, also when a save
is retried because the database refused writes for a moment."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from pathlib import Path

import sqlalchemy as sa
from rasa.core.brokers.sql import SQLEventBroker
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.tracker_stores import RedactingSQLTrackerStore


def _published(events_db: Path, sender: str) -> list[dict]:
    engine = sa.create_engine(f"sqlite:///{events_db}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
        return [json.loads(row[0]) for row in rows]


def _turn(text: str, reply: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "faq", "confidence": 0.9}),
        ActionExecuted("action_answer_faq"),
        BotUttered(reply),
    ]


def test_each_save_publishes_only_the_new_events(tmp_path: Path) -> None:
    events_db = tmp_path / "events.db"
    store = RedactingSQLTrackerStore(
        dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=SQLEventBroker(db=str(events_db))
    )
    tracker = DialogueStateTracker.from_events("customer-2", [])
    turns = [
        ("信用卡怎么还款", "您可以通过手机银行还款。"),
        ("我的手机号是13812345678", "好的。"),
        ("谢谢", "不客气。"),
    ]

    async def converse() -> None:
        for text, reply in turns:
            for event in _turn(text, reply):
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(converse())

    published = _published(events_db, "customer-2")
    assert [event["event"] for event in published] == [event.type_name for event in tracker.events]
    texts = [event["text"] for event in published if event["event"] == "user"]
    assert texts == ["信用卡怎么还款", "我的手机号是138****5678", "谢谢"]
    stored = asyncio.run(store.retrieve("customer-2"))
    assert stored is not None and len(stored.events) == len(tracker.events)


def test_a_save_retried_after_the_database_was_locked_stores_and_publishes_each_event_once(tmp_path: Path) -> None:
    tracker_db, events_db = tmp_path / "tracker.db", tmp_path / "events.db"
    # A short busy timeout, so that a write fails (OperationalError) while another connection holds the lock.
    store = RedactingSQLTrackerStore(
        dialect="sqlite", db=str(tracker_db), query={"timeout": "0.2"}, event_broker=SQLEventBroker(db=str(events_db))
    )
    tracker = DialogueStateTracker.from_events(
        "customer-1",
        [
            ActionExecuted("action_listen"),
            UserUttered("信用卡怎么还款", {"name": "faq", "confidence": 0.9}),
            ActionExecuted("action_answer_faq"),
            BotUttered("您可以通过手机银行还款。"),
            ActionExecuted("action_listen"),
        ],
    )
    blocker = sqlite3.connect(tracker_db, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # readers may go on; writers get "database is locked"
    release = threading.Timer(1.2, blocker.rollback)
    release.start()
    try:
        asyncio.run(store.save(tracker))
    finally:
        release.join()
        blocker.close()

    stored = asyncio.run(store.retrieve("customer-1"))
    assert stored is not None and len(stored.events) == len(tracker.events)
    assert len(_published(events_db, "customer-1")) == len(tracker.events)
