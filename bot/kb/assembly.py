"""Assembling a knowledge base: the one way from loaded content to a `KnowledgeBase`, and the file formats
that feed it (a `knowledge_base/` directory, a JSON-lines FAQ file)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR
from bot.kb.engine import KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.index.embedder import Embedder, configured_embedder
from bot.kb.loader import load_and_validate, load_jsonl, load_synonyms, load_terms
from bot.kb.rank.negatives import load_negatives
from bot.kb.rank.prior import Prior


def assemble(
    entries: list[FaqEntry],
    synonyms: dict[str, str] | None = None,
    terms: Iterable[str] | None = None,
    negatives: Sequence[str] = (),
    lexical: bool = False,
    *,
    embedder: Embedder | None = None,
    use_prior: bool | None = None,
    priors: dict[bool, Prior] | None = None,
    embed_at_most: int | None = None,
) -> KnowledgeBase:
    """Build from entries already loaded; `negatives` are messages that must not be answered.

    Sentence embeddings are used unless `lexical` or switched off (see `configured_embedder`); `embedder`
    names the models to use instead. `use_prior` overrides whether the shipped prior re-ranker is used;
    `priors` are re-rankers to use instead of fitting or the shipped ones (e.g. another version's `fitted()`);
    `embed_at_most` defers the embeddings of an index that would first embed more texts (see `KnowledgeBase`).
    """
    if embedder is None and not lexical:
        embedder = configured_embedder()
    if priors is not None:
        use_prior = True
    return KnowledgeBase(entries, synonyms, terms or (), negatives, embedder=embedder, use_prior=use_prior,
                         priors=priors, embed_at_most=embed_at_most)


def assemble_jsonl(path: str | Path, lexical: bool = False) -> KnowledgeBase:
    """Build from a JSON-lines FAQ file (no validation of paraphrase counts).

    The entries come from the file alone; the engine's language resources (synonyms, domain
    terms, off-topic examples) come from this project.
    """
    synonyms = load_synonyms(KNOWLEDGE_BASE_DIR / "synonyms.yml")
    terms = load_terms(KNOWLEDGE_BASE_DIR / "terms.txt")
    return assemble(load_jsonl(path), synonyms, terms, load_negatives(NLU_DATA_DIR), lexical)


def assemble_directory(path: str | Path, negatives: Sequence[str] | None = None) -> KnowledgeBase:
    """Build from a knowledge_base directory; raises KbValidationError on invalid content.

    Without `negatives`, the off-topic and chitchat examples of `<path>/../data/nlu` are used.
    """
    root = Path(path)
    entries, synonyms = load_and_validate(root)
    if negatives is None:
        negatives = load_negatives(root.parent / "data" / "nlu")
    return assemble(entries, synonyms, load_terms(root / "terms.txt"), negatives)
