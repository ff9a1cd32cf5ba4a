"""The access audit log's entries about a customer, read by reflection: the table belongs to `bot.privacy`,
and a database migrated before it existed has none."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import MetaData, Table, inspect, or_, select
from sqlalchemy.engine import Engine

from bot.lifecycle.records import mapping_record

AUDIT_TABLE = "audit_log"


def audit_entries(engine: Engine, customer_id: int, conversations: Collection[str]) -> list[dict[str, Any]] | None:
    """Entries naming the customer or one of their conversations, oldest first; None without an audit log."""
    if not inspect(engine).has_table(AUDIT_TABLE):
        return None
    table = Table(AUDIT_TABLE, MetaData(), autoload_with=engine)
    about = [table.c.customer_id == customer_id] if "customer_id" in table.c else []
    if "conversation_id" in table.c and conversations:
        about.append(table.c.conversation_id.in_(list(conversations)))
    if not about:
        return []
    with engine.connect() as connection:
        rows = connection.execute(select(table).where(or_(*about)).order_by(*table.primary_key.columns))
        return [mapping_record(row._mapping) for row in rows]
