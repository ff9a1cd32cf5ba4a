"""Accuracy, rejection and latency of a knowledge base on labelled queries."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from bot.kb.assembly import assemble_jsonl
from bot.kb.engine import KnowledgeBase


def load_queries(path: str | Path) -> list[dict]:
    """Read `{"query", "expected_id"}` JSON lines."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_labelled_queries(path: str | Path) -> list[tuple[str, str | None]]:
    """(query, expected entry id or None) pairs from `{"query", "expected_id"}` JSON lines."""
    return [(str(item["query"]), item.get("expected_id")) for item in load_queries(path)]


def evaluate(kb: KnowledgeBase, queries: Iterable[dict]) -> dict:
    """top1/top3/MRR over answerable queries, off-topic rejection, false answers and latency; for the
    answerable queries also the decisions: answered right, clarified, and clarified with the right entry first."""
    reciprocal_ranks: list[float] = []
    rejected: list[bool] = []
    false_answers: list[bool] = []
    answered_right: list[bool] = []
    clarified: list[bool] = []
    clarified_first_right: list[bool] = []
    latencies: list[float] = []
    for item in queries:
        expected = item.get("expected_id")
        started = time.perf_counter()
        decision = kb.answer(item["query"])
        latencies.append((time.perf_counter() - started) * 1000)
        if expected is None:
            rejected.append(decision.outcome != "answer")
        else:
            ids = [hit.id for hit in kb.search(item["query"], top_k=10)]
            reciprocal_ranks.append(1.0 / (ids.index(expected) + 1) if expected in ids else 0.0)
            answered_right.append(decision.outcome == "answer" and decision.answer_id == expected)
            clarified.append(decision.outcome == "clarify")
            if decision.outcome == "clarify":
                clarified_first_right.append(bool(decision.suggestions) and decision.suggestions[0].id == expected)
        false_answers.append(decision.outcome == "answer" and decision.answer_id != expected)
    ranks = np.asarray(reciprocal_ranks)

    def share(values: list[bool] | np.ndarray) -> float:
        return float(np.mean(values)) if len(values) else 0.0

    return {
        "n": len(latencies),
        "top1": share(ranks == 1.0),
        "top3": share(ranks >= 1 / 3),
        "mrr": share(ranks),
        "oos_rejection": share(rejected),
        "false_answer_rate": share(false_answers),
        "answered_right": share(answered_right),
        "clarify_rate": share(clarified),
        "clarify_first_right": share(clarified_first_right),
        "p50_ms": float(np.percentile(latencies, 50)) if latencies else 0.0,
        "p99_ms": float(np.percentile(latencies, 99)) if latencies else 0.0,
    }


def evaluate_files(faq_path: str | Path, queries_path: str | Path, lexical: bool = False) -> dict:
    """Build a knowledge base from a FAQ JSON-lines file and evaluate it on a query file."""
    return evaluate(assemble_jsonl(faq_path, lexical), load_queries(queries_path))
