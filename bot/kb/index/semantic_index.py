"""Cosine similarity of sentence embeddings: a query against the entries' questions and answers, per model."""

from __future__ import annotations

import numpy as np

from bot.kb.index.embedder import SEGMENTS, Embedder
from bot.kb.index.lexical_index import LexicalIndex, Query
from bot.kb.index.question_vectors import QuestionVectors

# Each entry is also embedded as one passage: its standard question followed by the opening of its
# answer (what it is about). The model reads up to 512 tokens but its cost grows with the length.
ANSWER_EMBED_CHARS = 160


def passages(index: LexicalIndex, answers: list[str]) -> list[str]:
    """Each entry as the passage that is embedded: its standard question, then the opening of its answer."""
    return [
        index.analyzer.prepare(f"{index.prepared[start]}。{answer[:ANSWER_EMBED_CHARS]}")
        for start, answer in zip(index.starts, answers, strict=True)
    ]


def unembedded(embedder: Embedder, index: LexicalIndex, answers: list[str]) -> int:
    """How many of the texts a `SemanticIndex` over `index` needs are not embedded yet (the cost of building it)."""
    return embedder.uncached(index.prepared, passages(index, answers))


class SemanticIndex:
    """Embeddings of all indexed questions (rows of a LexicalIndex) and of each entry as a passage.

    Each embedding model (a segment of the vectors) is scored on its own: its cosines differ in scale.
    """

    def __init__(self, embedder: Embedder, index: LexicalIndex, answers: list[str]) -> None:
        self.embedder = embedder
        embedder.load()
        vectors = embedder.questions(index.prepared, persist=True)
        self.questions = [QuestionVectors(vectors[:, segment], index.starts) for segment in SEGMENTS]
        self.answer_vectors = embedder.answers(passages(index, answers))

    def vectors(self, queries: list[Query], persist: bool = False) -> np.ndarray:
        """Query vectors; `persist` only for texts drawn from the knowledge base itself."""
        return self.embedder.questions([query.prepared for query in queries], persist)

    def score(self, vectors: np.ndarray, keep: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each model: (queries × entries) best cosine over an entry's kept questions, and the
        cosine to its passage."""
        return [
            (questions.best(vectors[:, segment], keep), vectors[:, segment] @ self.answer_vectors[:, segment].T)
            for questions, segment in zip(self.questions, SEGMENTS, strict=True)
        ]
