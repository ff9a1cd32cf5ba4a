"""Shared steps of the personal-data skills: find the request, require a verified customer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.accounts.access import database_session, verified_customer

VERIFY_FORM = "verify_form"


def latest_user_event(tracker: Tracker, intents: Iterable[str] | None = None) -> dict[str, Any]:
    """The customer's latest message (optionally the latest with one of `intents`)."""
    wanted = set(intents) if intents else None
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if wanted is None or intent in wanted:
            return event
    return {}


def request_text(tracker: Tracker, intents: Iterable[str]) -> str:
    """Text of the message that asked for the skill (it may precede a verification dialogue)."""
    return latest_user_event(tracker, intents).get("text") or ""


def request_entity(tracker: Tracker, intents: Iterable[str], entity: str) -> str | None:
    """An entity value of the message that asked for the skill."""
    entities = (latest_user_event(tracker, intents).get("parse_data") or {}).get("entities") or []
    return next((str(e["value"]) for e in entities if e.get("entity") == entity and e.get("value")), None)


def conversation_customer(session: Session, tracker: Tracker) -> int | None:
    """The verified customer of this conversation (signed token in the latest message, or chat verification)."""
    return verified_customer(session, tracker.sender_id, latest_user_event(tracker).get("metadata"))


def customer_or_verify(
    session: Session, dispatcher: CollectingDispatcher, tracker: Tracker, resume_with: str
) -> tuple[int | None, list[dict[str, Any]]]:
    """The verified customer, or the events that start verification and resume `resume_with` after it."""
    customer = conversation_customer(session, tracker)
    if customer is not None:
        return customer, []
    dispatcher.utter_message(response="utter_verification_needed")
    return None, [SlotSet("pending_skill", resume_with), FollowupAction(VERIFY_FORM)]


@dataclass(frozen=True)
class SkillReply:
    """What a skill says, the buttons it offers and the events it returns."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


class VerifiedQueryAction(Action, ABC):
    """A skill that needs a verified customer: verify first (then resume), else answer."""

    @abstractmethod
    def name(self) -> str:
        """The action name used in the domain."""

    @abstractmethod
    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """The reply for a verified customer."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Verify if needed, then reply."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return events
            reply = self.answer(session, customer, tracker)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return reply.events


class StartVerifiedFormAction(Action, ABC):
    """Open a form that changes state for the customer, after verification if needed."""

    form = ""

    @abstractmethod
    def name(self) -> str:
        """The action name used in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Start verification (resuming the form afterwards) or the form itself."""
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.form)
        return events if customer is None else [FollowupAction(self.form)]
