"""Process-wide services built once from the database: the FAQ index (kept up to date with what is published)
and the branch directory."""

from __future__ import annotations

import functools
import threading

from bot.branches.directory import BranchDirectory
from bot.content.live import LiveKnowledgeBase
from bot.core.db import session_factory
from bot.core.settings import current_settings
from bot.db.kb_store import read_branches
from bot.kb import KnowledgeBase

_LIVE: dict[str | None, LiveKnowledgeBase] = {}
_LIVE_LOCK = threading.Lock()


def live_knowledge_base(url: str | None = None) -> LiveKnowledgeBase:
    """The process's one live index over the FAQ entries stored at `url` (None: the application database)."""
    with _LIVE_LOCK:
        if url not in _LIVE:
            _LIVE[url] = LiveKnowledgeBase(url)
        return _LIVE[url]


def forget_knowledge_bases() -> None:
    """Drop the process's live indexes (tests that switch databases)."""
    with _LIVE_LOCK:
        _LIVE.clear()


def watch_knowledge_base() -> None:
    """Servers: follow what is published (checked every `KEFU_KB_RELOAD_SECONDS`) and build the index now."""
    live = live_knowledge_base()
    live.start(current_settings().kb_reload_seconds)
    live.current()


def knowledge_base(url: str | None = None) -> KnowledgeBase:
    """The retrieval index answering now over the FAQ entries stored at `url` (built on first use)."""
    return live_knowledge_base(url).current()


@functools.cache
def branch_directory(url: str | None = None) -> BranchDirectory:
    """The branch directory stored at `url`."""
    with session_factory(url)() as session:
        return BranchDirectory(read_branches(session))
