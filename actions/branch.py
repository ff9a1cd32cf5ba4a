"""Find branches by city and district (no verification needed)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.branch_reply import branches_text, unknown_city_text
from bot.runtime import branch_directory


class ValidateBranchForm(FormValidationAction):
    """Fill and check the city (and optional district) of a branch search."""

    def name(self) -> str:
        """The validation action of `branch_form`."""
        return "validate_branch_form"

    async def extract_city(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Recognise a directory city in the latest message (浦东 alone implies 上海)."""
        city, _ = branch_directory().match_place(tracker.latest_message.get("text"))
        return {"city": city} if city else {}

    def validate_city(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept only cities that the directory covers; say which ones it does otherwise."""
        if not slot_value:
            return {"city": None}
        directory = branch_directory()
        city = directory.match_city(str(slot_value))
        if city:
            return {"city": city}
        dispatcher.utter_message(text=unknown_city_text(str(slot_value), directory.cities))
        return {"city": None}


class ActionFindBranch(Action):
    """List the nearest branches with address, phone and opening hours."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_find_branch"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Reply with branches for the filled city/district, then clear the search slots."""
        directory = branch_directory()
        city: str | None = tracker.get_slot("city")
        district = _district(tracker, city) if city else None
        branches = directory.find(city, district) if city else []
        dispatcher.utter_message(text=branches_text(city, district, branches))
        return [SlotSet("city", None), SlotSet("district", None)]


class ActionInformOutOfContext(Action):
    """A message that only gives information, outside any form: a place is a branch search.

    「深圳南山」「浦东新区有吗」 (after a list of Shanghai branches) list that place's branches; a city
    without branches says which cities have some; anything else asks what the customer needs.
    """

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_inform_out_of_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Branches of the place named, or the generic question."""
        directory = branch_directory()
        city, district = directory.match_place(tracker.latest_message.get("text"))
        named = next(tracker.get_latest_entity_values("city"), None)
        if city:
            dispatcher.utter_message(text=branches_text(city, district, directory.find(city, district)))
        elif named:
            dispatcher.utter_message(text=unknown_city_text(named, directory.cities))
        else:
            dispatcher.utter_message(response="utter_inform")
        return [SlotSet("city", None), SlotSet("district", None)]


def _district(tracker: Tracker, city: str, recent_messages: int = 3) -> str | None:
    """The district of `city` named in the slot or in the customer's last few messages."""
    directory = branch_directory()
    texts = [tracker.get_slot("district")]
    texts += [event.get("text") for event in reversed(tracker.events) if event.get("event") == "user"][
        :recent_messages
    ]
    return next((d for d in (directory.match_district(t, city) for t in texts if t) if d), None)
