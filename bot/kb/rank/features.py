"""First-stage candidate selection and the per-candidate features the re-ranker scores."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.kb.index.entry_index import EntryScores
from bot.kb.index.lexical_index import LexicalIndex, Query

# Feature name and the sign its weight must have (+1 higher is better, -1 lower is better, 0 free).
FEATURE_SIGNS = {
    "first_stage": 1,
    "entry_bm25": 1,
    "entry_char1": 1,
    "entry_char2": 1,
    "answer_bm25": 1,
    "semantic": 1,
    "semantic_answer": 1,
    "use": 1,
    "use_answer": 1,
    "keyword_hit": 1,
    "term_missing": -1,
    "entry_term_missing": -1,
    "term_conflict": -1,
    "query_length": 0,
    "unseen_share": -1,
}
FEATURES = tuple(FEATURE_SIGNS)
# First-stage entry score: weights of the pooled-entry scores.
FIRST_STAGE_WEIGHTS = {
    "char1": 1.0,
    "char2": 0.5,
    "bm25": 0.25,
    "answer": 0.25,
    "semantic": 2.0,
    "passage": 8.0,
    "use": 0.25,
    "use_passage": 1.0,
}


@dataclass(frozen=True)
class QueryScores:
    """One query's scores against every pooled entry: BM25, the two character cosines, answer BM25,
    and the question and passage cosines of each embedding model (e5, USE)."""

    bm25: np.ndarray
    char1: np.ndarray
    char2: np.ndarray
    answer: np.ndarray
    semantic: np.ndarray
    semantic_answer: np.ndarray
    use: np.ndarray
    use_answer: np.ndarray

    @classmethod
    def row(cls, scores: EntryScores, row: int) -> QueryScores:
        """The scores of query `row` of a batch."""
        char1, char2 = scores.chars
        return cls(
            scores.bm25[row],
            char1[row],
            char2[row],
            scores.answer[row],
            scores.semantic[row],
            scores.semantic_answer[row],
            scores.use[row],
            scores.use_answer[row],
        )

    def first_stage(self) -> np.ndarray:
        """The entry ranking score used to select candidates."""
        weights = FIRST_STAGE_WEIGHTS
        lexical = weights["char1"] * self.char1 + weights["char2"] * self.char2 + weights["bm25"] * self.bm25
        semantic = weights["semantic"] * self.semantic + weights["passage"] * self.semantic_answer
        semantic = semantic + weights["use"] * self.use + weights["use_passage"] * self.use_answer
        return lexical + weights["answer"] * self.answer + semantic


@dataclass(frozen=True)
class Candidates:
    """Top entries of the first stage (entry indices) with one feature row each."""

    entries: np.ndarray
    features: np.ndarray


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
        self._question_terms: dict[int, frozenset[str]] = {}
        self.top_k = top_k

    def question_terms(self, row: int) -> frozenset[str]:
        """The domain terms of one question row (found when first needed: a rebuild needs few of them)."""
        found = self._question_terms.get(row)
        if found is None:
            found = self._question_terms[row] = self.terms.intersection(self.index.words[row])
        return found

    def _entry_terms(self, entry: int, exclude: set[int]) -> set[str]:
        """Domain terms of an entry's questions, leaving out the excluded question rows."""
        found: set[str] = set()
        for row in self.index.rows(entry):
            if row not in exclude:
                found |= self.question_terms(row)
        return found

    def _entry_term_missing(self, entry: int, query_words: set[str]) -> float:
        """Share of the standard question's domain terms that the query does not mention."""
        core = self.question_terms(int(self.index.starts[entry]))
        return len(core - query_words) / len(core) if core else 0.0

    def candidates(
        self,
        query: Query,
        scores: QueryScores,
        exclude: np.ndarray | None = None,
        hidden_entry: int | None = None,
    ) -> Candidates:
        """Rank entries by pooled-entry scores and return the top ones with features.

        `exclude` names question rows hidden from this query, `hidden_entry` an entry it must not find.
        """
        entry_scores = scores.first_stage()
        if hidden_entry is not None:
            entry_scores[hidden_entry] = -1.0
        count = min(self.top_k, len(entry_scores))
        top = np.argpartition(-entry_scores, count - 1)[:count]
        top = top[np.argsort(-entry_scores[top], kind="stable")]
        top = top[entry_scores[top] > 0]
        index = self.index
        query_words = set(query.words)
        query_idf = {word: index.word_idf(word) for word in query_words}
        total_idf = sum(query_idf.values()) or 1.0
        unseen = sum(1 for word in query_words if word not in index.vocabulary) / max(len(query_words), 1)
        query_terms = self.terms & query_words
        excluded = set() if exclude is None else set(exclude.tolist())
        rows = []
        for entry in top:
            missing = query_terms - self._entry_terms(entry, excluded) if query_terms else set()
            entry_missing = self._entry_term_missing(entry, query_words)
            rows.append(
                (
                    float(entry_scores[entry]),
                    float(scores.bm25[entry]),
                    float(scores.char1[entry]),
                    float(scores.char2[entry]),
                    float(scores.answer[entry]),
                    float(scores.semantic[entry]),
                    float(scores.semantic_answer[entry]),
                    float(scores.use[entry]),
                    float(scores.use_answer[entry]),
                    float(any(word in query.prepared for word in self.keywords[entry])),
                    sum(query_idf[word] for word in missing) / total_idf,
                    entry_missing,
                    float(bool(missing) and entry_missing > 0),
                    math.log1p(len(query.words)),
                    unseen,
                )
            )
        return Candidates(top, np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES)))
