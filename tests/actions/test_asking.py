"""A form question asked again after a message that did not answer it: an off-topic question is told it is
out of scope, anything else unrecognised (chatter, gibberish) gets the reminder. Runs against the shipped
knowledge base in a private database (a general question would be answered from it)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import ActionAskPhone


def asked_phone_then(text: str, intent: str, confidence: float, reminded: bool = False) -> Tracker:
    """Verification asked for the phone number (`reminded`: and then gave the reminder after a non-answer),
    then the customer wrote `text` (NLU: `intent`)."""
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    asked = "utter_ask_phone_again" if reminded else "utter_ask_phone"
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "查信用卡账单", "parse_data": {}, "metadata": {}},
        {"event": "bot", "text": "请输入您在本行预留的手机号码", "metadata": {"utter_action": asked}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse, "metadata": {}},
    ]
    slots = {"requested_slot": "phone"}
    return Tracker("asking-test", slots, parse, events, False, None, {"name": "verify_form"}, "action_listen")


def responses(state: Tracker) -> list[str | None]:
    return asked(state)[0]


def asked(state: Tracker) -> tuple[list[str | None], list[dict[str, Any]]]:
    """The responses the ask action gives and the events it returns."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskPhone().run(dispatcher, state, {}))
    return [message.get("response") for message in dispatcher.messages], events


def test_off_topic_chat_gets_the_out_of_scope_reply_and_the_question_again(served_knowledge: str) -> None:
    assert responses(asked_phone_then("今天外面会下雨吗", "out_of_scope", 1.0)) == [
        "utter_out_of_scope", "utter_ask_phone",
    ]


@pytest.mark.parametrize(("text", "confidence"), [("嗯嗯", 0.6), ("哈哈哈嗝", 1.0), ("dfgsdfg", 1.0)])
def test_an_unrecognised_answer_gets_the_reminder(text: str, confidence: float, served_knowledge: str) -> None:
    assert responses(asked_phone_then(text, "out_of_scope", confidence)) == ["utter_ask_phone_again"]


@pytest.mark.parametrize("text", ["啦啦啦", "1381234", "就是尾号8899那个"])
def test_a_second_non_answer_in_a_row_ends_the_form_instead_of_the_same_reminder(
    text: str, served_knowledge: str
) -> None:
    said, events = asked(asked_phone_then(text, "nlu_fallback", 0.55, reminded=True))
    assert said == []
    assert any(event["event"] == "active_loop" and event["name"] is None for event in events)
