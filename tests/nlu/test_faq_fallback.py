"""A low-confidence message whose best guess is `faq`, or that reads as a question with a noisy best guess, is
recorded as `faq`; other fallbacks stay."""

from __future__ import annotations

import pytest
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.faq_fallback import FaqFallback


def after_fallback(ranking: list[tuple[str, float]], text: str = "储蓄卡那六位数我给忘了") -> Message:
    """A message classified with `ranking`, passed through Rasa's FallbackClassifier and FaqFallback."""
    items = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message({TEXT: text, INTENT: dict(items[0]), INTENT_RANKING_KEY: items})
    config = {**FallbackClassifier.get_default_config(), "threshold": 0.55, "ambiguity_threshold": 0.08}
    FallbackClassifier(config).process([message])
    FaqFallback().process([message])
    return message


def test_a_low_confidence_faq_is_faq() -> None:
    message = after_fallback([("faq", 0.41), ("check_balance", 0.2), ("greet", 0.1)])
    assert message.get(INTENT)["name"] == "faq"
    assert message.get(INTENT)["confidence"] == 0.41
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "check_balance", "greet"]


def test_an_ambiguous_faq_is_faq() -> None:
    assert after_fallback([("faq", 0.6), ("check_balance", 0.58)]).get(INTENT)["name"] == "faq"


def test_a_low_confidence_skill_stays_a_fallback() -> None:
    message = after_fallback([("check_balance", 0.4), ("faq", 0.3)])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_a_confident_intent_is_untouched() -> None:
    message = after_fallback([("check_balance", 0.9), ("faq", 0.05)])
    assert message.get(INTENT) == {"name": "check_balance", "confidence": 0.9}


@pytest.mark.parametrize(
    "text", ["NCD是个啥 跟出险有关系吗", "聚餐喝大了 下楼梯崴了脚骨裂 意外险管不", "退保一个礼拜了 钱还没到 正常不"]
)
def test_a_question_whose_best_guess_is_noise_is_faq(text: str) -> None:
    message = after_fallback([("rate", 0.3), ("deny", 0.2), ("faq", 0.1)], text)
    assert message.get(INTENT) == {"name": "faq", "confidence": 0.1}
    assert [item["name"] for item in message.get(INTENT_RANKING_KEY)] == ["faq", "rate", "deny"]


@pytest.mark.parametrize("guess", ["out_of_scope", "check_policy", "find_branch", "complain"])
def test_a_question_whose_best_guess_has_its_own_rules_stays_a_fallback(guess: str) -> None:
    message = after_fallback([(guess, 0.4), ("faq", 0.1)], "意外险管不管")
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_a_fallback_that_asks_nothing_stays() -> None:
    message = after_fallback([("deny", 0.4), ("faq", 0.1)], "取钱的时候密码按错了三回")
    assert message.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("guess", ["greet", "thank", "goodbye"])
@pytest.mark.parametrize("text", ["收费吗", "万一银行倒闭了 我存的钱还在不在", "意外险管不管"])
def test_a_question_with_unsure_small_talk_as_best_guess_is_faq(guess: str, text: str) -> None:
    message = after_fallback([(guess, 0.45), ("complain", 0.12), ("faq", 0.05)], text)
    assert message.get(INTENT)["name"] == "faq"


@pytest.mark.parametrize(
    ("ranking", "text"),
    [([("greet", 0.45), ("faq", 0.05)], "在不在"), ([("greet", 0.52), ("faq", 0.47)], "您好 想问下呢"),
     ([("thank", 0.3), ("faq", 0.05)], "哦哦 谢谢")],
)
def test_presence_checks_sure_small_talk_and_statements_stay_fallbacks(ranking: list, text: str) -> None:
    assert after_fallback(ranking, text).get(INTENT)["name"] == "nlu_fallback"
