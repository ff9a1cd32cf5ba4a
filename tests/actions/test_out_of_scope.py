"""A message NLU found out of scope: a follow-up to the FAQ answer just given is answered in its context,
anything else gets the out-of-scope reply. Runs against the shipped knowledge base in a private database."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.inform import ActionOutOfScope
from bot.content.services import knowledge_base

# 理财赎回后多久到账: its answer says redemptions falling on a weekend or holiday move to the next working day.
REDEMPTION = "wealth-002"


def after(previous_action: str, text: str, confidence: float = 0.8) -> Tracker:
    """A conversation in which `previous_action` answered, then the customer wrote `text`, which NLU found out
    of scope with this confidence."""
    parse = {"text": text, "intent": {"name": "out_of_scope", "confidence": confidence}, "entities": []}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "理财赎回多久到账", "parse_data": {}, "metadata": {}},
        {"event": "action", "name": previous_action},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse, "metadata": {}},
    ]
    slots = {"last_faq_id": REDEMPTION}
    return Tracker("out-of-scope-test", slots, parse, events, False, None, {}, "action_listen")


def replies(state: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOutOfScope().run(dispatcher, state, {}))
    return dispatcher.messages


def test_a_follow_up_to_the_answer_just_given_is_answered_in_its_context(served_knowledge: str) -> None:
    messages = replies(after("action_answer_faq", "中间隔了个周末"))
    assert messages[0]["text"].startswith(knowledge_base().entry(REDEMPTION).answer)


def test_off_topic_chat_nlu_is_sure_of_stays_out_of_scope_after_an_answer(served_knowledge: str) -> None:
    messages = replies(after("action_answer_faq", "今天外面会下雨吗", confidence=1.0))
    assert [message.get("response") for message in messages] == ["utter_out_of_scope"]


def test_no_follow_up_when_the_answer_was_not_the_bots_last_reply(served_knowledge: str) -> None:
    messages = replies(after("action_out_of_scope", "中间隔了个周末"))
    assert [message.get("response") for message in messages] == ["utter_out_of_scope"]
