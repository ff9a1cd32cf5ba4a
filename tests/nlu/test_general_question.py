"""General questions NLU took for a personal skill are recorded as `faq`, keeping the skill it saw."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.general_question import GeneralQuestionRouter
from bot.nlu.request_kind import GATED_KEY


def _routed(text: str, intent: str, confidence: float = 0.8) -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": "faq", "confidence": 0.1}]
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": ranking})
    return GeneralQuestionRouter().process([message])[0]


def test_a_general_question_about_a_skill_goes_to_the_knowledge_base() -> None:
    message = _routed("信用卡晚还几天有影响吗", "check_credit_card_bill")
    assert message.get("intent") == {"name": "faq", "confidence": 0.8}
    assert message.get(GATED_KEY) == "check_credit_card_bill"
    assert [item["name"] for item in message.get("intent_ranking")] == ["faq", "check_credit_card_bill"]


def test_a_fallback_whose_best_guess_is_a_skill_is_routed_too() -> None:
    message = Message(data={"text": "保险买了后悔了能退吗", "intent": {"name": "nlu_fallback", "confidence": 0.55},
                            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.55},
                                               {"name": "check_policy", "confidence": 0.4}]})
    routed = GeneralQuestionRouter().process([message])[0]
    assert routed.get("intent")["name"] == "faq"
    assert routed.get(GATED_KEY) == "check_policy"


def test_personal_requests_and_other_intents_are_left_alone() -> None:
    cases = (("帮我查下我的信用卡账单", "check_credit_card_bill"), ("我的卡丢了怎么挂失", "report_card_loss"),
             ("查余额", "check_balance"), ("转人工怎么转", "request_human"),
             # where the customer's own money or case stands
             ("工资到账了吗", "check_transactions"), ("户头里还有多少钱", "check_balance"),
             ("报的案处理到哪一步了", "check_claim_status"), ("这个月账单出来没", "check_credit_card_bill"))
    for text, intent in cases:
        message = _routed(text, intent)
        assert message.get("intent")["name"] == intent
        assert message.get(GATED_KEY) is None


def test_button_payloads_are_left_alone() -> None:
    assert _routed("/check_balance", "check_balance").get("intent")["name"] == "check_balance"
