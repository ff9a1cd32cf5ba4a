"""Answer FAQ questions (intent `faq` and NLU fallback) from the knowledge base."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.branch import branch_followup
from actions.context import just_answered
from actions.skill_in_context import skill_in_context
from actions.unresolved import answer_rejected, note_unresolved
from bot.branches.replies import asks_for_branches
from bot.content.services import knowledge_base
from bot.core.text import MAX_NLU_CHARS, has_content, normalize
from bot.faq.replies import FaqReply, build_reply, chosen_option, entry_id_of, entry_reply, with_related
from bot.nlu.rejection import is_bare_rejection
from bot.nlu.request_kind import GATED_KEY, SKILL_INTENTS
from bot.observability.metrics import observe_kb_decision

BRANCH_FORM = "branch_form"
BRANCH_CATEGORY = "网点与预约"
"""Category of the entries about services at a branch: answering one keeps the branches just listed in view."""


class ActionAnswerFaq(Action):
    """Search the knowledge base and answer, ask which question was meant, or offer a human.

    A request to find a branch that the knowledge base does not answer starts the branch search; a general
    question NLU first took for a personal skill is answered (or told there is no answer) with the skill
    offered, so that a question never leads into identity verification unasked.

    An answer the knowledge base found that offers no other buttons is followed by its related questions (关联问)
    as buttons, leaving out the entries the customer has just seen. An entry the customer picked (a button, or a
    reply naming an option) is answered alone, and none are offered inside a form or beside a skill offer: a
    turn shows one list of buttons. Related questions are no options: a later reply is not read as picking one.

    Inside a form, a message the knowledge base finds no answer for gets no reply of its own: the form asks
    its question again as after any other non-answer (「啥」, 「呃 我得找找」), the second time ending the form.
    A bare request right after an answer about a lookup (「那你直接帮我查一下吧」 after 「怎么查余额」) runs that skill.
    A second no-match in a row hands the customer to a human; a short no right after an answer (「不是这个意思」)
    rejects it, whatever NLU made of it. The branches just listed stay in view across an
    answer about services at a branch (「去那取六万现金要预约吗」, then 「那周日开门吗」).
    """

    def name(self) -> str:
        """The action name used in the domain."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Reply to the latest message; remember the answered entry for follow-ups."""
        text = tracker.latest_message.get("text") or ""
        if not has_content(normalize(text)):
            dispatcher.utter_message(response="utter_empty_message")
            return []
        followup = branch_followup(dispatcher, tracker)
        if followup is not None:
            return followup
        skill = await asyncio.to_thread(skill_in_context, tracker)
        if skill is not None:
            return [FollowupAction(skill)]
        if just_answered(tracker) and is_bare_rejection(text):
            return answer_rejected(dispatcher, tracker)
        if len(text) > MAX_NLU_CHARS:
            dispatcher.utter_message(response="utter_message_too_long")
        skill = tracker.latest_message.get(GATED_KEY)
        in_form = bool(tracker.active_loop.get("name"))
        related = skill not in SKILL_INTENTS and not in_form
        reply = await asyncio.to_thread(self._reply, tracker, text, related)
        if reply.outcome != "answer" and asks_for_branches(text):
            return [FollowupAction(BRANCH_FORM)]
        if reply.outcome == "none" and in_form:
            # Not a question the knowledge base knows: the form's question comes back as for any non-answer.
            return []
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, **reply.metadata)
        if reply.outcome != "clarify" and skill in SKILL_INTENTS and not in_form:
            dispatcher.utter_message(response=f"utter_offer_{skill}")
        events: list[dict[str, Any]] = [SlotSet("faq_options", reply.options or None)]
        if not _about_branches(reply):
            events.append(SlotSet("last_branches", None))
        if reply.outcome == "none":
            return events + note_unresolved(tracker)
        if reply.faq_id:
            return [*events, SlotSet("last_faq_id", reply.faq_id), SlotSet("unresolved_turns", 0.0)]
        return events

    @staticmethod
    def _reply(tracker: Tracker, text: str, related: bool) -> FaqReply:
        kb = knowledge_base()
        chosen = next(tracker.get_latest_entity_values("faq_id"), None) or chosen_option(
            kb, tracker.get_slot("faq_options") or [], text
        )
        if chosen and chosen in kb:
            return entry_reply(kb, chosen)
        started = time.perf_counter()
        decision = kb.answer(text[:MAX_NLU_CHARS], previous_id=tracker.get_slot("last_faq_id"))
        observe_kb_decision(decision.outcome, time.perf_counter() - started)
        reply = build_reply(kb, decision)
        return with_related(kb, reply, exclude=_just_offered(tracker)) if related else reply


def _about_branches(reply: FaqReply) -> bool:
    """Whether the reply answers an entry about services at a branch."""
    kb = knowledge_base()
    return bool(reply.faq_id) and reply.faq_id in kb and kb.entry(reply.faq_id).category == BRANCH_CATEGORY


def _just_offered(tracker: Tracker) -> list[str]:
    """The entries the customer has just seen: the one answered last and the options offered with it."""
    offered = [entry_id_of(payload) for payload in tracker.get_slot("faq_options") or []]
    return [entry_id for entry_id in [tracker.get_slot("last_faq_id"), *offered] if entry_id]


def kb_answers_followup(tracker: Tracker) -> bool:
    """Whether, right after an FAQ answer, the knowledge base answers the latest message read as a follow-up
    to it (「中间隔了个周末」 after a question on redemption days, 「办一个要钱不」 after one on the U盾)."""
    previous_id = just_answered(tracker)
    if previous_id is None:
        return False
    text = (tracker.latest_message.get("text") or "")[:MAX_NLU_CHARS]
    return knowledge_base().answer(text, previous_id=previous_id).outcome == "answer"
