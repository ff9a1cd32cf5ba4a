"""Shared steps of the personal-data skills: find the request, require a verified customer, and answer a
general question that NLU took for a skill."""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.branch import branch_followup
from actions.context import just_answered
from actions.skill_in_context import skill_in_context
from bot.accounts.access import verified_customer
from bot.content.services import knowledge_base
from bot.core.db import database_session
from bot.core.text import MAX_NLU_CHARS, normalize
from bot.faq.replies import FaqReply, chosen_option, confident_answer, entry_reply
from bot.nlu.request_kind import RequestKind, reads_as_general, request_kind
from bot.privacy.audit import Access, append

VERIFY_FORM = "verify_form"
ASKS_TO_ACT = re.compile(r"帮|替|给我(查|看)|(查|看)(一?下|一下子)?(我|本人)|我(要|想|得)(查|看)")
"""Cues that the customer asks the bot to do something with their own data."""
MAX_KIND_CHARS = 8
ASKS_HOW = re.compile(
    r"怎么|怎样|如何|咋|几天|多久|多长时间|什么时候|何时|要不要|需不需要|用不用|能不能|可不可以|会不会|为什么|为啥|流程|手续|材料"
)
"""Cues that a question asks how something works or how long it takes, not what the customer's own data says
(「我这个月账单多少钱」)."""


def latest_user_event(tracker: Tracker, intents: Iterable[str] | None = None) -> dict[str, Any]:
    """The customer's latest message (optionally the latest with one of `intents`)."""
    wanted = set(intents) if intents else None
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        intent = parse_data.get("intent", {}).get("name")
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
    """The verified customer of this conversation (signed token in the latest message, chat verification, or
    the WeChat binding of its OpenID)."""
    return verified_customer(
        session, tracker.sender_id, latest_user_event(tracker).get("metadata"), tracker.get_latest_input_channel()
    )


def record_read(session: Session, action: str, tracker: Tracker, customer: int, fields: Sequence[str]) -> None:
    """Append the bot's read of the customer's `fields` for `action` in this conversation to the audit log."""
    append(session, Access(
        actor_kind="bot", actor=action, purpose="answer_customer", customer_id=customer,
        conversation_id=tracker.sender_id, fields=tuple(fields),
    ))


def customer_or_verify(
    session: Session, dispatcher: CollectingDispatcher, tracker: Tracker, resume_with: str
) -> tuple[int | None, list[dict[str, Any]]]:
    """The verified customer, or the events that start verification and resume `resume_with` after it."""
    customer = conversation_customer(session, tracker)
    if customer is not None:
        return customer, []
    dispatcher.utter_message(response="utter_verification_needed")
    return None, [SlotSet("pending_skill", resume_with), FollowupAction(VERIFY_FORM)]


def follows_up_in_general(text: str) -> bool:
    """Whether a message that names the customer's own things still asks how something works
    (「钱大概几天能进我账户」 after an answer on receiving payments from abroad), not for the bot to act."""
    clean = normalize(text)
    return (
        request_kind(clean) is RequestKind.MIXED and ASKS_HOW.search(clean) is not None
        and ASKS_TO_ACT.search(clean) is None
    )


def names_a_kind(text: str) -> bool:
    """Whether a short message only names a kind of thing (「信用卡的」, 「那储蓄卡」), asking nothing of its own."""
    clean = normalize(text)
    neutral = request_kind(clean) is RequestKind.NEUTRAL
    return len(clean) <= MAX_KIND_CHARS and neutral and ASKS_TO_ACT.search(clean) is None


def _general_answer(text: str, options: list[str], previous_id: str | None, followup: bool) -> FaqReply | None:
    general = reads_as_general(text) or (followup and (follows_up_in_general(text) or names_a_kind(text)))
    if not options and not general:
        return None
    kb = knowledge_base()
    chosen = chosen_option(kb, options, text)
    if chosen:
        return entry_reply(kb, chosen)
    return confident_answer(kb, text[:MAX_NLU_CHARS], previous_id) if general else None


