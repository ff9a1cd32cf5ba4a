"""Right after an FAQ answer, a follow-up that names the customer's own things but asks how something works
(「钱大概几天能进我账户」) is answered from the knowledge base with the skill offered, not sent into identity
verification; a request for the bot to act or for what the own data says still verifies. Runs against the
shipped knowledge base."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.accounts import ActionCheckBalance
from bot.content.services import knowledge_base
from tests.support.turns import after_a_turn

# 收境外汇款要提供什么: its answer says payments from abroad take 1 to 5 working days.
RECEIVING_FROM_ABROAD = "forex-011"


def after(previous_action: str, text: str) -> Tracker:
    """A conversation in which `previous_action` answered about receiving payments from abroad, then the
    customer wrote `text`, which NLU took for a balance request."""
    parse = {"text": text, "intent": {"name": "check_balance", "confidence": 0.51}, "entities": []}
    answered = RECEIVING_FROM_ABROAD if previous_action == "action_answer_faq" else None
    events = after_a_turn("国外客户要给我打款 我这边得提供些啥", previous_action, answered, text, parse)
    slots = {"last_faq_id": RECEIVING_FROM_ABROAD}
    return Tracker("followup-test", slots, parse, events, False, None, {}, "action_listen")


def replies(state: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCheckBalance().run(dispatcher, state, {}))
    return dispatcher.messages


def test_a_general_follow_up_naming_the_own_account_is_answered_with_the_skill_offered(
    served_knowledge: str
) -> None:
    messages = replies(after("action_answer_faq", "钱大概几天能进我账户"))
    assert messages[0]["text"].startswith(knowledge_base().entry(RECEIVING_FROM_ABROAD).answer)
    assert [message.get("response") for message in messages[1:]] == ["utter_offer_check_balance"]


@pytest.mark.parametrize("text", ["帮我看看我账户里钱到了没有", "我账户里现在有多少钱"])
def test_asking_for_the_own_data_still_verifies(text: str, served_knowledge: str) -> None:
    messages = replies(after("action_answer_faq", text))
    assert [message.get("response") for message in messages] == ["utter_verification_needed"]


def test_without_an_answer_just_given_the_message_is_a_request(served_knowledge: str) -> None:
    messages = replies(after("action_listen", "钱大概几天能进我账户"))
    assert [message.get("response") for message in messages] == ["utter_verification_needed"]
