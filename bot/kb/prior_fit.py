"""Refitting the shipped prior re-ranker (`kefu kb prior`) on this project's own knowledge base."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR
from bot.kb.assembly import assemble
from bot.kb.entry import FaqEntry
from bot.kb.index.embedder import Embedder, default_embedder
from bot.kb.loader import load_and_validate, load_terms
from bot.kb.rank.negatives import load_negatives
from bot.kb.rank.prior import PRIOR_PATHS, Prior, prior_queries, standard_questions_only


def fit_prior(
    entries: list[FaqEntry],
    synonyms: dict[str, str],
    terms: list[str],
    negatives: list[str],
    embedder: Embedder | None,
) -> Prior:
    """Fit on `entries` reduced to their standard questions, queried with their similar questions."""
    kb = assemble(standard_questions_only(entries), synonyms, terms, negatives, lexical=embedder is None,
                  embedder=embedder, use_prior=False)
    return kb.fit_on(prior_queries(entries), negatives)


def refit_priors() -> list[tuple[Path, dict[str, float]]]:
    """Refit both priors on the project's knowledge base and write them where they ship (`PRIOR_PATHS`)."""
    entries, synonyms = load_and_validate(KNOWLEDGE_BASE_DIR)
    terms = load_terms(KNOWLEDGE_BASE_DIR / "terms.txt")
    negatives = load_negatives(NLU_DATA_DIR)
    written = []
    for semantic, path in PRIOR_PATHS.items():
        prior = fit_prior(entries, synonyms, terms, negatives, default_embedder() if semantic else None)
        path.write_text(prior.to_json(), encoding="utf-8")
        written.append((path, asdict(prior.thresholds)))
    return written
