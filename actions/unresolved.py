"""The turns that failed the customer: knowledge-base misses and rejected answers, counted and replied to."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.branch import branch_followup
from actions.context import just_answered, previous_bot_action
from bot.nlu.task_exit import stops_the_task

UNRESOLVED_LIMIT = 2
COUNTERS = ("unresolved_turns", "unhappy_turns")


def note_unresolved(tracker: Tracker, slot: str = "unresolved_turns") -> list[dict[str, Any]]:
    """Count a failure in `slot`; the second hands the customer to a human.

    `unresolved_turns` counts knowledge-base misses in a row (an answer resets it);
    `unhappy_turns` counts answers the customer rejected (only a handoff resets it).
    """
    count = int(tracker.get_slot(slot) or 0) + 1
    events: list[dict[str, Any]] = [SlotSet(slot, float(count))]
    if count >= UNRESOLVED_LIMIT:
        events.append(FollowupAction("action_handoff"))
    return events


def reset_counters() -> list[dict[str, Any]]:
    """Start counting failures afresh (after a handoff)."""
    return [SlotSet(slot, 0.0) for slot in COUNTERS]


def answer_rejected(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """「不对」 after an answer (or again after the apology): apologise, and hand over the second time;
    after a branch list, a question about those branches; otherwise — or when the customer lets the matter
    drop (「算了」) — a polite 「好的」."""
    after_answer = just_answered(tracker) is not None or previous_bot_action(tracker) in (
        "action_answer_faq", "action_note_unresolved"
    )
    if not after_answer or stops_the_task(tracker.latest_message.get("text") or ""):
        # 「週六開不開」 after a branch list reads as a 「不」 to NLU.
        followup = branch_followup(dispatcher, tracker, places=False)
        if followup is not None:
            return followup
        dispatcher.utter_message(response="utter_anything_else")
        return []
    events = note_unresolved(tracker, "unhappy_turns")
    if len(events) == 1:
        dispatcher.utter_message(response="utter_sorry_unresolved")
    return events
