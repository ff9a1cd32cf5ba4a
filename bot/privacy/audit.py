"""The access audit log: append an entry to the hash chain, list a customer's entries, verify the chain.

Appending is the only write the application has. Each append runs in its own transaction that first takes
the table's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: LOCK TABLE ... IN EXCLUSIVE MODE), so two
processes appending at once still form one chain. Call it after your own session has committed its writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.core.clock import Clock, utc_clock
from bot.privacy.audit_table import TABLE, AuditEntry

GENESIS = "0" * 64
"""The `prev_hash` of the first entry."""
ACTOR_KINDS = ("bot", "agent", "cli")


@dataclass(frozen=True)
class Access:
    """What is recorded: who (`actor_kind`, `actor`), about whom, where, why and which fields."""

    actor_kind: str
    actor: str
    purpose: str
    customer_id: int | None = None
    conversation_id: str | None = None
    ticket_id: int | None = None
    fields: Sequence[str] = field(default_factory=tuple)
    address: str | None = None

    def __post_init__(self) -> None:
        if self.actor_kind not in ACTOR_KINDS:
            raise ValueError(f"actor_kind must be one of {ACTOR_KINDS}, not {self.actor_kind!r}")


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of `verify_chain`: how many entries, and the first one that does not fit (or None)."""

    entries: int
    first_broken: int | None

    @property
    def intact(self) -> bool:
        """True when every entry's hash and link are as appended."""
        return self.first_broken is None


def entry_hash(entry_id: int, at: datetime, access: Access, prev_hash: str) -> str:
    """sha256 over the canonical JSON of an entry's content and the previous entry's hash."""
    content = [
        entry_id, at.isoformat(), access.actor_kind, access.actor, access.customer_id, access.conversation_id,
        access.ticket_id, access.purpose, list(access.fields), access.address, prev_hash,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _lock(connection: Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")


def append(bind: Engine | Session, access: Access, clock: Clock = utc_clock) -> int:
    """Append `access` to the chain in a transaction of its own; returns the new entry's id."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    with engine.connect() as connection:
        _lock(connection)
        last = connection.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        entry_id, prev_hash = (last.id + 1, last.hash) if last else (1, GENESIS)
        at = clock()
        connection.execute(insert(AuditEntry).values(
            id=entry_id, at=at, actor_kind=access.actor_kind, actor=access.actor, customer_id=access.customer_id,
            conversation_id=access.conversation_id, ticket_id=access.ticket_id, purpose=access.purpose,
            fields=list(access.fields), address=access.address, prev_hash=prev_hash,
            hash=entry_hash(entry_id, at, access, prev_hash),
        ))
        connection.commit()
    return entry_id


def _access_of(row: AuditEntry) -> Access:
    return Access(
        actor_kind=row.actor_kind, actor=row.actor, purpose=row.purpose, customer_id=row.customer_id,
        conversation_id=row.conversation_id, ticket_id=row.ticket_id, fields=tuple(row.fields or ()),
        address=row.address,
    )


def _in_order(session: Session) -> Iterator[AuditEntry]:
    return iter(session.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=500)))


def verify_chain(session: Session) -> ChainCheck:
    """Recompute every hash in order; the first entry whose hash or link to its predecessor differs is broken."""
    count, prev_hash, prev_id = 0, GENESIS, 0
    for row in _in_order(session):
        count += 1
        expected = entry_hash(row.id, row.at, _access_of(row), prev_hash)
        if row.id != prev_id + 1 or row.prev_hash != prev_hash or row.hash != expected:
            return ChainCheck(count, row.id)
        prev_hash, prev_id = row.hash, row.id
    return ChainCheck(count, None)


def entries_for(session: Session, customer_id: int) -> list[AuditEntry]:
    """Every entry about one customer, oldest first."""
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.customer_id == customer_id).order_by(AuditEntry.id)
    ))


def as_dict(row: AuditEntry) -> dict[str, Any]:
    """An entry as JSON-ready data."""
    return {
        "id": row.id, "at": row.at.isoformat(), "actor_kind": row.actor_kind, "actor": row.actor,
        "customer_id": row.customer_id, "conversation_id": row.conversation_id, "ticket_id": row.ticket_id,
        "purpose": row.purpose, "fields": list(row.fields or ()), "address": row.address,
        "prev_hash": row.prev_hash, "hash": row.hash,
    }

