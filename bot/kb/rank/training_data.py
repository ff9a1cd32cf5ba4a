"""Training queries for the re-ranker, drawn from the knowledge base itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.kb.index.lexical_index import LexicalIndex, Query

# The `entry` of a training query that no entry answers (an off-topic or chitchat message).
NO_ENTRY = -1


@dataclass(frozen=True)
class TrainingQuery:
    """A query whose right entry is known (or NO_ENTRY), and the question rows hidden while scoring it.

    Queries of one `fold` hide at most one question per entry, so they share one pooled entry index
    built without those questions; fold -1 hides nothing.
    """

    query: Query
    entry: int
    exclude: np.ndarray
    entry_removed: bool
    fold: int = -1


def _entry_rows(index: LexicalIndex, entry: int) -> np.ndarray:
    stop = index.starts[entry + 1] if entry + 1 < len(index.starts) else len(index)
    return np.arange(index.starts[entry], stop)


def paraphrase_queries(index: LexicalIndex, rng: np.random.Generator, cap: int) -> list[int]:
    """Rows of similar (non-standard) questions, at most cap of them, in random order but spread
    over as many entries as possible (so that few leave-one-out folds are needed)."""
    is_standard = np.zeros(len(index), dtype=bool)
    is_standard[index.starts] = True
    rows = np.flatnonzero(~is_standard)
    rng.shuffle(rows)
    seen: Counter[int] = Counter()
    rank = np.zeros(len(rows), dtype=np.int64)
    for number, owner in enumerate(index.owners[rows].tolist()):
        rank[number] = seen[owner]
        seen[owner] += 1
    rows = rows[np.argsort(rank, kind="stable")]
    return [int(row) for row in rows[:cap]]


def perturb(words: list[str], rng: np.random.Generator) -> str:
    """A noisy partial copy of a question: random word drops and/or a cropped span of words."""
    if len(words) > 3 and rng.random() < 0.5:
        length = max(2, int(len(words) * rng.uniform(0.4, 0.8)))
        start = int(rng.integers(0, len(words) - length + 1))
        words = words[start : start + length]
    kept = [word for word in words if rng.random() > 0.4]
    return "".join(kept if kept else words)


def build_training_queries(
    index: LexicalIndex,
    rng: np.random.Generator,
    cap: int = 1500,
    removed_share: float = 0.1,
    perturbed_share: float = 0.25,
) -> list[TrainingQuery]:
    """Leave-one-out paraphrases plus perturbed standard questions (all of them when there are no
    paraphrases), so that both loose and near-verbatim queries are represented.

    A share of the queries is repeated with its whole entry hidden, so that every candidate is
    wrong and the re-ranker learns what an unanswerable query looks like.
    """
    rows = paraphrase_queries(index, rng, cap)
    n_perturbed = cap - len(rows) if len(rows) < cap * (1 - perturbed_share) else int(cap * perturbed_share)
    rows = rows[: cap - n_perturbed]
    seen: Counter[int] = Counter()
    queries = []
    for row in rows:
        entry = int(index.owners[row])
        queries.append(TrainingQuery(index.question_query(row), entry, np.array([row]), False, seen[entry]))
        seen[entry] += 1
    for entry in rng.permutation(len(index.starts))[:n_perturbed]:
        query = index.query(perturb(list(index.words[index.starts[entry]]), rng))
        queries.append(TrainingQuery(query, int(entry), np.array([], dtype=np.int64), False))
    return queries + removed_copies(index, queries, rng, removed_share)


def removed_copies(
    index: LexicalIndex, queries: list[TrainingQuery], rng: np.random.Generator, share: float
) -> list[TrainingQuery]:
    """A random share of the queries again, each with its whole entry hidden (so nothing is right)."""
    return [
        TrainingQuery(item.query, item.entry, _entry_rows(index, item.entry), True, item.fold)
        for item in queries
        if rng.random() < share
    ]


def labelled_queries(index: LexicalIndex, pairs: Sequence[tuple[str, int]]) -> list[TrainingQuery]:
    """Queries written apart from the index, each with the position of its right entry."""
    nothing = np.array([], dtype=np.int64)
    return [TrainingQuery(index.query(text), entry, nothing, False) for text, entry in pairs]


def negative_queries(index: LexicalIndex, texts: Sequence[str]) -> list[TrainingQuery]:
    """Messages that no entry answers, as training queries whose every candidate is wrong."""
    nothing = np.array([], dtype=np.int64)
    return [TrainingQuery(index.query(text), NO_ENTRY, nothing, True) for text in dict.fromkeys(texts)]
