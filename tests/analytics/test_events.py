"""Which broker events become analytics rows, and what a row keeps (never message text or the sender id)."""

from __future__ import annotations

from bot.analytics.events import conversation_key, to_row

SENDER = "oWx-openid-123"


def test_a_user_message_keeps_its_intent_and_channel_but_not_its_text() -> None:
    row = to_row({"event": "user", "sender_id": SENDER, "timestamp": 1_700_000_000, "text": "查余额 13812345678",
                  "input_channel": "wechat", "parse_data": {"intent": {"name": "check_balance", "confidence": 0.97}}})
    assert row is not None
    assert (row.event, row.intent, row.confidence, row.channel) == ("user", "check_balance", 0.97, "wechat")
    assert row.conversation == conversation_key(SENDER) != SENDER
    assert "13812345678" not in str(vars(row))


def test_actions_count_but_listening_does_not() -> None:
    row = to_row({"event": "action", "sender_id": SENDER, "name": "action_handoff"})
    assert row is not None and row.action == "action_handoff"
    assert to_row({"event": "action", "sender_id": SENDER, "name": "action_listen"}) is None


def test_only_bot_messages_with_a_faq_outcome_count() -> None:
    row = to_row({"event": "bot", "sender_id": SENDER, "text": "年费以卡种为准。",
                  "metadata": {"faq_id": "card-002", "faq_outcome": "answer"}})
    assert row is not None and (row.faq_id, row.faq_outcome) == ("card-002", "answer")
    assert to_row({"event": "bot", "sender_id": SENDER, "text": "您好"}) is None


def test_other_events_and_events_without_a_sender_are_ignored() -> None:
    assert to_row({"event": "slot", "sender_id": SENDER, "name": "phone", "value": "138"}) is None
    assert to_row({"event": "user", "text": "hi"}) is None


def test_the_pseudonym_is_stable_and_distinct_per_conversation() -> None:
    assert conversation_key(SENDER) == conversation_key(SENDER)
    assert conversation_key(SENDER) != conversation_key(SENDER + "x")
