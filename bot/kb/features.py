"""First-stage candidate selection and the per-candidate features the re-ranker scores."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.kb.entry_index import EntryScores
from bot.kb.lexical_index import LexicalIndex, Query

# Feature name and the sign its weight must have (+1 higher is better, -1 lower is better, 0 free).
FEATURE_SIGNS = {
    "first_stage": 1,
    "bm25_norm": 1,
    "bm25_log": 1,
    "char_max": 1,
    "char_mean": 1,
    "entry_bm25": 1,
    "entry_char1": 1,
    "entry_char2": 1,
    "idf_coverage": 1,
    "doc_coverage": 1,
    "jaccard": 1,
    "keyword_hit": 1,
    "term_missing": -1,
    "entry_term_missing": -1,
    "query_length": 0,
    "unseen_share": -1,
}
FEATURES = tuple(FEATURE_SIGNS)


# First-stage entry score: weights of the pooled-entry scores and of the best question's score.
FIRST_STAGE_WEIGHTS = {"entry_char1": 1.0, "entry_char2": 0.5, "entry_bm25": 0.25, "question": 0.0}


@dataclass
class QueryScores:
    """One query's scores: per question (BM25, cosine) and per pooled entry (BM25, char cosines)."""

    bm25: np.ndarray
    cosine: np.ndarray
    entry_bm25: np.ndarray
    entry_char1: np.ndarray
    entry_char2: np.ndarray

    @classmethod
    def row(cls, bm25: np.ndarray, cosine: np.ndarray, entry: EntryScores, row: int) -> QueryScores:
        """The scores of query `row` of a batch."""
        char1, char2 = entry.chars
        return cls(bm25[row], cosine[row], entry.bm25[row], char1[row], char2[row])

    def first_stage(self, question_best: np.ndarray) -> np.ndarray:
        """The entry ranking score used to select candidates."""
        weights = FIRST_STAGE_WEIGHTS
        return (
            weights["entry_char1"] * self.entry_char1
            + weights["entry_char2"] * self.entry_char2
            + weights["entry_bm25"] * self.entry_bm25
            + weights["question"] * question_best
        )


@dataclass(frozen=True)
class Candidates:
    """Top entries of the first stage (entry indices) with one feature row each."""

    entries: np.ndarray
    features: np.ndarray
    best_questions: np.ndarray


class FeatureExtractor:
    """Selects candidate entries for a query and describes each one numerically."""

    def __init__(
        self,
        index: LexicalIndex,
        keywords: list[tuple[str, ...]],
        terms: frozenset[str] = frozenset(),
        top_k: int = 10,
    ) -> None:
        self.index = index
        self.keywords = keywords
        self.terms = terms
        self.question_terms = [terms.intersection(words) for words in index.words]
        self.top_k = top_k
        self._sizes = np.diff(np.r_[index.starts, len(index)]).astype(np.float32)

    def _entry_terms(self, start: int, stop: int, exclude: set[int]) -> set[str]:
        found: set[str] = set()
        for row in range(start, stop):
            if row not in exclude:
                found |= self.question_terms[row]
        return found

    def _entry_term_missing(self, start: int, query_words: set[str]) -> float:
        """Share of the standard question's domain terms that the query does not mention."""
        core = self.question_terms[start]
        return len(core - query_words) / len(core) if core else 0.0

    def candidates(
        self,
        query: Query,
        scores: QueryScores,
        exclude: np.ndarray | None = None,
        hidden_entry: int | None = None,
    ) -> Candidates:
        """Rank entries by question and pooled-entry scores and return the top ones with features."""
        index = self.index
        bm25, cosine = scores.bm25, scores.cosine
        bm25_norm = bm25 / query.self_score if query.self_score > 0 else np.zeros_like(bm25)
        combined = bm25_norm + cosine
        sizes = self._sizes
        if exclude is not None and len(exclude):
            combined[exclude] = -1.0
            bm25_norm[exclude] = 0.0
            bm25[exclude] = 0.0
            cosine[exclude] = 0.0
            sizes = sizes - np.bincount(index.owners[exclude], minlength=len(sizes))
        entry_scores = scores.first_stage(np.maximum.reduceat(combined, index.starts))
        if hidden_entry is not None:
            entry_scores[hidden_entry] = -1.0
        count = min(self.top_k, len(entry_scores))
        top = np.argpartition(-entry_scores, count - 1)[:count]
        top = top[np.argsort(-entry_scores[top], kind="stable")]
        top = top[entry_scores[top] >= 0]
        top_scores = entry_scores[top]
        query_idf = {word: index.word_idf(word) for word in set(query.words)}
        total_idf = sum(query_idf.values()) or 1.0
        unseen = sum(1 for word in query_idf if word not in index.vocabulary) / max(len(query_idf), 1)
        query_words = set(query.words)
        query_terms = self.terms & query_words
        excluded = set() if exclude is None else set(exclude.tolist())
        rows = []
        best_questions = []
        for entry, first_stage in zip(top, top_scores, strict=True):
            start = index.starts[entry]
            stop = index.starts[entry + 1] if entry + 1 < len(index.starts) else len(index)
            best = start + int(np.argmax(combined[start:stop]))
            best_questions.append(best)
            doc_words = set(index.words[best])
            shared = query_idf.keys() & doc_words
            union = len(query_idf.keys() | doc_words) or 1
            raw_bm25 = float(bm25[start:stop].max())
            missing = query_terms - self._entry_terms(start, stop, excluded) if query_terms else set()
            rows.append(
                (
                    float(first_stage),
                    float(bm25_norm[start:stop].max()),
                    math.log1p(raw_bm25),
                    float(cosine[start:stop].max()),
                    float(cosine[start:stop].sum()) / max(float(sizes[entry]), 1.0),
                    float(scores.entry_bm25[entry]),
                    float(scores.entry_char1[entry]),
                    float(scores.entry_char2[entry]),
                    sum(query_idf[word] for word in shared) / total_idf,
                    len(shared) / max(len(doc_words), 1),
                    len(shared) / union,
                    float(any(word in query.prepared for word in self.keywords[entry])),
                    sum(query_idf[word] for word in missing) / total_idf,
                    self._entry_term_missing(start, query_words),
                    math.log1p(len(query.words)),
                    unseen,
                )
            )
        return Candidates(top, np.asarray(rows, dtype=np.float64), np.asarray(best_questions))
