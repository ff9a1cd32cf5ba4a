"""Each entry's best question cosine to a query, exact for small knowledge bases, shortlisted for large ones.

Comparing a query with every question vector reads the whole matrix (111k × 384 floats for e5 at
10,000 entries: ~30 ms, memory-bound). Above `exact_rows` questions, the query is first compared with each
entry's mean question vector. That cosine is the mean of the entry's question cosines, so it never
exceeds the best one. The `shortlist` entries with the highest means are then scored exactly; the
others keep their mean, a lower bound.
"""

from __future__ import annotations

import numpy as np

EXACT_ROWS = 20000
SHORTLIST = 200


class QuestionVectors:
    """Unit vectors of all questions; the questions of entry i are rows starts[i] up to starts[i + 1]."""

    def __init__(
        self, vectors: np.ndarray, starts: np.ndarray, exact_rows: int = EXACT_ROWS, shortlist: int = SHORTLIST
    ) -> None:
        self.vectors, self.starts = vectors, starts
        self.lengths = np.diff(np.r_[starts, len(vectors)])
        self.shortlist = min(shortlist, len(starts))
        self.means = None
        if len(vectors) > exact_rows:
            self.means = (np.add.reduceat(vectors, starts, axis=0) / self.lengths[:, None]).astype(vectors.dtype)

    def best(self, queries: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """(queries × entries) best cosine over each entry's questions; `keep` hides question rows
        (training on held-out folds), which always takes the exact path."""
        if self.means is None or keep is not None:
            similarity = queries @ self.vectors.T
            if keep is not None:
                similarity[:, ~keep] = -1.0
            return np.maximum.reduceat(similarity, self.starts, axis=1)
        scores = queries @ self.means.T
        for row, query in enumerate(queries):
            top = np.argpartition(-scores[row], self.shortlist - 1)[: self.shortlist]
            lengths = self.lengths[top]
            offsets = np.cumsum(lengths) - lengths
            rows = np.repeat(self.starts[top] - offsets, lengths) + np.arange(int(lengths.sum()))
            scores[row, top] = np.maximum.reduceat(self.vectors[rows] @ query, offsets)
        return scores
