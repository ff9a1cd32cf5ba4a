"""Evaluation metrics on a tiny labelled set."""

from __future__ import annotations

import json
from pathlib import Path

from bot.kb import KnowledgeBase
from bot.kb.evaluate import evaluate, evaluate_files

KEYS = {
    "n", "top1", "top3", "mrr", "oos_rejection", "false_answer_rate", "answered_right", "clarify_rate",
    "clarify_first_right", "p50_ms", "p99_ms",
}


def test_evaluate_values(kb: KnowledgeBase) -> None:
    queries = [
        {"query": "信用卡还款日可以修改吗", "expected_id": "credit_card-006"},
        {"query": "信用卡还款日可以修改吗", "expected_id": "transfer-001"},
        {"query": "今天天气怎么样", "expected_id": None},
    ]
    result = evaluate(kb, queries)
    assert set(result) == KEYS
    assert result["n"] == 3
    assert result["top1"] == 0.5
    assert result["oos_rejection"] == 1.0
    assert abs(result["false_answer_rate"] - 1 / 3) < 1e-9
    assert 0.5 <= result["mrr"] < 1.0
    assert 0 < result["p50_ms"] <= result["p99_ms"]


def test_evaluate_files(tmp_path: Path) -> None:
    faq = tmp_path / "faq.jsonl"
    queries = tmp_path / "queries.jsonl"
    rows = [
        {"id": "f1", "question": "信用卡怎么开通", "answer": "a"},
        {"id": "f2", "question": "消费贷额度怎么提高", "answer": "b"},
        {"id": "f3", "question": "信用卡账单怎么分期", "answer": "c"},
        {"id": "f4", "question": "余额宝收益怎么算", "answer": "d"},
    ]
    faq.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    labelled = [
        {"query": "我想开通信用卡", "expected_id": "f1"},
        {"query": "消费贷额度能提高吗", "expected_id": "f2"},
    ]
    queries.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in labelled), encoding="utf-8")
    result = evaluate_files(faq, queries)
    assert set(result) == KEYS
    assert (result["n"], result["top1"], result["top3"]) == (2, 1.0, 1.0)
