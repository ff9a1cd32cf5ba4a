"""Best question cosine per entry: exact, and shortlisted by mean vectors for large knowledge bases."""

from __future__ import annotations

import numpy as np

from bot.kb.index.question_vectors import QuestionVectors


def _clustered(entries: int, per_entry: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in `entries` topic clusters with uneven question counts, and the entries' first rows."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, per_entry + 1, entries)
    centres = rng.normal(size=(entries, 32))
    vectors = np.repeat(centres, counts, axis=0) + 0.5 * rng.normal(size=(int(counts.sum()), 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), np.r_[0, np.cumsum(counts)[:-1]]


def _brute_force(queries: np.ndarray, vectors: np.ndarray, starts: np.ndarray) -> np.ndarray:
    bounds = list(zip(starts, np.r_[starts[1:], len(vectors)], strict=True))
    return np.array([[float(np.max(vectors[a:b] @ query)) for a, b in bounds] for query in queries])


def test_exact_scores_are_each_entrys_best_question() -> None:
    vectors, starts = _clustered(30, 5)
    queries = vectors[[0, 7, 20]]
    best = QuestionVectors(vectors, starts).best(queries)
    assert np.allclose(best, _brute_force(queries, vectors, starts), atol=1e-6)


def test_hidden_questions_are_left_out() -> None:
    vectors, starts = _clustered(10, 4)
    keep = np.ones(len(vectors), dtype=bool)
    keep[starts[3]] = False
    query = vectors[starts[3]][None, :]
    index = QuestionVectors(vectors, starts)
    assert index.best(query)[0, 3] > 0.999
    hidden = index.best(query, keep)[0, 3]
    others = vectors[starts[3] + 1 : starts[4]]
    assert hidden == (-1.0 if len(others) == 0 else float(np.max(others @ query[0])))
    assert hidden < 0.999


def test_shortlist_is_exact_for_the_closest_entries_and_a_lower_bound_elsewhere() -> None:
    vectors, starts = _clustered(400, 8)
    rng = np.random.default_rng(1)
    queries = vectors[rng.integers(0, len(vectors), 40)] + 0.3 * rng.normal(size=(40, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = _brute_force(queries, vectors, starts)
    shortlisted = QuestionVectors(vectors, starts, exact_rows=0, shortlist=40).best(queries)
    assert np.all(shortlisted <= exact + 1e-5)
    exact_per_query = (np.abs(shortlisted - exact) <= 1e-5).sum(axis=1)
    assert np.all(exact_per_query >= 40) and np.all(exact_per_query < 400)
    assert np.mean(shortlisted.argmax(axis=1) == exact.argmax(axis=1)) >= 0.95
