"""Rasa tracker stores that save (and publish to the event broker) only redacted events.

Configured in `endpoints.yml` / `endpoints.scaled.yml` by module path, e.g.
`tracker_store: {type: bot.privacy.tracker_stores.RedactingSQLTrackerStore, dialect: postgresql, ...}`.
The conversation in memory during a turn keeps the real values; what is stored, and so what the next turn,
other instances, the event broker and the console see, is redacted.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.core.db import retry_database_errors
from bot.observability.turn import note_stored_conversation
from bot.privacy.redaction import redact_events

_WHAT = "tracker store"
# Set once a save has published its new events, so that retrying the save does not publish them again.
_published: ContextVar[bool] = ContextVar("published", default=False)
# The new events, redacted, as publishing them found them: the write that follows in the same save takes them
# instead of counting and redacting again.
_found: ContextVar[list[Event] | None] = ContextVar("found", default=None)


def redacted_events(tracker: DialogueStateTracker, start: int = 0) -> list[Event]:
    """The conversation's events from `start` on, with personal data masked (events with none are reused).

    A sensitive slot masks its value in the customer message before it, so the last customer message before
    `start` is redacted along with them as context, and left out of the result.
    """
    events = list(tracker.events)
    context = next((index for index in range(start - 1, -1, -1) if isinstance(events[index], UserUttered)), None)
    first = start if context is None else context
    originals = events[first:]
    plain = [event.as_dict() for event in originals]
    redacted = [
        event if masked == before else Event.from_parameters(masked)
        for event, before, masked in zip(originals, plain, redact_events(plain), strict=True)
    ]
    return redacted[start - first:]


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL store, storing redacted events: SQLite in the embedded default, PostgreSQL when scaled.

    Database errors are retried for a while (a restart, a fail-over) instead of failing at once: Rasa would
    otherwise fall back to an empty in-memory tracker and the conversation would lose its state.
    """

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store and publish the new events, redacted (published once, however often the write is retried);
        the customer turn being handled learns its intent from the conversation."""
        note_stored_conversation(tracker)
        token, found = _published.set(False), _found.set(None)
        try:
            await retry_database_errors(lambda: SQLTrackerStore.save(self, tracker), _WHAT)
        finally:
            _published.reset(token)
            _found.reset(found)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events not stored yet, redacted: only they are masked, not the whole conversation again."""
        found = _found.get()
        if found is not None:
            _found.set(None)
            return iter(found)
        stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return iter(redacted_events(tracker, stored))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the events the store does not have yet, unless this save already did.

        Rasa's own version reads the whole stored conversation back to find them; counting the stored
        events, as the save itself does, finds the same ones. A broker that can batch (the embedded analytics
        broker) writes them in one transaction.
        """
        if _published.get() or self.event_broker is None:
            return
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        _found.set(new_events)
        with getattr(self.event_broker, "batch", contextlib.nullcontext)():
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
        _published.set(True)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The stored conversation."""
        return await retry_database_errors(lambda: SQLTrackerStore.retrieve(self, sender_id), _WHAT)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """The stored conversation with every session."""
        return await retry_database_errors(
            lambda: SQLTrackerStore.retrieve_full_tracker(self, conversation_id), _WHAT
        )
