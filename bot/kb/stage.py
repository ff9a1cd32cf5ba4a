"""A ranking stage: which scores are computed, and the re-ranker and thresholds that judge them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.calibration import Thresholds
from bot.kb.entry_index import EntryIndex
from bot.kb.reranker import Reranker


@dataclass(frozen=True)
class Stage:
    """An entry index (lexical, or with embeddings) with its re-ranker and decision thresholds."""

    entry_index: EntryIndex
    reranker: Reranker
    thresholds: Thresholds
