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


def asked_phone_then(text: str, intent: str, confidence: float) -> Tracker:
    """Verification asked for the phone number, then the customer wrote `text` (NLU: `intent`)."""
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "查信用卡账单", "parse_data": {}, "metadata": {}},
        {"event": "bot", "text": "请输入您在本行预留的手机号码", "metadata": {"utter_action": "utter_ask_phone"}},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse, "metadata": {}},
    ]
    slots = {"requested_slot": "phone"}
    return Tracker("asking-test", slots, parse, events, False, None, {"name": "verify_form"}, "action_listen")


def responses(state: Tracker) -> list[str | None]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskPhone().run(dispatcher, state, {}))
    return [message.get("response") for message in dispatcher.messages]


def test_off_topic_chat_gets_the_out_of_scope_reply_and_the_question_again(served_knowledge: str) -> None:
    assert responses(asked_phone_then("今天外面会下雨吗", "out_of_scope", 1.0)) == [
        "utter_out_of_scope", "utter_ask_phone",
    ]


@pytest.mark.parametrize(("text", "confidence"), [("嗯嗯", 0.6), ("哈哈哈嗝", 1.0), ("dfgsdfg", 1.0)])
def test_an_unrecognised_answer_gets_the_reminder(text: str, confidence: float, served_knowledge: str) -> None:
    assert responses(asked_phone_then(text, "out_of_scope", confidence)) == ["utter_ask_phone_again"]
