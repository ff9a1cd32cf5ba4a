"""Question vectorization: analysed words and character n-gram counts over one shared vocabulary."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bot.kb.index.char_ngrams import CharNgrams
from bot.kb.index.tokenizer import TextAnalyzer
from bot.kb.index.weighting import bm25_idf, count_matrix, document_frequency


@dataclass(frozen=True)
class Query:
    """A query in every representation the indexes score (`vector`: its sentence embedding, once known)."""

    prepared: str
    words: tuple[str, ...]
    word_vector: sp.csr_matrix
    char_counts: sp.csr_matrix
    vector: np.ndarray | None = None


def _analyze(analyzer: TextAnalyzer, texts: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    """Prepared texts and their words (see `TextAnalyzer.analyse`)."""
    analysed = analyzer.analyse(texts)
    return [prepared for prepared, _ in analysed], [words for _, words in analysed]


class LexicalIndex:
    """Word and character n-gram counts of all questions; questions of one entry are contiguous.

    `notes` (one text per entry, e.g. its keywords) share the vocabularies and are counted into
    `note_word_counts` / `note_char_counts`, apart from the questions.
    """

    def __init__(
        self,
        analyzer: TextAnalyzer,
        questions: list[str],
        owners: np.ndarray,
        notes: list[str] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.owners = owners
        self.starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        self.stops = np.r_[self.starts[1:], len(owners)]
        self.prepared, self.words = _analyze(analyzer, questions)
        prepared_notes, note_words = _analyze(analyzer, notes or [])
        self._count_words(note_words)
        self._chars = CharNgrams()
        texts = [analyzer.chars(text) for text in (*self.prepared, *prepared_notes)]
        all_counts = self._chars.fit_transform(texts)
        self.char_counts = all_counts[: len(self.prepared)]
        self.note_char_counts = all_counts[len(self.prepared) :]
        self.char_grams = self._chars.grams

    def __len__(self) -> int:
        return len(self.prepared)

    def rows(self, entry: int) -> range:
        """The question rows of an entry."""
        return range(self.starts[entry], self.stops[entry])

    def _count_words(self, note_words: list[tuple[str, ...]]) -> None:
        documents = (*self.words, *note_words)
        flat = np.fromiter(itertools.chain.from_iterable(documents), dtype=object)
        # Columns in order of first appearance, found by hashing (a dict lookup per word is several times slower).
        columns, distinct = pd.factorize(flat)
        vocabulary = {word: column for column, word in enumerate(distinct.tolist())}
        rows = np.repeat(np.arange(len(documents)), [len(words) for words in documents])
        all_tf = count_matrix(rows, columns.astype(np.int64), (len(documents), len(vocabulary)))
        self.vocabulary = vocabulary
        self.word_counts = all_tf[: len(self.words)]
        self.note_word_counts = all_tf[len(self.words) :]
        n_docs = max(len(self.words), 1)
        self.idf = bm25_idf(document_frequency(self.word_counts), n_docs)
        self.unseen_idf = float(np.log1p((n_docs + 0.5) / 0.5))

    def word_idf(self, word: str) -> float:
        """Question-level IDF of a word; unseen words get the largest possible value."""
        column = self.vocabulary.get(word)
        return self.unseen_idf if column is None else float(self.idf[column])

    def _word_vector(self, words: tuple[str, ...]) -> sp.csr_matrix:
        counts = sorted(Counter(self.vocabulary[word] for word in words if word in self.vocabulary).items())
        columns = np.array([column for column, _ in counts], dtype=np.int64)
        data = np.array([count for _, count in counts], dtype=np.float32)
        return sp.csr_matrix((data, columns, np.array([0, len(counts)])), shape=(1, len(self.vocabulary)))

    def query(self, text: str) -> Query:
        """Prepare and vectorize a raw query text."""
        prepared = self.analyzer.prepare(text)
        words = tuple(self.analyzer.words(prepared))
        char_counts = self._chars.transform([self.analyzer.chars(prepared)])
        return Query(prepared, words, self._word_vector(words), char_counts)

    def question_query(self, row: int) -> Query:
        """An indexed question used as a query, reusing its stored vectors."""
        return Query(self.prepared[row], self.words[row], self.word_counts[row], self.char_counts[row])
