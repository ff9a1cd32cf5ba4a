"""Form questions that, asked again after a message that answered nothing, never trap the customer.

The first message that answers nothing gets a reminder of what is asked and how to stop; a general
question the knowledge base is sure of is answered, an off-topic question is told it is out of scope, and the
question is asked again; a second message in a row that answers nothing (a wrong number included) ends the
form rather than repeating the same reminder.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.gate import general_answer
from actions.inform import asks_off_topic


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


def reminded_before(tracker: Tracker, slot: str) -> bool:
    """Whether the bot's last words before the latest message were the reminder for `slot`."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action") == f"utter_ask_{slot}_again"
    return False


def end_form() -> list[dict[str, Any]]:
    """Events that end the running form as finished, so that its closing action says what happens."""
    return [SlotSet("requested_slot", None), ActiveLoop(None)]


class ActionAskAgain(Action, ABC):
    """Ask for a form slot with `utter_ask_<slot>`, or react to a message that did not answer it.

    A confident general answer, or for an off-topic question the out-of-scope reply, is given and the question
    asked again; otherwise the first time the
    reminder `utter_ask_<slot>_again` (what was not understood, how to stop) is given, and the second
    time in a row the form ends.
    """

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
        """The question, an answer and the question, the reminder, or the end of the form."""
        if not unrecognised_answer(tracker, self.slot):
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
            return []
        reply = await general_answer(tracker)
        if reply is not None:
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons, **reply.metadata)
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
            return [SlotSet("last_faq_id", reply.faq_id)]
        if asks_off_topic(tracker):
            dispatcher.utter_message(response="utter_out_of_scope")
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
            return []
        if reminded_before(tracker, self.slot):
            return end_form()
        dispatcher.utter_message(response=f"utter_ask_{self.slot}_again")
        return []
