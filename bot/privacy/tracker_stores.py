"""Rasa tracker stores that save (and publish to the event broker) only redacted events.

Configured in `endpoints.yml` / `endpoints.scaled.yml` by module path, e.g.
`tracker_store: {type: bot.privacy.tracker_stores.RedactingSQLTrackerStore, dialect: postgresql, ...}`.
The conversation in memory during a turn keeps the real values; what is stored, and so what the next turn,
other instances, the event broker and the console see, is redacted.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.redaction import redact_events


def redacted_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The same conversation with personal data masked in every event."""
    events = [Event.from_parameters(event) for event in redact_events(e.as_dict() for e in tracker.events)]
    return DialogueStateTracker.from_events(
        tracker.sender_id, events, slots=list(tracker.slots.values()), max_event_history=tracker._max_event_history
    )


class RedactingInMemoryTrackerStore(InMemoryTrackerStore):
    """The embedded default, storing redacted conversations."""

    def __init__(self, domain: Any = None, event_broker: Any = None, host: str | None = None, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store and publish the redacted conversation."""
        await super().save(redacted_copy(tracker))


class RedactingSQLTrackerStore(SQLTrackerStore):
    """The scaled profile's store (PostgreSQL), storing redacted events."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store and publish the redacted events."""
        await super().save(redacted_copy(tracker))
