"""The knowledge base as the bot serves it, and building it ahead of the servers."""

from __future__ import annotations

import time
from pathlib import Path

from bot.content.files import load_content
from bot.core.paths import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR
from bot.core.settings import current_settings
from bot.kb.assembly import assemble
from bot.kb.engine import KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.loader import load_terms
from bot.kb.rank.calibration import load_thresholds
from bot.kb.rank.negatives import load_negatives

THRESHOLDS_FILE = "thresholds.yml"
CALIBRATION_FILE = "calibration_queries.jsonl"


def serving_knowledge_base(
    entries: list[FaqEntry], synonyms: dict[str, str], like: KnowledgeBase | None = None, defer: bool = False
) -> KnowledgeBase:
    """Entries in id order (whatever their source) with the project's terms and off-topic examples.

    The same entries always give the same index, so the embeddings cached by `build_index` are the
    ones the servers need. Thresholds calibrated by `kefu kb calibrate` (`thresholds.yml`) are used
    when present. With `like` (the index of a previous version), its fitted re-rankers are reused instead
    of fitted again: a published change is indexed in about a third of the time. With `defer`, an index that
    would first embed more than `KEFU_KB_EMBED_AT_MOST` texts is built without embeddings
    (`embeddings_deferred`), with the thresholds of that mode.
    """
    kb = assemble(
        sorted(entries, key=lambda entry: entry.id),
        synonyms=synonyms,
        terms=load_terms(KNOWLEDGE_BASE_DIR / "terms.txt"),
        negatives=load_negatives(NLU_DATA_DIR),
        priors=like.fitted() if like is not None else None,
        embed_at_most=current_settings().kb_embed_at_most if defer else None,
    )
    calibrated = load_thresholds(KNOWLEDGE_BASE_DIR / THRESHOLDS_FILE)
    if calibrated is not None and not kb.embeddings_deferred:
        kb.use_thresholds(calibrated)
    return kb


def build_index(kb_dir: Path) -> tuple[float, int]:
    """Build the served index from `kb_dir` once (filling the embedding cache); seconds and entries.

    Raises `bot.content.files.ContentError` when the directory is invalid.
    """
    started = time.perf_counter()
    content = load_content(kb_dir)
    kb = serving_knowledge_base(content.entries, content.synonyms)
    return time.perf_counter() - started, len(kb)
