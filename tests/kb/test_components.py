"""Building blocks: pooled entry index, listwise probabilities, calibration and the KB container API."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.kb import KnowledgeBase
from bot.kb.index.entry_index import EntryIndex
from bot.kb.rank.calibration import TrainingOutcome, is_ambiguous, tune_thresholds
from bot.kb.rank.listwise import candidate_probabilities, fit_listwise


def test_contains_and_unknown_entry(kb: KnowledgeBase) -> None:
    assert "credit_card-006" in kb
    assert "no-such-id" not in kb
    with pytest.raises(KeyError):
        kb.entry("no-such-id")


@pytest.mark.parametrize("query", ["信用卡还款日可以修改吗", "借记卡丢了怎么挂失", "转账限额是多少"])
def test_traditional_matches_simplified(kb: KnowledgeBase, query: str) -> None:
    import opencc

    traditional = opencc.OpenCC("s2t").convert(query)
    assert traditional != query
    assert kb.search(traditional) == kb.search(query)


def test_hidden_question_is_left_out_of_its_entry(kb: KnowledgeBase) -> None:
    index = kb.index
    row = int(index.starts[0]) + 1
    query = index.question_query(row)
    assert kb.semantic is not None
    query = replace(query, vector=kb.semantic.vectors([query])[0])
    answers = kb.entry_index.answers
    full = EntryIndex(index, answers, kb.semantic).score([query])
    hidden = EntryIndex(index, answers, kb.semantic, np.array([row])).score([query])
    entry = int(index.owners[row])
    assert hidden.chars[1][0, entry] < full.chars[1][0, entry]
    assert hidden.bm25[0, entry] <= full.bm25[0, entry]
    assert full.semantic[0, entry] == pytest.approx(1.0, abs=1e-2)
    assert hidden.semantic[0, entry] < full.semantic[0, entry]
    assert hidden.answer[0, entry] == full.answer[0, entry]


def test_candidate_probabilities_leave_room_for_none() -> None:
    probs = candidate_probabilities(np.array([2.0, 2.0, -1.0]))
    assert probs[0] == pytest.approx(probs[1])
    assert probs.sum() < 1.0
    assert candidate_probabilities(np.zeros(0)).shape == (0,)


def test_fit_listwise_respects_signs() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    offsets = np.arange(0, 301, 3)
    labels = np.array([start + int(np.argmax(x[start : start + 3, 0])) for start in offsets[:-1]])
    weights, _ = fit_listwise(x, offsets, labels, np.array([1, -1]))
    assert weights[0] > 1.0
    assert weights[1] <= 0.0


def test_ambiguity_and_thresholds() -> None:
    assert is_ambiguous(0.5, 0.45, 0.5)
    assert not is_ambiguous(0.9, 0.05, 0.5)
    confidence = np.array([0.95, 0.9, 0.85, 0.6, 0.55, 0.2])
    outcome = TrainingOutcome(
        confidence=confidence,
        runner_up=np.array([0.01, 0.02, 0.6, 0.1, 0.3, 0.1]),
        correct=np.array([True, True, False, True, False, False]),
        in_top3=np.array([True, True, True, True, True, False]),
    )
    thresholds = tune_thresholds(outcome)
    assert thresholds.ambiguity < 1.0
    assert thresholds.clarify <= thresholds.answer
    assert 0.3 <= thresholds.answer <= 0.95
