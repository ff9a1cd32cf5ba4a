"""Retrieval, decisions and follow-ups on a small knowledge base."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.kb import KnowledgeBase
from bot.kb.assembly import assemble


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("我的储蓄卡找不到了怎么挂失", "debit_card-001"),
        ("信用卡的还款日能不能改", "credit_card-006"),
        ("信用卡還款日可以修改嗎", "credit_card-006"),
        ("ＡＴＭ吞卡了怎么办", "debit_card-014"),
        ("xyk年费是多少", "credit_card-004"),
        ("信用咔密码忘了怎么办", "credit_card-017"),
    ],
)
def test_search_finds_entry(kb: KnowledgeBase, query: str, expected: str) -> None:
    hits = kb.search(query)
    assert hits[0].id == expected
    assert hits[0].question == kb.entry(expected).question
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)


def test_confident_answer(kb: KnowledgeBase) -> None:
    decision = kb.answer("信用卡还款日可以修改吗？")
    assert (decision.outcome, decision.answer_id) == ("answer", "credit_card-006")
    assert decision.confidence >= kb.thresholds.answer


@pytest.mark.parametrize("query", ["今天天气怎么样", "asdfgh", "🙂🙂", "？？？"])
def test_off_topic_gets_no_answer(kb: KnowledgeBase, query: str) -> None:
    decision = kb.answer(query)
    assert decision.outcome == "none"
    assert decision.answer_id is None


def test_ambiguous_query_asks_to_clarify(kb: KnowledgeBase) -> None:
    decision = kb.answer("密码忘了")
    assert decision.outcome == "clarify"
    assert {"debit_card-007", "credit_card-017"} <= {hit.id for hit in decision.suggestions}
    assert len(decision.suggestions) <= 3


def test_a_confident_answer_held_back_only_by_a_close_runner_up_answers_with_the_runner_up_offered(
    kb: KnowledgeBase,
) -> None:
    ambiguous = kb.answer("密码忘了")
    default = kb.thresholds
    kb.use_thresholds(replace(default, answer=ambiguous.confidence, clarify=ambiguous.confidence / 2))
    try:
        decision = kb.answer("密码忘了")
    finally:
        kb.use_thresholds(default)
    assert decision.outcome == "answer" and not decision.firm
    assert {decision.answer_id, *(hit.id for hit in decision.suggestions)} >= {"debit_card-007", "credit_card-017"}
    assert decision.answer_id not in {hit.id for hit in decision.suggestions}
    assert kb.answer("信用卡还款日可以修改吗？").firm


def test_followup_uses_previous_entry(kb: KnowledgeBase) -> None:
    alone = kb.answer("那信用卡呢？")
    decision = kb.answer("那信用卡呢？", previous_id="debit_card-007")
    assert alone.answer_id != "credit_card-017"
    assert (decision.outcome, decision.answer_id) == ("answer", "credit_card-017")
    assert decision.query == "信用卡密码忘了怎么办"


def test_naming_the_kind_alone_is_a_follow_up(kb: KnowledgeBase) -> None:
    decision = kb.answer("是信用卡的", previous_id="debit_card-007")
    assert (decision.outcome, decision.answer_id) == ("answer", "credit_card-017")
    assert decision.query == "信用卡密码忘了怎么办"


def test_full_question_is_not_rewritten(kb: KnowledgeBase) -> None:
    decision = kb.answer("转错账了怎么办", previous_id="debit_card-007")
    assert decision.answer_id == "transfer-006"
    assert decision.query == "转错账了怎么办"


def test_accessors_and_from_entries(kb: KnowledgeBase) -> None:
    assert len(kb) == 10 == len(kb.entries)
    assert kb.entry("transfer-001").answer == "默认单日限额5万元。"
    rebuilt = assemble(kb.entries)
    assert rebuilt.search("转账转错人了")[0].id == "transfer-006"


def test_synonym_variants_are_segmented_as_their_canonical_word(kb: KnowledgeBase) -> None:
    assert kb.index.analyzer.words(kb.index.analyzer.prepare("xyk还款日"))[:2] == ["信用卡", "还款日"]
