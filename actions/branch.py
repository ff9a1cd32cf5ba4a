"""Find branches by city and district (no verification needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import previous_bot_action
from bot.branches.directory import Branch
from bot.branches.replies import (
    MAX_DETAIL_CHARS,
    asked_details,
    branch_details_text,
    branches_text,
    search_reply,
    unknown_city_text,
)
from bot.content.services import branch_directory

ANSWER_INTENTS = frozenset({"inform", "nlu_fallback", "affirm", "find_branch"})
SEARCH_ACTION = "action_find_branch"


class ValidateBranchForm(FormValidationAction):
    """Fill and check the city (and optional district) of a branch search."""

    def name(self) -> str:
        """The validation action of `branch_form`."""
        return "validate_branch_form"

    async def extract_city(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Recognise a city in the latest message (浦东 alone implies 上海; any Chinese city counts); a question
        about the branches just listed (「周日营业吗」) keeps their city."""
        text = tracker.latest_message.get("text") or ""
        directory = branch_directory()
        city, _ = directory.locate(text)
        listed_before = directory.by_ids(tracker.get_slot("last_branches") or [])
        if not city and listed_before and asked_details(text):
            city = listed_before[0].city
        if city:
            return {"city": city}
        answering = tracker.get_slot("requested_slot") == "city" and not text.startswith("/")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # Anything else given as the answer is checked (and the covered cities named) instead of ignored.
        return {"city": text} if answering and intent in ANSWER_INTENTS else {}

    def validate_city(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a directory city or any other Chinese city (its search says where the nearest branches are);
        re-ask, naming the covered cities, for anything else."""
        if not slot_value:
            return {"city": None}
        directory = branch_directory()
        city = directory.match_city(str(slot_value)) or directory.locate(str(slot_value))[0]
        if city:
            return {"city": city}
        dispatcher.utter_message(text=unknown_city_text(str(slot_value), directory.cities))
        return {"city": None}


def listed(branches: Sequence[Branch]) -> dict[str, Any]:
    """Remember the branches just shown, for follow-ups such as 「周日营业吗」."""
    return SlotSet("last_branches", [branch.id for branch in branches] or None)


def branch_followup(
    dispatcher: CollectingDispatcher, tracker: Tracker, places: bool = True
) -> list[dict[str, Any]] | None:
    """Right after a branch list, or a search that found none in the place asked (「昆明有网点吗」): the branches
    of another place named (「那成都呢」, unless `places` is false), or the hours, phone or address of the branches
    just listed (「周日营业吗」); None when the message is neither."""
    ids = tracker.get_slot("last_branches") or []
    if not ids and previous_bot_action(tracker) != SEARCH_ACTION:
        return None
    text = tracker.latest_message.get("text") or ""
    directory = branch_directory()
    city, district = directory.locate(text) if places and len(text) <= MAX_DETAIL_CHARS else (None, None)
    if city:
        reply, branches = search_reply(directory, city, district)
        dispatcher.utter_message(text=reply)
        return [SlotSet("city", None), SlotSet("district", None), listed(branches)]
    details = asked_details(text)
    branches = directory.by_ids(ids) if details else []
    if not branches:
        return None
    dispatcher.utter_message(text=branch_details_text(branches, details))
    return [SlotSet("city", None), SlotSet("district", None)]


class ActionFindBranch(Action):
    """List the nearest branches with address, phone and opening hours."""

    def name(self) -> str:
        """The action name used in the domain."""
        return SEARCH_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Reply with branches for the filled city/district (or the details asked of those just listed), then
        clear the search slots."""
        followup = branch_followup(dispatcher, tracker)
        if followup is not None:
            return followup
        directory = branch_directory()
        city: str | None = tracker.get_slot("city")
        district = _district(tracker, city) if city else None
        text, branches = search_reply(directory, city, district) if city else (branches_text(None, None, []), [])
        dispatcher.utter_message(text=text)
        return [SlotSet("city", None), SlotSet("district", None), listed(branches)]


def _district(tracker: Tracker, city: str, recent_messages: int = 3) -> str | None:
    """The district of `city` named in the slot or in the customer's last few messages."""
    directory = branch_directory()
    texts = [tracker.get_slot("district")]
    texts += [event.get("text") for event in reversed(tracker.events) if event.get("event") == "user"][
        :recent_messages
    ]
    return next((d for d in (directory.match_district(t, city) for t in texts if t) if d), None)
