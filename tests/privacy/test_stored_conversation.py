"""What Rasa stores of a verification (and so what other instances, the broker and the console see)."""

from __future__ import annotations

import json
import re

from bot.devtools.shell import ChatSession
from bot.privacy.seal import is_sealed
from bot.runtime.serve import ServerPorts
from tests.support.chat import ID_LAST4, PHONE, latest_code, tracker_of, verify


def test_a_verified_conversation_is_stored_without_phone_id_digits_or_code(
    chat: ChatSession, servers: ServerPorts, api_token: str, database_url: str
) -> None:
    verify(chat, database_url, "帮我查下账户余额")
    code = latest_code(database_url, PHONE)
    chat.send(f"我的身份证号是11010119900307{ID_LAST4}，卡号6222021234567890123")
    stored = tracker_of(servers, api_token, chat.sender)
    dump = json.dumps(stored["events"], ensure_ascii=False)
    for secret in (PHONE, code, "110101199003071234", "6222021234567890123"):
        # Digit boundaries: a six-digit code may occur by chance inside an event's float timestamp.
        assert not re.search(rf"(?<![\d.]){secret}(?!\d)", dump), secret
    user_texts = [event["text"] for event in stored["events"] if event["event"] == "user"]
    assert ID_LAST4 not in user_texts
    phone_values = [e["value"] for e in stored["events"] if e["event"] == "slot" and e["name"] == "phone"]
    assert any(is_sealed(value) for value in phone_values)
    assert all(value is None or is_sealed(value) or value == "****" for value in phone_values)
