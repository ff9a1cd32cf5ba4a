"""Purging records older than their retention, in batches, keeping what an open ticket or a pending claim
still needs.

Each kind of record has its days in `Settings` (`KEFU_RETENTION_DAYS_*`, 0: kept forever). A conversation
goes whole, once its latest event is older than its retention; its identity verifications go with it. Two
kinds go as soon as they stop serving their purpose: expired WeChat bindings (`KEFU_WECHAT_BINDING_DAYS`
after binding) and wrong console passwords no longer counted for the login lockout.
Deleting is idempotent, so two purges at once (or a purge run twice) remove each record once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.models import ChannelBinding, IdentityChallenge, SmsOutbox, Verification
from bot.analytics.models import ConversationEvent
from bot.core.db import get_engine, session_factory
from bot.core.settings import Settings
from bot.handoff.models import AgentMessage, AgentSession, LoginFailure, Ticket
from bot.handoff.tickets import OPEN_STATUSES
from bot.lifecycle import conversations
from bot.lifecycle.stores import Stores
from bot.lifecycle.subjects import Protected, protected_records

BATCH = 500
"""Rows (or conversations) deleted per transaction."""
RETAINED_KINDS = ("conversations", "tickets", "analytics", "sms_outbox", "identity_challenges", "agent_sessions")
"""The kinds kept for a configurable number of days (`KEFU_RETENTION_DAYS_<KIND>`)."""
KINDS = (*RETAINED_KINDS, "channel_bindings", "login_failures")


@dataclass(frozen=True)
class Retention:
    """Days each retained kind of record is kept (0 keeps it forever); how long a WeChat binding lasts, and
    for how many minutes a wrong console password counts for the lockout."""

    conversations: int
    tickets: int
    analytics: int
    sms_outbox: int
    identity_challenges: int
    agent_sessions: int
    channel_bindings: int
    login_failures_minutes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        """The `KEFU_RETENTION_DAYS_*` settings, `KEFU_WECHAT_BINDING_DAYS`, and the lockout's window plus
        its length (`KEFU_LOGIN_LOCKOUT_WINDOW_MINUTES` + `KEFU_LOGIN_LOCKOUT_MINUTES`)."""
        return cls(
            **{kind: getattr(settings, f"retention_days_{kind}") for kind in RETAINED_KINDS},
            channel_bindings=settings.wechat_binding_days,
            login_failures_minutes=settings.login_lockout_window_minutes + settings.login_lockout_minutes,
        )

    def kept(self, kind: str) -> timedelta | None:
        """How long a record of `kind` is kept; None: forever."""
        if kind == "login_failures":
            return timedelta(minutes=self.login_failures_minutes)
        days = getattr(self, kind)
        return timedelta(days=days) if days else None


@dataclass
class KindPurge:
    """What one kind's purge removed (or, in a dry run, would remove): rows per table. `days` (or, for login
    failures, `minutes`) is how long the kind is kept; `cutoff` is None when it is kept forever."""

    kind: str
    days: int
    cutoff: datetime | None
    removed: dict[str, int] = field(default_factory=dict)
    minutes: int = 0


@dataclass
class PurgeReport:
    """The outcome of one purge."""

    now: datetime
    dry_run: bool
    kinds: list[KindPurge]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, times in ISO 8601."""
        data = asdict(self)
        data["now"] = self.now.isoformat()
        for kind in data["kinds"]:
            kind["cutoff"] = kind["cutoff"] and kind["cutoff"].isoformat()
        return data


Keep = Callable[[list[Row]], Collection[int]]
"""Given a batch of candidate rows, the ids of those to keep."""


def _each(predicate: Callable[[Row], bool]) -> Keep:
    """Keep the rows `predicate` holds for."""
    return lambda batch: {row.id for row in batch if predicate(row)}


