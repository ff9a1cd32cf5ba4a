"""Related questions (关联问) of an answered entry, offered by the FAQ action as buttons that answer their entry.

The action runs directly against the shipped knowledge base imported into a private SQLite database.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from bot.content.services import knowledge_base
from bot.faq.replies import RELATED_TEXT, entry_id_of, faq_payload
from bot.nlu.request_kind import GATED_KEY

# 借记卡密码忘了怎么办 lists these related entries in the shipped knowledge base.
DEBIT_PASSWORD = "debit_card-007"
DEBIT_PASSWORD_RELATED = ["debit_card-008", "debit_card-009", "credit_card-017"]


def turn(
    text: str,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A conversation whose latest message (intent `faq`) is `text`."""
    parse = {"text": text, "intent": {"name": "faq", "confidence": 1.0}, "entities": entities or []}
    events = [{"event": "user", "text": text, "parse_data": parse, "metadata": {}}]
    loop = {"name": active_loop} if active_loop else {}
    return Tracker("related-test", slots or {}, parse, events, False, None, loop, "action_listen")


def click(button: dict[str, str], slots: dict[str, Any]) -> Tracker:
    """The customer presses `button`: its payload is the message, read as intent `faq` with the entry's id."""
    entities = [{"entity": "faq_id", "value": entry_id_of(button["payload"])}]
    return turn(button["payload"], slots, entities)


def answer(state: Tracker) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the FAQ action; its slot values and its single message."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerFaq().run(dispatcher, state, {}))
    (message,) = dispatcher.messages
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}, message


def ids(message: dict[str, Any]) -> list[str | None]:
    return [entry_id_of(button["payload"]) for button in message["buttons"]]


def test_an_answer_offers_its_related_questions_as_buttons(served_knowledge: str) -> None:
    kb = knowledge_base()
    slots, message = answer(turn("借记卡密码忘了怎么办"))
    assert (message["faq_id"], message["faq_outcome"]) == (DEBIT_PASSWORD, "answer")
    assert message["text"] == f"{kb.entry(DEBIT_PASSWORD).answer}\n\n{RELATED_TEXT}"
    assert message["buttons"] == [
        {"title": kb.entry(entry_id).question, "payload": faq_payload(entry_id)} for entry_id in DEBIT_PASSWORD_RELATED
    ]
    assert slots["last_faq_id"] == DEBIT_PASSWORD
    assert slots["faq_options"] is None


def test_pressing_a_related_question_answers_that_entry(served_knowledge: str) -> None:
    slots, offered = answer(turn("借记卡密码忘了怎么办"))
    credit_password = offered["buttons"][2]
    slots, message = answer(click(credit_password, slots))
    assert (message["faq_id"], message["faq_outcome"]) == ("credit_card-017", "answer")
    assert message["text"] == knowledge_base().entry("credit_card-017").answer
    assert message["buttons"] == []
    assert slots["last_faq_id"] == "credit_card-017"


def test_the_entries_just_seen_are_not_offered_again(served_knowledge: str) -> None:
    just_seen = {"last_faq_id": "credit_card-017", "faq_options": [faq_payload("debit_card-008")]}
    _, message = answer(turn("借记卡密码忘了怎么办", just_seen))
    assert message["faq_id"] == DEBIT_PASSWORD
    assert ids(message) == ["debit_card-009"]


def test_no_related_questions_inside_a_form(served_knowledge: str) -> None:
    _, message = answer(turn("借记卡密码忘了怎么办", active_loop="verify_form"))
    assert message["faq_id"] == DEBIT_PASSWORD
    assert (message["text"], message["buttons"]) == (knowledge_base().entry(DEBIT_PASSWORD).answer, [])


def test_a_skill_offer_is_the_only_list_of_buttons(served_knowledge: str) -> None:
    state = turn("借记卡密码忘了怎么办")
    state.latest_message[GATED_KEY] = "check_balance"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(dispatcher, state, {}))
    first, offer = dispatcher.messages
    assert (first["faq_id"], first["buttons"]) == (DEBIT_PASSWORD, [])
    assert offer["response"] == "utter_offer_check_balance"
