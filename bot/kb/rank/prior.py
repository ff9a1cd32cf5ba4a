"""A re-ranker for knowledge bases without paraphrases, learned from this project's own one.

A bank's FAQ export often has one question per entry. Its own re-ranker could then only learn from
copies of those questions, which teaches it that word overlap is everything. The prior is fitted
on `knowledge_base/` reduced to its standard questions, with the similar questions as the queries:
exactly that situation, with real paraphrases as labels. `kefu kb prior` rewrites both priors.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from bot.kb.entry import FaqEntry
from bot.kb.rank.calibration import Thresholds
from bot.kb.rank.features import FEATURES
from bot.kb.rank.reranker import Reranker

# One prior per retrieval mode: with sentence embeddings, and lexical only.
PRIOR_PATHS = {
    True: Path(__file__).with_name("prior_semantic.json"),
    False: Path(__file__).with_name("prior_lexical.json"),
}
# Below this many similar questions per entry, a knowledge base uses the prior.
MIN_OWN_PARAPHRASES = 2.0
# Queries per entry drawn from its similar questions when fitting the prior.
QUERIES_PER_ENTRY = 4


@dataclass(frozen=True)
class Prior:
    """A fitted re-ranker with its decision thresholds, valid for one feature set."""

    reranker: Reranker
    thresholds: Thresholds

    def to_json(self) -> str:
        reranker = self.reranker
        document = {
            "features": list(FEATURES),
            "mean": reranker.mean.tolist(),
            "scale": reranker.scale.tolist(),
            "coefficients": reranker.coefficients.tolist(),
            "bias": reranker.bias,
            "thresholds": asdict(self.thresholds),
        }
        return json.dumps(document, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Prior | None:
        """The stored prior, or None when it was fitted on another feature set."""
        document = json.loads(text)
        if document.get("features") != list(FEATURES):
            return None
        reranker = Reranker(
            np.asarray(document["mean"]),
            np.asarray(document["scale"]),
            np.asarray(document["coefficients"]),
            float(document["bias"]),
        )
        return cls(reranker, Thresholds(**document["thresholds"]))


def needs_prior(entries: list[FaqEntry]) -> bool:
    """Whether a knowledge base has too few paraphrases to learn its own re-ranker."""
    return sum(len(entry.similar) for entry in entries) < MIN_OWN_PARAPHRASES * len(entries)


def load_prior(semantic: bool) -> Prior | None:
    """The shipped prior for a retrieval mode (None if missing or stale)."""
    try:
        return Prior.from_json(PRIOR_PATHS[semantic].read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def standard_questions_only(entries: list[FaqEntry]) -> list[FaqEntry]:
    """The entries as a FAQ export without paraphrases has them: no similar questions, no keywords."""
    return [replace(entry, similar=(), keywords=()) for entry in entries]


def prior_queries(entries: list[FaqEntry], seed: int = 0) -> list[tuple[str, int]]:
    """(similar question, entry position) pairs, a few per entry, in a fixed random order."""
    rng = np.random.default_rng(seed)
    pairs = []
    for position, entry in enumerate(entries):
        for number in rng.permutation(len(entry.similar))[:QUERIES_PER_ENTRY]:
            pairs.append((entry.similar[int(number)], position))
    return pairs
