"""A phone number right after thanks that ended a verification continues the verification for the skill asked
for; at any other time it is just information out of context."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.resume import resumed_verification


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": intent}}, "metadata": {}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


ASKED_PHONE = [
    user("查一下我的保单", "check_policy"),
    action("action_gate_skill"),
    slot("pending_skill", "action_check_policy"),
    action("verify_form"),
    {"event": "bot", "text": "请输入您在本行预留的手机号码", "metadata": {"utter_action": "utter_ask_phone"}},
    action("action_listen"),
]
THANKED = [
    user("好的谢谢", "thank"),
    action("action_deactivate_loop"),
    action("action_cancel_task"),
    slot("pending_skill", None),
    {"event": "bot", "text": "不客气", "metadata": {"utter_action": "utter_you_are_welcome"}},
    action("action_listen"),
]


def tracker(events: list[dict[str, Any]], text: str) -> Tracker:
    latest = user(text, "inform")
    return Tracker("resume-test", {}, latest["parse_data"], [*events, latest], False, None, {}, "action_listen")


def test_the_phone_number_after_thanks_continues_the_verification_with_it() -> None:
    events = resumed_verification(tracker([*ASKED_PHONE, *THANKED], "13588021756"))
    assert events is not None
    assert {"event": "slot", "name": "pending_skill", "value": "action_check_policy", "timestamp": None} in events
    assert {"event": "slot", "name": "phone", "value": "13588021756", "timestamp": None} in events
    assert events[-1]["name"] == "verify_form"


def test_no_phone_number_or_no_thanks_just_before_continues_nothing() -> None:
    assert resumed_verification(tracker([*ASKED_PHONE, *THANKED], "明天再说")) is None
    cancelled = [user("算了", "deny"), *THANKED[1:]]
    assert resumed_verification(tracker([*ASKED_PHONE, *cancelled], "13588021756")) is None
    later = [*THANKED, user("你好", "greet"), action("utter_greet"), action("action_listen")]
    assert resumed_verification(tracker([*ASKED_PHONE, *later], "13588021756")) is None
