"""Entry-level documents: all questions of an entry pooled into one bag of words and n-grams."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from bot.kb.index.answer_index import AnswerIndex
from bot.kb.index.lexical_index import LexicalIndex, Query
from bot.kb.index.semantic_index import SemanticIndex
from bot.kb.index.weighting import bm25_idf, bm25_weights, document_frequency, smooth_idf, sublinear_tfidf

# Character n-gram views of the pooled documents: single Chinese characters, and n-grams of two
# characters or fewer (single letters and digits excluded: alone they say nothing about the topic).
_CHINESE = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass(frozen=True)
class EntryScores:
    """Dense (queries × entries) scores: normalised BM25, one cosine per character view, answer BM25,
    and each embedding model's cosines to the best question and to the entry's passage (e5, then USE;
    zeros without embeddings)."""

    bm25: np.ndarray
    chars: tuple[np.ndarray, ...]
    answer: np.ndarray
    semantic: np.ndarray
    semantic_answer: np.ndarray
    use: np.ndarray
    use_answer: np.ndarray

    def without_embeddings(self) -> EntryScores:
        """The same scores with the embedding cosines zeroed, as the lexical stage sees them."""
        zeros = np.zeros_like(self.bm25)
        return replace(self, semantic=zeros, semantic_answer=zeros, use=zeros, use_answer=zeros)


def _with_notes(pooled: sp.csr_matrix, notes: sp.csr_matrix) -> sp.csr_matrix:
    """Pooled counts plus the entries' note counts, when there is one note per entry."""
    total = (pooled + notes).tocsr() if notes.shape == pooled.shape else pooled.tocsr()
    total.eliminate_zeros()
    return total


class _CharView:
    """Sublinear TF-IDF restricted to some character n-gram columns (the others weigh zero)."""

    def __init__(self, pooled: sp.csr_matrix, columns: np.ndarray) -> None:
        self.idf = np.zeros(pooled.shape[1], dtype=np.float32)
        counts = pooled[:, columns]
        self.idf[columns] = smooth_idf(document_frequency(counts), counts.shape[0])
        self.by_term = sublinear_tfidf(pooled, self.idf).T.tocsr()

    def score(self, counts: sp.csr_matrix) -> np.ndarray:
        return (sublinear_tfidf(counts, self.idf) @ self.by_term).toarray()


class EntryIndex:
    """BM25 and character TF-IDF cosines against pooled entry documents.

    Each document pools an entry's questions and its note (keywords). `hidden` question rows are
    left out, so that an indexed question can be scored as if it were unseen. `answers` and
    `semantic` (shared by every such view) score answer texts and sentence embeddings.
    """

    def __init__(
        self,
        index: LexicalIndex,
        answers: AnswerIndex,
        semantic: SemanticIndex | None = None,
        hidden: np.ndarray | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.answers, self.semantic = answers, semantic
        keep = np.ones(len(index), dtype=bool)
        if hidden is not None:
            keep[hidden] = False
        self._keep = keep if hidden is not None else None
        rows = np.flatnonzero(keep)
        n_entries = len(index.starts)
        pool = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (index.owners[rows], rows)), shape=(n_entries, len(index))
        )
        words = _with_notes(pool @ index.word_counts, index.note_word_counts)
        self.idf = bm25_idf(document_frequency(words), n_entries)
        self._bm25_by_term = bm25_weights(words, self.idf, k1, b).T.tocsr()
        self._bm25_ceiling = self.idf * (k1 + 1)
        self._unseen_ceiling = float(bm25_idf(np.zeros(1), n_entries)[0] * (k1 + 1))
        chars = _with_notes(pool @ index.char_counts, index.note_char_counts)
        grams = index.char_grams
        single = np.array([len(gram) == 1 and bool(_CHINESE.match(gram)) for gram in grams], dtype=bool)
        short = single | np.array([len(gram) == 2 for gram in grams], dtype=bool)
        self._views = [_CharView(chars, np.flatnonzero(columns)) for columns in (single, short)]

    def without_embeddings(self) -> EntryIndex:
        """This index scoring without sentence embeddings (every matrix shared, nothing rebuilt)."""
        view = copy.copy(self)
        view.semantic = None
        return view

    def score(self, queries: list[Query]) -> EntryScores:
        """Scores of every query against every entry (with embeddings, every query needs its vector)."""
        return self.add_embeddings(self.lexical_scores(queries), queries)

    def lexical_scores(self, queries: list[Query]) -> EntryScores:
        """The word, character and answer scores of every query, with the embedding cosines zeroed."""
        words = sp.vstack([query.word_vector for query in queries], format="csr")
        words.data[:] = 1.0
        unseen = np.array([len(set(query.words)) for query in queries]) - words.getnnz(axis=1)
        ceiling = np.asarray(words @ self._bm25_ceiling).ravel() + unseen * self._unseen_ceiling
        bm25 = (words @ self._bm25_by_term).toarray() / np.maximum(ceiling, 1e-9)[:, None]
        counts = sp.vstack([query.char_counts for query in queries], format="csr")
        chars = tuple(view.score(counts) for view in self._views)
        zeros = np.zeros_like(bm25)
        return EntryScores(bm25, chars, self.answers.score(queries), zeros, zeros, zeros, zeros)

    def add_embeddings(self, scores: EntryScores, queries: list[Query]) -> EntryScores:
        """`scores` of `queries` with their embedding cosines filled in (unchanged without embeddings)."""
        if self.semantic is None:
            return scores
        vectors = np.vstack([query.vector for query in queries])
        (semantic, semantic_answer), (use, use_answer) = self.semantic.score(vectors, self._keep)
        return replace(scores, semantic=semantic, semantic_answer=semantic_answer, use=use, use_answer=use_answer)
