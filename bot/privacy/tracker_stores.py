"""Rasa tracker stores that save (and publish to the event broker) only redacted events.

Configured in `endpoints.yml` / `endpoints.scaled.yml` by module path, e.g.
`tracker_store: {type: bot.privacy.tracker_stores.RedactingSQLTrackerStore, dialect: postgresql, ...}`.
The conversation in memory during a turn keeps the real values; what is stored, and so what the next turn,
other instances, the event broker and the console see, is redacted.
"""

from __future__ import annotations

from contextvars import ContextVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.core.db import retry_database_errors
from bot.observability.turn import note_stored_conversation
from bot.privacy.redaction import redact_events

_WHAT = "tracker store"
# Set once a save has published its new events, so that retrying the save does not publish them again.
_published: ContextVar[bool] = ContextVar("published", default=False)


def redacted_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The same conversation with personal data masked in every event (events with none are reused)."""
    originals = list(tracker.events)
    plain = [event.as_dict() for event in originals]
    events = [
        event if masked == before else Event.from_parameters(masked)
        for event, before, masked in zip(originals, plain, redact_events(plain), strict=True)
    ]
    return DialogueStateTracker.from_events(
        tracker.sender_id, events, slots=list(tracker.slots.values()), max_event_history=tracker._max_event_history
    )


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL store, storing redacted events: SQLite in the embedded default, PostgreSQL when scaled.

    Database errors are retried for a while (a restart, a fail-over) instead of failing at once: Rasa would
    otherwise fall back to an empty in-memory tracker and the conversation would lose its state.
    """

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store and publish the redacted events (published once, however often the write is retried); the
        customer turn being handled learns its intent from the conversation."""
        note_stored_conversation(tracker)
        copy = redacted_copy(tracker)
        token = _published.set(False)
        try:
            await retry_database_errors(lambda: SQLTrackerStore.save(self, copy), _WHAT)
        finally:
            _published.reset(token)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the events the store does not have yet, unless this save already did.

        Rasa's own version reads the whole stored conversation back to find them; counting the stored
        events, as the save itself does, finds the same ones.
        """
        if _published.get() or self.event_broker is None:
            return
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
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
