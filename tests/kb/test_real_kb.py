"""Checks against the project's real knowledge_base/ directory (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase

KB_DIR = Path(__file__).resolve().parents[2] / "knowledge_base"

pytestmark = pytest.mark.skipif(not (KB_DIR / "faq").is_dir(), reason="knowledge_base/ not present")


@pytest.fixture(scope="module")
def real_kb() -> KnowledgeBase:
    return KnowledgeBase.from_directory(KB_DIR)


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