async def general_answer(tracker: Tracker) -> FaqReply | None:
    """The knowledge base's answer when the latest message picks an option of the clarification just
    offered (「信用卡的」 after 「密码忘了」), or its confident answer when the message reads as a general question
    — or, right after an FAQ answer, as a general follow-up to it (「信用卡的」 after 「借记卡有年费吗」)."""
    text = tracker.latest_message.get("text") or ""
    followup = just_answered(tracker) is not None
    return await asyncio.to_thread(
        _general_answer, text, tracker.get_slot("faq_options") or [], tracker.get_slot("last_faq_id"), followup
    )


async def answered_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker, offer: str
) -> list[dict[str, Any]] | None:
    """Answer a general question that was taken for a skill (「信用卡晚还几天有影响吗」), offering the skill
    with the response `offer`, or a question about the branches just listed (「把电话给我一下」).

    Returns the events of the answer, or None when the message is a request for the skill after all.
    """
    branches = branch_followup(dispatcher, tracker, places=False)
    if branches is not None:
        return branches
    reply = await general_answer(tracker)
    if reply is None:
        return None
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons, **reply.metadata)
    if not tracker.get_slot("faq_options"):
        dispatcher.utter_message(response=offer)
    return [SlotSet("last_faq_id", reply.faq_id), SlotSet("faq_options", None)]


def leave_other_form(tracker: Tracker) -> list[dict[str, Any]]:
    """Events that end a form other than verification still running when another skill is asked for."""
    active = tracker.active_loop.get("name")
    if active and active != VERIFY_FORM:
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    return []


@dataclass(frozen=True)
class SkillReply:
    """What a skill says, the buttons it offers and the events it returns."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


class VerifiedQueryAction(Action, ABC):
    """A skill that needs a verified customer: verify first (then resume), else answer.

    A general question taken for the skill is answered from the knowledge base instead; a bare request right after
    an answer about another skill (「那你帮我查一下我自己的」 after 「理赔进度怎么查」) is that skill. Every answer is
    recorded in the access audit log with the fields it read (`reads`) before it is sent.
    """

    offer = ""
    reads: tuple[str, ...] = ()

    @abstractmethod
    def name(self) -> str:
        """The action name used in the domain."""

    @abstractmethod
    def answer(self, session: Session, customer: int, tracker: Tracker) -> SkillReply:
        """The reply for a verified customer."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer a general question, or verify if needed, then reply."""
        meant = await asyncio.to_thread(skill_in_context, tracker)
        if meant is not None and meant != self.name():
            return [FollowupAction(meant)]
        answered = await answered_instead(dispatcher, tracker, self.offer)
        if answered is not None:
            return answered
        leaving = leave_other_form(tracker)
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.name())
            if customer is None:
                return leaving + events
            reply = self.answer(session, customer, tracker)
            record_read(session, self.name(), tracker, customer, self.reads)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return leaving + reply.events


class StartVerifiedFormAction(Action, ABC):
    """Open a form that changes state for the customer, after verification if needed.

    A general question taken for the skill is answered from the knowledge base instead.
    """

    form = ""
    offer = ""

    @abstractmethod
    def name(self) -> str:
        """The action name used in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer a general question, or start verification (resuming the form afterwards) or the form."""
        meant = await asyncio.to_thread(skill_in_context, tracker)
        if meant is not None and meant != self.name():
            return [FollowupAction(meant)]
        answered = await answered_instead(dispatcher, tracker, self.offer)
        if answered is not None:
            return answered
        leaving = [] if tracker.active_loop.get("name") == self.form else leave_other_form(tracker)
        with database_session() as session:
            customer, events = customer_or_verify(session, dispatcher, tracker, self.form)
        return leaving + (events if customer is None else [FollowupAction(self.form)])