class _Purge:
    """One purge over the stores, with the protected records read once at its start."""

    def __init__(self, stores: Stores, dry_run: bool) -> None:
        self.sessions: sessionmaker = session_factory(stores.database_url)
        self.tracker: Engine = get_engine(stores.conversations_url)
        self.dry_run = dry_run
        self.has_conversations = conversations.has_conversations(self.tracker)
        with self.sessions() as session:
            self.protected: Protected = protected_records(session)

    def rows(self, model: Any, condition: Any, keep: Keep, columns: tuple = (),
             dependents: tuple = ()) -> dict[str, int]:
        """Delete `model`'s rows matching `condition` unless `keep`s them, `BATCH` ids per transaction, after
        their rows in each `(table, foreign key)` of `dependents`."""
        removed = {model.__tablename__: 0, **{table.__tablename__: 0 for table, _ in dependents}}
        last = 0
        while True:
            with self.sessions() as session, session.begin():
                batch = session.execute(
                    select(model.id, *columns).where(condition, model.id > last).order_by(model.id).limit(BATCH)
                ).all()
                if not batch:
                    return removed
                last = batch[-1].id
                kept = keep(batch)
                ids = [row.id for row in batch if row.id not in kept]
                if not ids:
                    continue
                for table, key in dependents:
                    removed[table.__tablename__] += self._remove(session, table, key.in_(ids))
                removed[model.__tablename__] += self._remove(session, model, model.id.in_(ids))

    def _remove(self, session: Session, model: Any, condition: Any) -> int:
        if self.dry_run:
            return session.scalar(select(func.count()).select_from(model).where(condition)) or 0
        return session.execute(delete(model).where(condition)).rowcount

    def conversations(self, cutoff: datetime) -> dict[str, int]:
        """Whole conversations whose latest event is older than `cutoff`, then their verifications."""
        removed = {"conversations": 0, "events": 0}
        doomed: set[str] = set()
        if self.has_conversations:
            last = ""
            while True:
                with self.tracker.begin() as connection:
                    batch = conversations.stale_conversations(connection, cutoff.timestamp(), last, BATCH)
                    if not batch:
                        break
                    last = batch[-1]
                    senders = [sender for sender in batch if sender not in self.protected.conversations]
                    count = conversations.count_events if self.dry_run else conversations.delete_conversations
                    removed["events"] += count(connection, senders)
                    removed["conversations"] += len(senders)
                    if self.dry_run:
                        doomed.update(senders)
        return removed | self.rows(
            Verification, Verification.verified_at < cutoff, self._verification_kept(doomed),
            (Verification.sender_id, Verification.customer_id),
        )

    def _verification_kept(self, doomed: set[str]) -> Keep:
        """A verification stays while its conversation does (what links a conversation to its customer)."""
        def keep(batch: list[Row]) -> set[int]:
            stored: set[str] = set()
            if self.has_conversations:
                with self.tracker.connect() as connection:
                    stored = conversations.stored_conversations(connection, {row.sender_id for row in batch})
            return {
                row.id for row in batch
                if row.sender_id in (stored - doomed) | self.protected.conversations
                or row.customer_id in self.protected.customers
            }
        return keep

    def tickets(self, cutoff: datetime) -> dict[str, int]:
        """Closed tickets last active before `cutoff`, with their agents' messages."""
        ended = func.coalesce(Ticket.closed_at, Ticket.last_activity_at)
        return self.rows(
            Ticket, Ticket.status.not_in(OPEN_STATUSES) & (ended < cutoff),
            _each(lambda row: row.conversation_id in self.protected.conversations
                  or row.customer_id in self.protected.customers),
            (Ticket.conversation_id, Ticket.customer_id), ((AgentMessage, AgentMessage.ticket_id),),
        )

    def analytics(self, cutoff: datetime) -> dict[str, int]:
        keys = self.protected.analytics_keys
        return self.rows(ConversationEvent, ConversationEvent.occurred_at < cutoff,
                         _each(lambda row: row.conversation in keys), (ConversationEvent.conversation,))

    def sms_outbox(self, cutoff: datetime) -> dict[str, int]:
        return self.rows(SmsOutbox, SmsOutbox.created_at < cutoff,
                         _each(lambda row: row.phone in self.protected.phones), (SmsOutbox.phone,))

    def identity_challenges(self, cutoff: datetime) -> dict[str, int]:
        return self.rows(
            IdentityChallenge, IdentityChallenge.created_at < cutoff,
            _each(lambda row: row.sender_id in self.protected.conversations
                  or row.customer_id in self.protected.customers),
            (IdentityChallenge.sender_id, IdentityChallenge.customer_id),
        )

    def agent_sessions(self, cutoff: datetime) -> dict[str, int]:
        return self.rows(AgentSession, AgentSession.expires_at < cutoff, lambda _batch: ())

    def channel_bindings(self, cutoff: datetime) -> dict[str, int]:
        """Bindings made at or before `cutoff` have expired (an ended binding's row went when it ended)."""
        return self.rows(ChannelBinding, ChannelBinding.verified_at <= cutoff, lambda _batch: ())

    def login_failures(self, cutoff: datetime) -> dict[str, int]:
        """Wrong console passwords at or before `cutoff` no longer count for the lockout (`LoginGuard`)."""
        return self.rows(LoginFailure, LoginFailure.at <= cutoff, lambda _batch: ())


def purge(stores: Stores, retention: Retention, now: datetime, dry_run: bool = False) -> PurgeReport:
    """Delete (with `dry_run`: count) every record older than its kind's retention at `now`."""
    run = _Purge(stores, dry_run)
    kinds = []
    for kind in KINDS:
        kept = retention.kept(kind)
        cutoff = now - kept if kept else None
        kinds.append(KindPurge(
            kind, getattr(retention, kind, 0), cutoff, getattr(run, kind)(cutoff) if cutoff else {},
            retention.login_failures_minutes if kind == "login_failures" else 0,
        ))
    return PurgeReport(now, dry_run, kinds)
