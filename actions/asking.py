"""Form questions that, asked again after a message that answered nothing, say so once."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def unrecognised_answer(tracker: Tracker, slot: str) -> bool:
    """Whether `slot` is asked for again because the customer's latest message did not fill it.

    Not when something was said since that message (an FAQ answer, a wrong-code notice): then the
    customer knows why the question comes back.
    """
    if tracker.get_slot("requested_slot") != slot:
        return False
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return False
        if event.get("event") == "user":
            return True
    return False


class ActionAskAgain(Action, ABC):
    """Ask for a form slot with `utter_ask_<slot>`, or with `utter_ask_<slot>_again` (what was not
    understood, how to stop) when the customer's last message answered nothing and the validation
    stayed silent."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot asked for."""

    def name(self) -> str:
        """The form's ask action for the slot."""
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The question, or the reminder when the last message did not answer it."""
        again = "_again" if unrecognised_answer(tracker, self.slot) else ""
        dispatcher.utter_message(response=f"utter_ask_{self.slot}{again}")
        return []
