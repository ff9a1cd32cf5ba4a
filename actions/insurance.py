"""Policies and claim status of the verified customer."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.gate import SkillReply, VerifiedQueryAction, request_entity
from bot.accounts import queries
from bot.accounts.replies import claim_text, policies_text


class ActionCheckPolicy(VerifiedQueryAction):
    """The policy with the given number, or all of the customer's policies."""

    offer = "utter_offer_check_policy"
    reads = ("policy.number", "policy.product", "policy.status", "policy.term", "policy.sum_insured",
             "policy.premium")

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_policy"

    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """List the policies."""
        number = request_entity(tracker, ["check_policy"], "policy_number")
        return SkillReply(policies_text(queries.policies(session, customer, number=number)))


class ActionCheckClaimStatus(VerifiedQueryAction):
    """The claim with the given number, or the customer's latest claim."""

    offer = "utter_offer_check_claim_status"
    reads = ("claim.number", "claim.policy_number", "claim.status", "claim.type", "claim.incident_date",
             "claim.amount")

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_check_claim_status"

    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """Where the claim stands."""
        number = request_entity(tracker, ["check_claim_status"], "claim_number")
        return SkillReply(claim_text(queries.claim_status(session, customer, number=number)))
