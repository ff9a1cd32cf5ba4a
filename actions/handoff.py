"""Hand conversations to human agents, take messages when none is available, and store ratings."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, ConversationPaused, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, kb_answers_followup
from actions.gate import conversation_customer, latest_user_event
from actions.unresolved import COUNTERS, UNRESOLVED_LIMIT, answer_rejected, reset_counters
from bot.content.services import knowledge_base
from bot.core.clock import system_clock
from bot.core.db import database_session, retry_database_errors
from bot.core.text import MAX_NLU_CHARS, normalize
from bot.faq.replies import FaqReply, confident_answer
from bot.handoff.agents import AgentService
from bot.handoff.config import service_hours
from bot.handoff.messages import queued_status, queued_text
from bot.handoff.tickets import TicketService
from bot.handoff.transcript import summarize
from bot.nlu.rejection import rejects
from bot.nlu.request_kind import reads_as_general

LEAVE_MESSAGE_FORM = "leave_message_form"


def handoff_reason(tracker: Tracker) -> str:
    """Why the customer is handed over: a high-risk topic, a complaint, repeated failures, or a request."""
    message = latest_user_event(tracker)
    parse = message.get("parse_data") or {}
    if any(entity.get("entity") == "risk_topic" for entity in parse.get("entities") or []):
        return "high_risk"
    intent = (parse.get("intent") or {}).get("name")
    if intent == "complain":
        return "complain"
    if any((tracker.get_slot(slot) or 0) >= UNRESOLVED_LIMIT for slot in COUNTERS):
        return "unresolved"
    return "request"


class ActionHandoff(Action):
    """Queue the conversation for an agent and pause the bot, or offer to leave a message."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Open (or find) the ticket and tell the customer their place in the queue."""
        reason = handoff_reason(tracker)
        hours = service_hours()
        with database_session() as session:
            tickets = TicketService(session)
            existing = tickets.open_ticket(tracker.sender_id)
            is_open = hours.is_open(system_clock())
            available = is_open and bool(AgentService(session).online())
            if not available and not (existing and existing.kind == "live"):
                if reason == "high_risk":
                    dispatcher.utter_message(response="utter_handoff_priority")
                if is_open:
                    dispatcher.utter_message(response="utter_handoff_unavailable")
                else:
                    dispatcher.utter_message(response="utter_handoff_closed", hours=hours.describe())
                return [*reset_counters(), FollowupAction(LEAVE_MESSAGE_FORM)]
            ticket = tickets.request_live(
                tracker.sender_id, tracker.get_latest_input_channel() or "unknown", reason,
                conversation_customer(session, tracker), summarize(tracker.events, tracker.current_slot_values()),
            )
            position = tickets.announce_position(ticket)
        if reason == "high_risk":
            dispatcher.utter_message(response="utter_handoff_priority")
        dispatcher.utter_message(text=queued_text(position), json_message=queued_status(position))
        # Any form in progress ends: the agent takes over. Paused conversations never run action_listen;
        # record it so that the customer's messages, and the bot's predictions after the agent hands back,
        # follow a listen as in any other turn.
        return [
            *reset_counters(), ActiveLoop(None), SlotSet("requested_slot", None), ConversationPaused(),
            ActionExecuted("action_listen"),
        ]


class ActionNoteUnresolved(Action):
    """「不对」 after an answer (or again after the apology): apologise, and hand over the second time;
    right after an answer, a follow-up question the classifier took for a 「不」 (「办一个要钱不」) is answered;
    after a branch list, a question about those branches; otherwise — or when the customer lets the matter
    drop (「算了」) — a polite 「好的」."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_note_unresolved"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer a follow-up question taken for a 「不」; otherwise apologise and count the turn."""
        text = tracker.latest_message.get("text") or ""
        if not rejects(text) and await asyncio.to_thread(kb_answers_followup, tracker):
            return await ActionAnswerFaq().run(dispatcher, tracker, domain)
        return answer_rejected(dispatcher, tracker)


class ActionLeaveMessage(Action):
    """Turn the message the customer left into a ticket for agents to follow up."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_leave_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Store the message and confirm with the ticket number."""
        text = (tracker.get_slot("leave_message") or "").strip()

        def store() -> int:
            with database_session() as session:
                ticket = TicketService(session).leave_message(
                    tracker.sender_id, tracker.get_latest_input_channel() or "unknown", text,
                    conversation_customer(session, tracker), summarize(tracker.events, tracker.current_slot_values()),
                )
                return ticket.id

        # The form has already ended: failing now would lose the message, so ride out a database restart.
        number = await retry_database_errors(lambda: asyncio.to_thread(store), "leave message")
        dispatcher.utter_message(response="utter_message_left", ticket=f"L{number:06d}")
        # A question left as the message (「那我现在要先冻结卡吗」) is for the agent too, but the customer need not
        # wait for the answer the knowledge base has.
        answer = await asyncio.to_thread(answer_to_left_question, text)
        if answer is not None:
            dispatcher.utter_message(text=f"{LEFT_QUESTION_PREFIX}{answer.text}", metadata=answer.metadata)
        return [SlotSet("leave_message", None)]


LEFT_QUESTION_PREFIX = "关于您留言中的问题，先为您解答：\n"


def answer_to_left_question(text: str) -> FaqReply | None:
    """The knowledge base's confident answer to a left message that reads as a general question."""
    clean = normalize(text, MAX_NLU_CHARS)
    if not reads_as_general(clean):
        return None
    return confident_answer(knowledge_base(), clean)


class ActionStoreRating(Action):
    """Store the 1-5 satisfaction rating given after a human service."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Thank the customer; the rating goes to their latest closed ticket."""
        value = next(tracker.get_latest_entity_values("rating"), None)
        rating = int(value) if isinstance(value, str) and value.isdigit() else None
        if rating is None or not 1 <= rating <= 5:
            dispatcher.utter_message(response="utter_rating_invalid")
            return []
        with database_session() as session:
            TicketService(session).rate(tracker.sender_id, rating)
        dispatcher.utter_message(response="utter_rating_thanks")
        return []
