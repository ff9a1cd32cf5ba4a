"""A message NLU found out of scope: a follow-up to the FAQ answer just given is answered in its context,
anything else gets the out-of-scope reply. Runs against the shipped knowledge base in a private database."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.inform import ActionOutOfScope
from bot.content.services import knowledge_base
from tests.support.turns import after_a_turn

# 理财赎回后多久到账: its answer says redemptions falling on a weekend or holiday move to the next working day.
REDEMPTION = "wealth-002"


def after(previous_action: str, text: str, confidence: float = 0.8, answered: bool = True) -> Tracker:
    """A conversation in which `previous_action` answered (or, without `answered`, replied to) the question on
    redemptions, then the customer wrote `text`, which NLU found out of scope with this confidence."""
    parse = {"text": text, "intent": {"name": "out_of_scope", "confidence": confidence}, "entities": []}
    events = after_a_turn("理财赎回多久到账", previous_action, REDEMPTION if answered else None, text, parse)
    slots = {"last_faq_id": REDEMPTION}
    return Tracker("out-of-scope-test", slots, parse, events, False, None, {}, "action_listen")


def replies(state: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOutOfScope().run(dispatcher, state, {}))
    return dispatcher.messages


def test_a_follow_up_to_the_answer_just_given_is_answered_in_its_context(served_knowledge: str) -> None:
    messages = replies(after("action_answer_faq", "中间隔了个周末"))
    assert messages[0]["text"].startswith(knowledge_base().entry(REDEMPTION).answer)


def test_an_answer_another_action_gave_keeps_its_context(served_knowledge: str) -> None:
    """An answer given in place of the out-of-scope reply is the bot's last answer like any other."""
    messages = replies(after("action_out_of_scope", "中间隔了个周末"))
    assert messages[0]["text"].startswith(knowledge_base().entry(REDEMPTION).answer)


def test_off_topic_chat_nlu_is_sure_of_stays_out_of_scope_after_an_answer(served_knowledge: str) -> None:
    messages = replies(after("action_answer_faq", "今天外面会下雨吗", confidence=1.0))
    assert [message.get("response") for message in messages] == ["utter_out_of_scope"]


def test_no_follow_up_when_the_answer_was_not_the_bots_last_reply(served_knowledge: str) -> None:
    messages = replies(after("action_out_of_scope", "中间隔了个周末", answered=False))
    assert [message.get("response") for message in messages] == ["utter_out_of_scope"]
