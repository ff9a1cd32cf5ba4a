"""Cosine similarity of sentence embeddings: a query against the entries' questions and answers."""

from __future__ import annotations

import numpy as np

from bot.kb.embedder import Embedder
from bot.kb.lexical_index import LexicalIndex, Query
from bot.kb.question_vectors import QuestionVectors

# Answers are embedded from their opening (what they are about); the model reads up to 512 tokens
# but its cost grows with the length.
ANSWER_EMBED_CHARS = 160


class SemanticIndex:
    """Embeddings of all indexed questions (rows of a LexicalIndex) and of each entry's answer."""

    def __init__(self, embedder: Embedder, index: LexicalIndex, answers: list[str]) -> None:
        self.embedder = embedder
        embedder.load()
        self.questions = QuestionVectors(embedder.questions(index.prepared, persist=True), index.starts)
        prepared = [index.analyzer.prepare(answer[:ANSWER_EMBED_CHARS]) for answer in answers]
        self.answer_vectors = embedder.answers(prepared)

    def vectors(self, queries: list[Query], persist: bool = False) -> np.ndarray:
        """Query vectors; `persist` only for texts drawn from the knowledge base itself."""
        return self.embedder.questions([query.prepared for query in queries], persist)

    def score(self, vectors: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(queries × entries) best cosine over an entry's kept questions, and cosine to its answer."""
        return self.questions.best(vectors, keep), vectors @ self.answer_vectors.T
