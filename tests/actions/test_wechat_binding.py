"""The WeChat binding actions against a real SQLite database: offer after verification, bind, use, unbind."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select, update

from actions.accounts import ActionCheckBalance
from actions.identity import ActionResumeAfterVerification
from actions.wechat_binding import ActionBindWechat, ActionUnbindWechat
from bot.accounts.access import identity_service
from bot.accounts.models import SmsOutbox, Verification
from bot.core.db import database_session

OPENID = "oWx-actions-test"
OFFER = "utter_offer_wechat_binding"


def tracker(channel: str, intent: str = "check_balance", slots: dict[str, Any] | None = None) -> Tracker:
    parse = {"text": "查余额", "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    events = [{"event": "user", "text": "查余额", "parse_data": parse, "metadata": {}, "input_channel": channel}]
    return Tracker(OPENID, slots or {}, parse, events, False, None, {}, "action_listen")


def run(action: Any, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, {}))
    return events, dispatcher.messages


def verify_by_sms() -> None:
    with database_session() as session:
        service = identity_service(session)
        service.start(OPENID, "13812345678", "1234")
        text = session.scalars(select(SmsOutbox.text).order_by(SmsOutbox.id.desc())).first()
        assert service.verify(OPENID, "".join(c for c in text if c.isdigit())[:6]).status.value == "verified"


def lapse_chat_verification() -> None:
    with database_session() as session:
        session.execute(update(Verification).values(expires_at=Verification.verified_at))
        session.commit()


def followups(events: list[dict[str, Any]]) -> list[str]:
    return [event["name"] for event in events if event["event"] == "followup"]


def asks_for_verification(channel: str) -> bool:
    events, _ = run(ActionCheckBalance(), tracker(channel))
    return "verify_form" in followups(events)


def test_binding_is_offered_after_verification_on_wechat_only(database: str) -> None:
    verify_by_sms()
    verified = {"verification_status": "verified", "pending_skill": "action_check_balance"}
    wechat_events, messages = run(ActionResumeAfterVerification(), tracker("wechat", slots=verified))
    assert OFFER in followups(wechat_events) and "¥" in messages[0]["text"]
    rest_events, _ = run(ActionResumeAfterVerification(), tracker("rest", slots=verified))
    assert OFFER not in followups(rest_events)


def test_a_bound_openid_is_verified_on_wechat_until_unbound(database: str) -> None:
    verify_by_sms()
    _, messages = run(ActionBindWechat(), tracker("wechat", "affirm"))
    assert messages[0]["response"] == "utter_wechat_bound" and messages[0]["days"] == 30
    lapse_chat_verification()
    assert not asks_for_verification("wechat")
    assert asks_for_verification("rest")
    again, _ = run(ActionResumeAfterVerification(), tracker("wechat", slots={"verification_status": "verified"}))
    assert OFFER not in followups(again)
    _, messages = run(ActionUnbindWechat(), tracker("wechat", "unbind_wechat"))
    assert messages[0]["response"] == "utter_wechat_unbound"
    assert asks_for_verification("wechat")
    _, messages = run(ActionUnbindWechat(), tracker("wechat", "unbind_wechat"))
    assert messages[0]["response"] == "utter_wechat_not_bound"


def test_binding_needs_a_live_verification(database: str) -> None:
    _, messages = run(ActionBindWechat(), tracker("wechat", "affirm"))
    assert messages[0]["response"] == "utter_wechat_binding_lapsed"
    assert asks_for_verification("wechat")
