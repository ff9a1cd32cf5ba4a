"""Sparse lexical index over questions: BM25 on words and character n-gram TF-IDF cosine."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from bot.kb.tokenizer import TextAnalyzer
from bot.kb.weighting import bm25_idf, bm25_weights, document_frequency, smooth_idf, sublinear_tfidf


@dataclass(frozen=True)
class Query:
    """A query in every representation the indexes score."""

    prepared: str
    words: tuple[str, ...]
    word_vector: sp.csr_matrix
    char_counts: sp.csr_matrix
    char_vector: sp.csr_matrix
    self_score: float


class LexicalIndex:
    """BM25 and character TF-IDF over all questions; questions of one entry are contiguous.

    `notes` (one text per entry, e.g. its keywords) share the vocabularies and are vectorized into
    `note_word_counts` / `note_char_counts`, but are not scored as questions.
    """

    def __init__(
        self,
        analyzer: TextAnalyzer,
        questions: list[str],
        owners: np.ndarray,
        notes: list[str] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        ngram_range: tuple[int, int] = (1, 3),
    ) -> None:
        self.analyzer = analyzer
        self.k1, self.b = k1, b
        self.owners = owners
        self.starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        self.prepared = [analyzer.prepare(question) for question in questions]
        self.words = [tuple(analyzer.words(text)) for text in self.prepared]
        prepared_notes = [analyzer.prepare(text) for text in notes or []]
        self._build_bm25([tuple(analyzer.words(text)) for text in prepared_notes])
        self._chars = CountVectorizer(analyzer="char", ngram_range=ngram_range, dtype=np.float32)
        texts = [analyzer.chars(text) for text in (*self.prepared, *prepared_notes)]
        all_counts = self._chars.fit_transform(texts).tocsr()
        self.char_counts = all_counts[: len(self.prepared)]
        self.note_char_counts = all_counts[len(self.prepared) :]
        self.char_grams = self._chars.get_feature_names_out()
        self.char_idf = smooth_idf(document_frequency(self.char_counts), len(self.prepared))
        self.char_matrix = sublinear_tfidf(self.char_counts, self.char_idf)
        self._char_by_term = self.char_matrix.T.tocsr()

    def __len__(self) -> int:
        return len(self.prepared)

    def _build_bm25(self, note_words: list[tuple[str, ...]]) -> None:
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for row, words in enumerate((*self.words, *note_words)):
            for word, count in Counter(words).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(word, len(vocabulary)))
                counts.append(count)
        shape = (len(self.words) + len(note_words), len(vocabulary))
        all_tf = sp.csr_matrix((np.asarray(counts, dtype=np.float32), (rows, cols)), shape=shape)
        tf = all_tf[: len(self.words)]
        self.note_word_counts = all_tf[len(self.words) :]
        n_docs = max(len(self.words), 1)
        self.vocabulary = vocabulary
        self.idf = bm25_idf(document_frequency(tf), n_docs)
        self.unseen_idf = float(np.log1p((n_docs + 0.5) / 0.5))
        lengths = np.asarray([len(words) for words in self.words], dtype=np.float32)
        self.avg_length = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        self.word_counts = tf
        self._bm25_by_term = bm25_weights(tf, self.idf, self.k1, self.b).T.tocsr()

    def word_idf(self, word: str) -> float:
        """IDF of a word; unseen words get the largest possible value."""
        column = self.vocabulary.get(word)
        return self.unseen_idf if column is None else float(self.idf[column])

    def _self_score(self, words: tuple[str, ...]) -> float:
        """BM25 of the query against itself taken as a document: the best score it could reach."""
        norm = self.k1 * (1 - self.b + self.b * len(words) / self.avg_length)
        return sum(
            count * self.word_idf(word) * count * (self.k1 + 1) / (count + norm)
            for word, count in Counter(words).items()
        )

    def _word_vector(self, words: tuple[str, ...]) -> sp.csr_matrix:
        counts = Counter(word for word in words if word in self.vocabulary)
        columns = [self.vocabulary[word] for word in counts]
        data = np.asarray(list(counts.values()), dtype=np.float32)
        return sp.csr_matrix(
            (data, ([0] * len(columns), columns)), shape=(1, len(self.vocabulary)), dtype=np.float32
        )

    def query(self, text: str) -> Query:
        """Prepare and vectorize a raw query text."""
        prepared = self.analyzer.prepare(text)
        words = tuple(self.analyzer.words(prepared))
        char_counts = self._chars.transform([self.analyzer.chars(prepared)]).tocsr()
        char_vector = sublinear_tfidf(char_counts, self.char_idf)
        word_vector = self._word_vector(words)
        return Query(prepared, words, word_vector, char_counts, char_vector, self._self_score(words))

    def question_query(self, row: int) -> Query:
        """An indexed question used as a query, reusing its stored vectors."""
        words = self.words[row]
        return Query(
            self.prepared[row],
            words,
            self.word_counts[row],
            self.char_counts[row],
            self.char_matrix[row],
            self._self_score(words),
        )

    def score(self, queries: list[Query]) -> tuple[np.ndarray, np.ndarray]:
        """Dense (queries × questions) BM25 and character cosine scores."""
        words = sp.vstack([query.word_vector for query in queries], format="csr")
        chars = sp.vstack([query.char_vector for query in queries], format="csr")
        bm25 = (words @ self._bm25_by_term).toarray()
        cosine = (chars @ self._char_by_term).toarray()
        return bm25, cosine
