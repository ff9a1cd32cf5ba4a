"""Listwise logistic re-ranker over candidate features, trained on the KB's own questions."""

from __future__ import annotations

import numpy as np

from bot.kb.index.entry_index import EntryIndex
from bot.kb.rank.features import FEATURE_SIGNS, FEATURES, Candidates, FeatureExtractor, QueryScores
from bot.kb.rank.listwise import candidate_probabilities, fit_listwise
from bot.kb.rank.training_data import NO_ENTRY, TrainingQuery

_BATCH = 256
# Used only when the training data has no right or no wrong candidates (e.g. a one-entry KB).
_FALLBACK_WEIGHTS = dict(entry_bm25=3.0, entry_char1=3.0, entry_char2=3.0)
_FALLBACK_BIAS = -5.0


class Reranker:
    """Turns candidate feature rows into calibrated probabilities of being the right entry."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coefficients: np.ndarray, bias: float) -> None:
        self.mean, self.scale = mean, scale
        self.coefficients, self.bias = coefficients, bias

    @classmethod
    def fallback(cls) -> Reranker:
        """Fixed weights for when there is nothing to learn from (e.g. a one-entry KB)."""
        weights = np.array([_FALLBACK_WEIGHTS.get(name, 0.0) for name in FEATURES])
        return cls(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), weights, _FALLBACK_BIAS)

    def predict(self, features: np.ndarray) -> np.ndarray:
        """For one query's candidate rows: the probability that each one is the right entry."""
        if len(features) == 0:
            return np.zeros(0)
        return candidate_probabilities(((features - self.mean) / self.scale) @ self.coefficients + self.bias)

    @property
    def weights(self) -> dict[str, float]:
        """Standardized weight of every feature."""
        return {name: float(weight) for name, weight in zip(FEATURES, self.coefficients, strict=True)}


def _fit(x: np.ndarray, offsets: np.ndarray, labels: np.ndarray) -> Reranker:
    """Listwise logit on standardized features with every weight held to its feature's sign.

    Collinear similarity features otherwise get negative weights that extrapolate badly to
    near-verbatim queries.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    signs = np.array([FEATURE_SIGNS[name] for name in FEATURES])
    coefficients, bias = fit_listwise((x - mean) / scale, offsets, labels, signs)
    return Reranker(mean, scale, coefficients, bias)


def _fold_indexes(extractor: FeatureExtractor, full: EntryIndex, queries: list[TrainingQuery]) -> dict[int, EntryIndex]:
    """The pooled entry index each fold is scored against, with that fold's questions hidden."""
    hidden: dict[int, list[int]] = {}
    for item in queries:
        if item.fold >= 0 and not item.entry_removed:
            hidden.setdefault(item.fold, []).extend(item.exclude.tolist())
    indexes = {
        fold: EntryIndex(extractor.index, full.answers, full.semantic, np.asarray(rows))
        for fold, rows in hidden.items()
    }
    indexes[-1] = full
    return indexes


def collect_candidates(
    extractor: FeatureExtractor, entry_index: EntryIndex, queries: list[TrainingQuery], with_lexical: bool = False
) -> list[list[Candidates]]:
    """Score the training queries fold by fold in batches and select candidates with their exclusions.

    The first list ranks by the index's scores. With `with_lexical`, a second list ranks the same
    scores without their embeddings (the lexical stage), so that both stages share one scoring pass.
    """
    indexes = _fold_indexes(extractor, entry_index, queries)
    views = (False, True) if with_lexical else (False,)
    result: list[list[Candidates | None]] = [[None] * len(queries) for _ in views]
    for fold, pooled in indexes.items():
        numbers = [number for number, item in enumerate(queries) if item.fold == fold]
        for offset in range(0, len(numbers), _BATCH):
            batch = numbers[offset : offset + _BATCH]
            scored = pooled.score([queries[number].query for number in batch])
            for view, lexical in enumerate(views):
                pooled_scores = scored.without_embeddings() if lexical else scored
                for row, number in enumerate(batch):
                    item = queries[number]
                    scores = QueryScores.row(pooled_scores, row)
                    hidden = item.entry if item.entry_removed and item.entry != NO_ENTRY else None
                    result[view][number] = extractor.candidates(item.query, scores, item.exclude, hidden)
    return [[found for found in found_list if found is not None] for found_list in result]


def fit_reranker(queries: list[TrainingQuery], candidates: list[Candidates]) -> Reranker:
    """Fit the listwise model: each query's label is its own entry's candidate row, or none."""
    pairs = [(item, found) for item, found in zip(queries, candidates, strict=True) if len(found.entries)]
    if not pairs:
        return Reranker.fallback()
    offsets = np.cumsum([0, *(len(found.entries) for _, found in pairs)])
    labels = np.full(len(pairs), -1)
    for number, (item, found) in enumerate(pairs):
        hits = np.flatnonzero(found.entries == item.entry)
        if len(hits) and not item.entry_removed:
            labels[number] = offsets[number] + hits[0]
    has_wrong = (labels < 0).any() or offsets[-1] > len(pairs)
    if not (labels >= 0).any() or not has_wrong:
        return Reranker.fallback()
    return _fit(np.vstack([found.features for _, found in pairs]), offsets, labels)
