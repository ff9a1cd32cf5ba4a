"""BM25 of a query against each entry's answer text: evidence when no question shares its words.

Answers are long, so they are indexed by character bigrams (vectorised, no word segmentation):
jieba over every answer would double the build time of a large knowledge base.
"""

from __future__ import annotations

import numpy as np

from bot.kb.index.char_ngrams import CharNgrams
from bot.kb.index.lexical_index import Query
from bot.kb.index.tokenizer import TextAnalyzer
from bot.kb.index.weighting import bm25_idf, bm25_weights, document_frequency

# Only the opening of an answer is indexed: it states what the answer is about, while the rest
# (steps, exceptions, contact details) repeats across answers.
ANSWER_CHARS = 100


class AnswerIndex:
    """Entries × character-bigram BM25 over the openings of the answers."""

    def __init__(self, analyzer: TextAnalyzer, answers: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.analyzer = analyzer
        distinct = list(dict.fromkeys(answer[:ANSWER_CHARS] for answer in answers))
        chars = {text: analyzer.chars(analyzer.prepare(text)) for text in distinct}
        self._grams = CharNgrams()
        counts = self._grams.fit_transform([chars[answer[:ANSWER_CHARS]] for answer in answers])
        n_docs = max(len(answers), 1)
        self.idf = bm25_idf(document_frequency(counts), n_docs)
        self.idf[[len(gram) != 2 for gram in self._grams.grams]] = 0.0
        self._by_term = bm25_weights(counts, self.idf, k1, b).T.tocsr()
        self._ceiling = self.idf * (k1 + 1)
        self._unseen_ceiling = float(bm25_idf(np.zeros(1), n_docs)[0] * (k1 + 1))

    def score(self, queries: list[Query]) -> np.ndarray:
        """(queries × entries) BM25 over the query's distinct bigrams, divided by what they could reach."""
        texts = [self.analyzer.chars(query.prepared) for query in queries]
        known = self._grams.transform(texts)
        known.data[:] = 1.0
        bigrams = np.array([len({text[i : i + 2] for i in range(len(text) - 1)}) for text in texts])
        known_bigrams = np.asarray(known @ (self._ceiling > 0).astype(np.float32)).ravel()
        ceiling = known @ self._ceiling + (bigrams - known_bigrams) * self._unseen_ceiling
        return (known @ self._by_term).toarray() / np.maximum(ceiling, 1e-9)[:, None]
