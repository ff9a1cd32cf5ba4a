"""Policies and claim status of the verified customer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.gate import customer_or_verify, request_entity
from bot.accounts import queries
from bot.accounts.access import database_session
from bot.accounts.replies import claim_text, policies_text


class ActionCheckPolicy(Action):
    """The policy with the given number, or all of the customer's policies."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed, then list the policies."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            number = request_entity(tracker, ["check_policy"], "policy_number")
            found = queries.policies(session, customer, number=number)
        dispatcher.utter_message(text=policies_text(found))
        return []


class ActionCheckClaimStatus(Action):
    """The claim with the given number, or the customer's latest claim."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_claim_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed, then show where the claim stands."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            number = request_entity(tracker, ["check_claim_status"], "claim_number")
            claim = queries.claim_status(session, customer, number=number)
        dispatcher.utter_message(text=claim_text(claim))
        return []
