"""Messages outside any form that only make sense in context: bare information (a place, a card kind) and
what NLU found out of scope — a branch search, a follow-up, or the reply for the message alone."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.branch import branch_followup, listed
from actions.context import just_answered
from actions.faq import ActionAnswerFaq, kb_answers_followup
from actions.resume import resumed_verification
from bot.branches.replies import search_reply
from bot.content.services import branch_directory
from bot.nlu.request_kind import RequestKind, request_kind

# Out-of-scope confidence of off-topic chat with the shipped model: 0.998-1.0; of follow-ups: 0.78-0.96.
SURE_OUT_OF_SCOPE = 0.99


def asks_off_topic(tracker: Tracker) -> bool:
    """Whether the latest message asks an off-topic question NLU is sure of (「今天会下雨吗」, not 「哈哈哈」)."""
    intent = tracker.latest_message.get("intent") or {}
    sure = intent.get("name") == "out_of_scope" and (intent.get("confidence") or 0.0) >= SURE_OUT_OF_SCOPE
    return sure and request_kind(tracker.latest_message.get("text") or "") is RequestKind.GENERAL


def in_faq_context(tracker: Tracker) -> bool:
    """Whether the bot has just answered or clarified an FAQ, so that bare information is a follow-up."""
    return bool(tracker.get_slot("faq_options")) or just_answered(tracker) is not None


class ActionInformOutOfContext(Action):
    """A message that only gives information, outside any form.

    A question about the branches just listed (「周日营业吗」) gets their details; a place is a branch search
    (「深圳南山」, 「浦东新区有吗」 after a list of Shanghai branches, 「拉萨」 gets where the nearest branches are);
    right after an FAQ answer or clarification it is a follow-up to it; a phone number right after thanks that
    ended a verification continues it; anything else asks what is needed.
    """

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_inform_out_of_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Details of the branches just listed, branches of the place named, or the generic question."""
        resumed = resumed_verification(tracker)
        if resumed is not None:
            return resumed
        followup = branch_followup(dispatcher, tracker)
        if followup is not None:
            return followup
        directory = branch_directory()
        city, district = directory.locate(tracker.latest_message.get("text"))
        if not city and in_faq_context(tracker):
            return await ActionAnswerFaq().run(dispatcher, tracker, domain)
        if city:
            text, branches = search_reply(directory, city, district)
            dispatcher.utter_message(text=text)
            return [SlotSet("city", None), SlotSet("district", None), listed(branches)]
        dispatcher.utter_message(response="utter_inform")
        return [SlotSet("city", None), SlotSet("district", None)]


def answered_in_context(tracker: Tracker) -> bool:
    """Whether an out-of-scope message is a follow-up to the FAQ answer just given that the knowledge base
    answers in that context.

    Read with the question before it, nearly any short message finds that question's entry again, so only a
    message NLU was not sure is off-topic is read so: off-topic chat (「今天会下雨吗」, 「推荐一部电影」) scores
    out of scope above SURE_OUT_OF_SCOPE, follow-ups without a banking word (「那边的单据都是英文的」) below.
    """
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
    return confidence < SURE_OUT_OF_SCOPE and kb_answers_followup(tracker)


class ActionOutOfScope(Action):
    """A message NLU found out of scope, outside any form: right after a branch list, a question about those
    branches (「平时几点关门」) gets their details; right after an FAQ answer, a follow-up the knowledge base
    answers in that context is answered; anything else gets the out-of-scope reply."""

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Details of the branches just listed, or the out-of-scope reply."""
        # A place in an out-of-scope message (「北京今天天气怎么样」) is no branch search.
        followup = branch_followup(dispatcher, tracker, places=False)
        if followup is not None:
            return followup
        if await asyncio.to_thread(answered_in_context, tracker):
            return await ActionAnswerFaq().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
