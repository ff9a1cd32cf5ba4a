"""Process-wide services built once from the database: the FAQ index and the branch directory."""

from __future__ import annotations

import functools

from bot.branches.directory import BranchDirectory
from bot.content.files import read_content
from bot.content.serving import serving_knowledge_base
from bot.core.db import session_factory
from bot.db.kb_store import read_branches
from bot.kb import KnowledgeBase


@functools.cache
def knowledge_base(url: str | None = None) -> KnowledgeBase:
    """The retrieval index over the FAQ entries stored at `url` (built on first use)."""
    content = read_content(url)
    return serving_knowledge_base(content.entries, content.synonyms)


@functools.cache
def branch_directory(url: str | None = None) -> BranchDirectory:
    """The branch directory stored at `url`."""
    with session_factory(url)() as session:
        return BranchDirectory(read_branches(session))
