"""「不对」 right after an FAQ answer is an unresolved turn (apology, then a human); 「算了」 lets the matter drop;
a follow-up question NLU took for a 「不」 is answered in the context of the answer just given, and a short no
NLU took for a question still rejects the answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from actions.handoff import ActionNoteUnresolved
from bot.content.services import knowledge_base
from tests.support.turns import after_a_turn


def after_an_answer(text: str, answered: str | None = None, intent: str = "deny") -> Tracker:
    """The bot answered an FAQ (the entry `answered`, when given), then the customer wrote `text`."""
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.98}, "entities": []}
    events = after_a_turn("信用卡怎么提额", "action_answer_faq", answered, text, parse)
    slots = {"unhappy_turns": 0.0, "last_faq_id": answered}
    return Tracker("unresolved-test", slots, parse, events, False, None, {}, "action_listen")


def replies(state: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionNoteUnresolved().run(dispatcher, state, {}))
    return dispatcher.messages


def responses(state: Tracker) -> list[str | None]:
    return [message.get("response") for message in replies(state)]


@pytest.mark.parametrize("text", ["不对", "不是我要的"])
def test_rejecting_the_answer_gets_the_apology(text: str) -> None:
    assert responses(after_an_answer(text)) == ["utter_sorry_unresolved"]


@pytest.mark.parametrize("text", ["算了", "不用了", "算了 我自己去APP看"])
def test_letting_the_matter_drop_gets_a_polite_ok(text: str) -> None:
    assert responses(after_an_answer(text)) == ["utter_anything_else"]


@pytest.mark.parametrize(
    ("answered", "text", "answer_says"),
    [("mobile_banking-009", "办一个要钱不", "工本费"), ("transfer-014", "财务说要盖章的", "电子印章")],
)
def test_a_follow_up_question_read_as_deny_is_answered_in_context(
    served_knowledge: str, answered: str, text: str, answer_says: str
) -> None:
    messages = replies(after_an_answer(text, answered))
    assert answer_says in messages[0]["text"]
    assert knowledge_base().entry(answered).answer in messages[0]["text"]


@pytest.mark.parametrize("text", ["不对", "不是这个", "没用"])
def test_a_rejection_after_an_entry_still_gets_the_apology(served_knowledge: str, text: str) -> None:
    assert responses(after_an_answer(text, "mobile_banking-009")) == ["utter_sorry_unresolved"]


@pytest.mark.parametrize("text", ["不是这个意思", "没用"])
def test_a_rejection_nlu_took_for_a_question_still_gets_the_apology(served_knowledge: str, text: str) -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(dispatcher, after_an_answer(text, "mobile_banking-009", intent="faq"), {}))
    assert [message.get("response") for message in dispatcher.messages] == ["utter_sorry_unresolved"]
