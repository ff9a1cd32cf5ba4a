"""A low-confidence personal request is the skill the classifier guessed; other fallbacks stay."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.personal_fallback import PersonalRequestFallback


def fallback(text: str, ranking: list[tuple[str, float]]) -> Message:
    items = [{"name": "nlu_fallback", "confidence": 0.55}, *({"name": n, "confidence": c} for n, c in ranking)]
    message = Message({TEXT: text, INTENT: dict(items[0]), INTENT_RANKING_KEY: items})
    PersonalRequestFallback().process([message])
    return message


@pytest.mark.parametrize(
    ("text", "skill"),
    [("我尾号0457的卡 帮我看看里面的钱还在不在", "check_balance"),
     ("我的就是丢了 你直接帮我挂了吧", "report_card_loss"),
     ("我那笔现在到底到哪一步了 帮我查查", "check_claim_status")],
)
def test_a_personal_request_is_the_guessed_skill(text: str, skill: str) -> None:
    message = fallback(text, [(skill, 0.42), ("faq", 0.2)])
    assert message.get(INTENT) == {"name": skill, "confidence": 0.42}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == [skill, "faq"]


@pytest.mark.parametrize(
    ("text", "ranking"),
    [("信用卡晚还几天有影响吗", [("check_credit_card_bill", 0.45)]),  # a general question
     ("帮我看看", [("check_balance", 0.2), ("faq", 0.1)]),  # too unsure a guess
     ("帮我查一下我自己的", [("bot_challenge", 0.3), ("check_claim_status", 0.2)])],  # no skill first
)
def test_other_fallbacks_stay(text: str, ranking: list[tuple[str, float]]) -> None:
    assert fallback(text, ranking).get(INTENT)["name"] == "nlu_fallback"
