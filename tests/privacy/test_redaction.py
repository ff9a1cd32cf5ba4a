"""Personal data is masked in stored events; sealed slot values survive and can be opened only with the key."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.core.masking import mask_numbers
from bot.privacy.redaction import MASK, redact_events
from bot.privacy.seal import is_sealed, seal, unseal
from bot.privacy.tracker_stores import redacted_events


def user(text: str, **parse: object) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, **parse}, "metadata": {}}


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的手机号是13812345678", "我的手机号是138****5678"),
        ("身份证110101199003071234", "身份证1101**********1234"),
        ("卡号6222021234567890123挂失", "卡号***************0123挂失"),
        ("尾号3321的卡余额多少", "尾号3321的卡余额多少"),
        ("转账5000元", "转账5000元"),
    ],
)
def test_numbers_are_masked_in_text(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked


def test_a_value_that_filled_a_sensitive_slot_is_masked_in_its_message() -> None:
    events = [
        user("1234", entities=[{"entity": "card_tail", "value": "1234"}]),
        {"event": "slot", "name": "id_last4", "value": "1234"},
        {"event": "slot", "name": "id_last4", "value": "****"},
        user("验证码 654321"),
        {"event": "slot", "name": "otp_code", "value": "654321"},
        {"event": "slot", "name": "city", "value": "北京"},
    ]
    redacted = redact_events(events)
    assert redacted[0]["text"] == MASK and redacted[0]["parse_data"]["entities"][0]["value"] == MASK
    assert redacted[1]["value"] == MASK
    assert redacted[3]["text"] == f"验证码 {MASK}"
    assert redacted[4]["value"] == MASK and redacted[5]["value"] == "北京"
    assert events[0]["text"] == "1234", "the input must not change"


def test_sealed_slot_values_and_the_customer_token() -> None:
    sealed = seal("13812345678")
    events = [
        {"event": "user", "text": "13812345678", "parse_data": {}, "metadata": {"customer_token": "abc.def"}},
        {"event": "slot", "name": "phone", "value": "13812345678"},
        {"event": "slot", "name": "phone", "value": sealed},
    ]
    redacted = redact_events(events)
    assert redacted[0]["text"] == "138****5678" and redacted[0]["metadata"]["customer_token"] == MASK
    assert redacted[2]["value"] == sealed and is_sealed(sealed)
    assert unseal(sealed) == "13812345678"
    assert unseal(sealed[:-4] + "AAAA") is None
    assert unseal("13812345678") is None


def test_a_redacted_tracker_masks_its_events_and_leaves_the_live_one_alone() -> None:
    slots = [AnySlot(name, mappings=[]) for name in ("otp_code", "city")]
    live = DialogueStateTracker.from_events(
        "c1",
        [
            ActionExecuted("action_listen"),
            UserUttered("我的手机号是13812345678", {"name": "verify", "confidence": 0.9}),
            SlotSet("city", "北京"),
            UserUttered("验证码 654321", {"name": "inform", "confidence": 0.9}),
            SlotSet("otp_code", "654321"),
            BotUttered("好的"),
        ],
        slots=slots,
    )
    before = [event.as_dict() for event in live.events]
    stored = [event.as_dict() for event in redacted_events(live)]
    assert [event["event"] for event in stored] == [event["event"] for event in before]
    assert stored[1]["text"] == "我的手机号是138****5678" and stored[1]["parse_data"]["intent"]["name"] == "verify"
    assert stored[3]["text"] == f"验证码 {MASK}" and stored[4]["value"] == MASK
    assert stored[2] == before[2] and stored[5] == before[5]
    assert [event.as_dict() for event in live.events] == before, "the live conversation must keep its values"


def test_the_events_a_save_adds_are_redacted_with_the_message_that_filled_their_slot() -> None:
    live = DialogueStateTracker.from_events(
        "c2",
        [
            ActionExecuted("action_listen"),
            UserUttered("验证码 654321", {"name": "inform", "confidence": 0.9}),
            SlotSet("otp_code", "654321"),
            BotUttered("好的"),
        ],
        slots=[AnySlot("otp_code", mappings=[])],
    )
    added = [event.as_dict() for event in redacted_events(live, start=2)]
    assert [event["event"] for event in added] == ["slot", "bot"]
    assert added[0]["value"] == MASK
    assert [event.as_dict() for event in redacted_events(live, start=4)] == []
