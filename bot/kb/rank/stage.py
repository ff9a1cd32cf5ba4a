"""A ranking stage: which scores are computed, and the re-ranker and thresholds that judge them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.index.entry_index import EntryIndex
from bot.kb.rank.calibration import Thresholds
from bot.kb.rank.reranker import Reranker


@dataclass(frozen=True)
class Stage:
    """An entry index (lexical, or with embeddings) with its re-ranker and decision thresholds."""

    entry_index: EntryIndex
    reranker: Reranker
    thresholds: Thresholds
