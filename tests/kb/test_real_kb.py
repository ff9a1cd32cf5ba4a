"""Checks against the project's real knowledge_base/ directory (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.content.serving import CALIBRATION_FILE
from bot.kb import KnowledgeBase
from bot.kb.assembly import assemble_directory
from bot.kb.evaluate import load_labelled_queries
from bot.kb.rank.calibration import Thresholds, is_ambiguous, load_thresholds, write_thresholds

KB_DIR = Path(__file__).resolve().parents[2] / "knowledge_base"

pytestmark = pytest.mark.skipif(not (KB_DIR / "faq").is_dir(), reason="knowledge_base/ not present")


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    return assemble_directory(KB_DIR)


def test_standard_questions_find_themselves(real_kb: KnowledgeBase) -> None:
    found = [real_kb.search(entry.question, top_k=1)[0].id == entry.id for entry in real_kb.entries]
    assert sum(found) / len(found) >= 0.95


def test_off_topic_is_not_answered(real_kb: KnowledgeBase) -> None:
    assert real_kb.answer("今天天气怎么样").outcome == "none"
    assert real_kb.answer("asdfgh").outcome == "none"


def test_debit_to_credit_followup(real_kb: KnowledgeBase) -> None:
    debit = next(entry for entry in real_kb.entries if entry.question == "借记卡密码忘了怎么办")
    decision = real_kb.answer("那信用卡呢？", previous_id=debit.id)
    assert decision.answer_id is not None
    assert real_kb.entry(decision.answer_id).question == "信用卡密码忘了怎么办"


@pytest.mark.slow
def test_own_questions_are_answered_directly(real_kb: KnowledgeBase) -> None:
    decisions = [(real_kb.answer(question), entry.id) for entry in real_kb.entries for question in entry.questions]
    right = sum(decision.outcome == "answer" and decision.answer_id == entry_id for decision, entry_id in decisions)
    wrong = sum(decision.outcome == "answer" and decision.answer_id != entry_id for decision, entry_id in decisions)
    assert right / len(decisions) >= 0.85
    assert wrong / len(decisions) <= 0.02


@pytest.mark.parametrize(
    ("first", "followup", "expected_category"),
    [
        ("境外取现手续费多少", "那信用卡呢", "信用卡"),
        ("重疾险等待期多久", "那医疗险呢", "医疗险"),
    ],
)
def test_followup_moves_to_a_different_entry(
    real_kb: KnowledgeBase, first: str, followup: str, expected_category: str
) -> None:
    previous = real_kb.answer(first)
    assert previous.answer_id is not None
    decision = real_kb.answer(followup, previous_id=previous.answer_id)
    assert decision.answer_id not in (None, previous.answer_id)
    assert real_kb.entry(decision.answer_id).category == expected_category


def test_a_short_follow_up_is_read_with_the_previous_question(real_kb: KnowledgeBase) -> None:
    previous = real_kb.answer("U盾有什么用")
    assert previous.answer_id is not None
    assert real_kb.answer("办一个要钱不").outcome != "answer"
    decision = real_kb.answer("办一个要钱不", previous_id=previous.answer_id)
    assert decision.outcome == "answer" and decision.answer_id == previous.answer_id
    assert real_kb.answer("今天天气怎么样", previous_id=previous.answer_id).outcome == "none"


@pytest.mark.parametrize(
    ("first", "followup"),
    [("账单分期手续费怎么算", "分了期后面还能一次性还完吗")],
)
def test_a_follow_up_answered_weakly_alone_is_answered_in_context(
    real_kb: KnowledgeBase, first: str, followup: str
) -> None:
    previous = real_kb.answer(first)
    alone = real_kb.answer(followup)
    assert previous.answer_id is not None and alone.answer_id != previous.answer_id
    decision = real_kb.answer(followup, previous_id=previous.answer_id)
    assert decision.outcome == "answer" and decision.answer_id == previous.answer_id


def test_calibrated_thresholds_do_at_least_as_well_on_their_queries(real_kb: KnowledgeBase) -> None:
    queries = load_labelled_queries(KB_DIR / CALIBRATION_FILE)[::3]
    outcome = real_kb.outcome_on(queries)

    def utility(thresholds: Thresholds) -> float:
        clear = ~is_ambiguous(outcome.confidence, outcome.runner_up, thresholds.ambiguity)
        answered = clear & (outcome.confidence >= thresholds.answer)
        return float(np.sum(answered & outcome.correct) - 2.0 * np.sum(answered & ~outcome.correct))

    default = real_kb.thresholds
    calibrated = real_kb.calibrate(queries)
    assert utility(calibrated) >= utility(default)
    real_kb.use_thresholds(calibrated)
    try:
        assert real_kb.thresholds == calibrated
    finally:
        real_kb.use_thresholds(default)


def test_thresholds_file_round_trip(tmp_path: Path) -> None:
    thresholds = Thresholds(answer=0.4, clarify=0.2, ambiguity=0.3)
    write_thresholds(tmp_path / "thresholds.yml", thresholds, "queries.jsonl", 12)
    assert load_thresholds(tmp_path / "thresholds.yml") == thresholds
    assert load_thresholds(tmp_path / "missing.yml") is None


def test_a_question_naming_another_product_is_not_read_as_a_follow_up(real_kb: KnowledgeBase) -> None:
    previous = real_kb.answer("转账显示成功但对方没收到怎么办")
    assert previous.answer_id is not None
    question = "平时要怎么防止银行卡被盗刷"
    decision = real_kb.answer(question, previous_id=previous.answer_id)
    assert decision.answer_id != previous.answer_id
    assert decision == real_kb.answer(question)


def test_a_follow_up_naming_only_a_fee_stays_on_the_previous_topic(real_kb: KnowledgeBase) -> None:
    previous = real_kb.answer("破损的人民币能换吗")
    assert previous.answer_id is not None
    decision = real_kb.answer("换的话收手续费吗", previous_id=previous.answer_id)
    assert decision.outcome == "answer" and decision.answer_id == previous.answer_id


def test_a_confident_question_of_another_product_is_not_read_as_a_follow_up(real_kb: KnowledgeBase) -> None:
    previous = real_kb.answer("信用卡晚还两天有事吗")
    assert previous.answer_id is not None
    alone = real_kb.answer("保险买了后悔能退吗")
    assert alone.outcome == "answer" and alone.answer_id != previous.answer_id
    assert real_kb.answer("保险买了后悔能退吗", previous_id=previous.answer_id) == alone


@pytest.mark.parametrize(
    ("first", "followup"),
    [("海外亲戚给我汇款 我需要提供啥信息", "多久能到账"), ("银行要是倒闭了 我存的钱咋办", "理财也赔吗"),
     ("信用卡只还最低还款额会怎样", "利息咋算")],
)
def test_a_bare_follow_up_asks_about_the_previous_answer(real_kb: KnowledgeBase, first: str, followup: str) -> None:
    """Another entry answers the words alone (「多久能到账」: domestic transfers), but a follow-up naming nothing
    new asks about the subject just answered."""
    previous = real_kb.answer(first)
    assert previous.outcome == "answer"
    alone = real_kb.answer(followup)
    assert alone.answer_id != previous.answer_id
    decision = real_kb.answer(followup, previous_id=previous.answer_id)
    assert (decision.outcome, decision.answer_id) == ("answer", previous.answer_id)
