"""Conversations as Rasa's SQL tracker store keeps them: one row per (already redacted) event in `events`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, inspect, select
from sqlalchemy.engine import Connection, Engine

EVENTS = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("data", Text),
)
"""The columns of `rasa.core.tracker_store.SQLTrackerStore.SQLEvent` that the lifecycle reads."""


def has_conversations(engine: Engine) -> bool:
    """Whether the tracker store's table exists yet (Rasa creates it when it first starts)."""
    return inspect(engine).has_table(EVENTS.name)


def stale_conversations(connection: Connection, before: float, after: str, limit: int) -> list[str]:
    """Up to `limit` conversations, in order of id after `after`, whose latest event is older than `before`."""
    query = (
        select(EVENTS.c.sender_id).where(EVENTS.c.sender_id > after).group_by(EVENTS.c.sender_id)
        .having(func.max(EVENTS.c.timestamp) < before).order_by(EVENTS.c.sender_id).limit(limit)
    )
    return list(connection.scalars(query))


def count_events(connection: Connection, sender_ids: Sequence[str]) -> int:
    """How many events these conversations have."""
    if not sender_ids:
        return 0
    return connection.scalar(select(func.count()).where(EVENTS.c.sender_id.in_(sender_ids))) or 0


def delete_conversations(connection: Connection, sender_ids: Sequence[str]) -> int:
    """Delete every event of these conversations; the number of events deleted."""
    if not sender_ids:
        return 0
    return connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(sender_ids))).rowcount


def stored_conversations(connection: Connection, sender_ids: Iterable[str]) -> set[str]:
    """Those of `sender_ids` that still have events."""
    wanted = list(sender_ids)
    if not wanted:
        return set()
    return set(connection.scalars(select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(wanted)).distinct()))


def conversation_events(engine: Engine, sender_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The stored events of each conversation that has any, in order, as Rasa's event dictionaries."""
    wanted = sorted(set(sender_ids))
    if not wanted or not has_conversations(engine):
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        rows = connection.execute(
            select(EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.sender_id.in_(wanted)).order_by(EVENTS.c.id)
        )
        for sender_id, data in rows:
            found.setdefault(sender_id, []).append(json.loads(data) if data else {})
    return found
