"""Typed `/intent{...}` payloads: whitelisted button payloads pass, everything else is neutralised."""

from __future__ import annotations

import pytest

from bot.nlu.payload_guard import is_allowed_payload, neutralise


@pytest.mark.parametrize(
    "payload",
    ['/faq{"faq_id": "credit_card-006"}', "/affirm", "/deny", "/request_human", '/inform{"city": "上海"}'],
)
def test_button_payloads_pass_unchanged(payload: str) -> None:
    assert is_allowed_payload(payload)
    assert neutralise(payload) == payload


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/restart", "restart"),
        ("/session_start", "session_start"),
        ('/check_balance{"card_tail": "1234"}', 'check_balance{"card_tail": "1234"}'),
        ('/faq{"account_id": "1"}', 'faq{"account_id": "1"}'),
        ('/inform{"city": 5}', 'inform{"city": 5}'),
        ("/faq{not json}", "faq{not json}"),
        ("//", ""),
        ("/", ""),
    ],
)
def test_other_payloads_lose_their_slash(typed: str, expected: str) -> None:
    assert not is_allowed_payload(typed)
    assert neutralise(typed) == expected


def test_ordinary_text_is_untouched() -> None:
    assert neutralise("信用卡/借记卡有什么区别") == "信用卡/借记卡有什么区别"
