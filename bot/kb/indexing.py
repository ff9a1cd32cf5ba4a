"""The knowledge base as the bot serves it, and building it ahead of the servers."""

from __future__ import annotations

import time
from pathlib import Path

from bot.content import load_content, load_terms
from bot.kb.engine import KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.negatives import load_negatives
from bot.settings import KNOWLEDGE_BASE_DIR, NLU_DATA_DIR


def serving_knowledge_base(entries: list[FaqEntry], synonyms: dict[str, str]) -> KnowledgeBase:
    """Entries in id order (whatever their source) with the project's terms and off-topic examples.

    The same entries always give the same index, so the embeddings cached by `build_index` are the
    ones the servers need.
    """
    return KnowledgeBase.from_entries(
        sorted(entries, key=lambda entry: entry.id),
        synonyms=synonyms,
        terms=load_terms(KNOWLEDGE_BASE_DIR),
        negatives=load_negatives(NLU_DATA_DIR),
    )


def build_index(kb_dir: Path) -> tuple[float, int]:
    """Build the served index from `kb_dir` once (filling the embedding cache); seconds and entries.

    Raises `bot.content.ContentError` when the directory is invalid.
    """
    started = time.perf_counter()
    content = load_content(kb_dir)
    kb = serving_knowledge_base(content.entries, content.synonyms)
    return time.perf_counter() - started, len(kb)
