"""Benchmark the FAQ knowledge base: held-out accuracy, the faq-dev set, and build/search speed at scale.

Usage: python benchmarks/bench_kb.py [--out benchmarks/results/kb.json] [--faq-dev DIR] [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import FaqEntry, KnowledgeBase  # noqa: E402
from bot.kb.evaluate import evaluate, evaluate_files, load_queries  # noqa: E402

LATENCY_SAMPLE = 300


def _splice(first: str, second: str, rng: np.random.Generator) -> str:
    """Head of one real question glued to the tail of another."""
    cut_a = int(rng.integers(1, max(len(first), 2)))
    cut_b = int(rng.integers(0, max(len(second) - 1, 1)))
    return first[:cut_a] + second[cut_b:]


def synthetic_entries(real: list[FaqEntry], size: int, seed: int = 0) -> list[FaqEntry]:
    """Deterministic entries recombining real questions, with a real similar-question count."""
    rng = np.random.default_rng(seed)
    pool = [question for entry in real for question in entry.questions]
    entries = []
    for number in range(size):
        base = real[int(rng.integers(len(real)))]
        texts = [_splice(question, pool[int(rng.integers(len(pool)))], rng) for question in base.questions]
        entries.append(
            FaqEntry(
                id=f"syn-{number:06d}",
                question=texts[0],
                answer=base.answer,
                category=base.category,
                similar=tuple(texts[1:]),
                keywords=base.keywords,
            )
        )
    return entries


def scale_run(real: list[FaqEntry], size: int) -> dict:
    """Build time and answer latency (on a sample of similar questions) at a given size."""
    entries = synthetic_entries(real, size, seed=size)
    started = time.perf_counter()
    kb = KnowledgeBase.from_entries(entries)
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(1)
    sample = [entries[int(i)] for i in rng.integers(0, len(entries), LATENCY_SAMPLE)]
    latencies = []
    for entry in sample:
        query = entry.similar[int(rng.integers(len(entry.similar)))]
        started = time.perf_counter()
        kb.answer(query)
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "entries": size,
        "questions": sum(len(entry.questions) for entry in entries),
        "build_s": round(build_s, 3),
        "p50_ms": round(float(np.percentile(latencies, 50)), 3),
        "p99_ms": round(float(np.percentile(latencies, 99)), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "kb.json")
    parser.add_argument("--faq-dev", type=Path, default=ROOT.parent / "shared" / "data" / "faq-dev")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    args = parser.parse_args(argv)

    results: dict = {}
    kb_dir = ROOT / "knowledge_base"
    heldout = ROOT / "benchmarks" / "data" / "kb_heldout.jsonl"
    real: list[FaqEntry] = []
    if (kb_dir / "faq").is_dir():
        started = time.perf_counter()
        kb = KnowledgeBase.from_directory(kb_dir)
        results["kb"] = {"entries": len(kb), "build_s": round(time.perf_counter() - started, 3)}
        real = kb.entries
        if heldout.exists():
            results["heldout"] = evaluate(kb, load_queries(heldout))
    faq = args.faq_dev / "afqmc_faq.jsonl"
    queries = args.faq_dev / "afqmc_queries.jsonl"
    if faq.exists() and queries.exists():
        results["faq_dev"] = evaluate_files(faq, queries)
    if real:
        results["scale"] = [scale_run(real, size) for size in args.sizes]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name in ("heldout", "faq_dev"):
        if name in results:
            row = results[name]
            print(
                f"{name:8s} n={row['n']:5d} top1={row['top1']:.3f} top3={row['top3']:.3f} "
                f"mrr={row['mrr']:.3f} oos_rej={row['oos_rejection']:.3f} "
                f"false_ans={row['false_answer_rate']:.3f} p99={row['p99_ms']:.1f}ms"
            )
    for row in results.get("scale", []):
        print(
            f"scale    entries={row['entries']:6d} questions={row['questions']:6d} "
            f"build={row['build_s']:.2f}s p50={row['p50_ms']:.2f}ms p99={row['p99_ms']:.2f}ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
