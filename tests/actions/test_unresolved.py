"""「不对」 right after an FAQ answer is an unresolved turn (apology, then a human); 「算了」 lets the matter drop."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionNoteUnresolved


def after_an_answer(text: str) -> Tracker:
    """The bot answered an FAQ, then the customer wrote `text` (NLU: deny)."""
    parse = {"text": text, "intent": {"name": "deny", "confidence": 0.98}, "entities": []}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "信用卡怎么提额", "parse_data": {}, "metadata": {}},
        {"event": "action", "name": "action_answer_faq"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse, "metadata": {}},
    ]
    return Tracker("unresolved-test", {"unhappy_turns": 0.0}, parse, events, False, None, {}, "action_listen")


def responses(state: Tracker) -> list[str | None]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionNoteUnresolved().run(dispatcher, state, {}))
    return [message.get("response") for message in dispatcher.messages]


@pytest.mark.parametrize("text", ["不对", "不是我要的"])
def test_rejecting_the_answer_gets_the_apology(text: str) -> None:
    assert responses(after_an_answer(text)) == ["utter_sorry_unresolved"]


@pytest.mark.parametrize("text", ["算了", "不用了", "算了 我自己去APP看"])
def test_letting_the_matter_drop_gets_a_polite_ok(text: str) -> None:
    assert responses(after_an_answer(text)) == ["utter_anything_else"]
