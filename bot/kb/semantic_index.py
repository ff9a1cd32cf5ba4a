"""Cosine similarity of sentence embeddings: a query against the entries' questions and answers."""

from __future__ import annotations

import numpy as np

from bot.kb.embedder import Embedder
from bot.kb.lexical_index import LexicalIndex, Query
from bot.kb.question_vectors import QuestionVectors

# Each entry is also embedded as one passage: its standard question followed by the opening of its
# answer (what it is about). The model reads up to 512 tokens but its cost grows with the length.
ANSWER_EMBED_CHARS = 160


class SemanticIndex:
    """Embeddings of all indexed questions (rows of a LexicalIndex) and of each entry as a passage."""

    def __init__(self, embedder: Embedder, index: LexicalIndex, answers: list[str]) -> None:
        self.embedder = embedder
        embedder.load()
        self.questions = QuestionVectors(embedder.questions(index.prepared, persist=True), index.starts)
        passages = [
            index.analyzer.prepare(f"{index.prepared[start]}。{answer[:ANSWER_EMBED_CHARS]}")
            for start, answer in zip(index.starts, answers, strict=True)
        ]
        self.answer_vectors = embedder.answers(passages)

    def vectors(self, queries: list[Query], persist: bool = False) -> np.ndarray:
        """Query vectors; `persist` only for texts drawn from the knowledge base itself."""
        return self.embedder.questions([query.prepared for query in queries], persist)

    def score(self, vectors: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(queries × entries) best cosine over an entry's kept questions, and cosine to its passage."""
        return self.questions.best(vectors, keep), vectors @ self.answer_vectors.T
