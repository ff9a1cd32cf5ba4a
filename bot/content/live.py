"""The knowledge base a server answers from while the stored one changes: the entries in effect today, indexed
again in the background when a version is published or a new day begins, and swapped in whole.

Searches in progress finish on the index they started with; the next one uses the new index. Only texts whose
sentence embeddings are not cached yet (the changed ones) are embedded again, and a version published during the
day keeps the re-rankers fitted that day (at start or on the day's first check). Content with many texts not
embedded yet (a large import) is answered at once without sentence embeddings while another thread embeds it;
the embedded index is swapped in when it is ready. Server processes sharing the embedding cache embed one after
the other, so only the first computes the vectors.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from bot.content.files import read_content
from bot.content.publishing import latest_version
from bot.content.serving import serving_knowledge_base
from bot.core.db import session_factory
from bot.kb import KnowledgeBase
from bot.kb.entry import FaqEntry
from bot.kb.index.embedder import default_embedder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stamp:
    """What the served index was built from: the newest published version, on which day."""

    version: int
    day: date


@dataclass(frozen=True)
class _Served:
    """An index in service, built from `stamp`'s content; `complete` unless its embeddings are still computed."""

    stamp: Stamp
    index: KnowledgeBase
    complete: bool


class LiveKnowledgeBase:
    """The served index over the entries stored at `url`, kept up to date by `refresh` (or `start`'s thread)."""

    def __init__(self, url: str | None = None, today: Callable[[], date] = date.today) -> None:
        self.url = url
        self.today = today
        self._served: _Served | None = None
        self._failed: Stamp | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._embedding: threading.Thread | None = None

    def current(self) -> KnowledgeBase:
        """The index answering now (built on the first call)."""
        served = self._served
        if served is None:
            self.refresh()
            served = self._served
            assert served is not None
        return served.index

    @property
    def version(self) -> int | None:
        """The published version the served index holds (None before the first build)."""
        return self._served.stamp.version if self._served else None

    def wait_for_embeddings(self, timeout: float | None = None) -> bool:
        """Wait for the background embedding, if one runs; whether the served index is complete now."""
        embedding = self._embedding
        if embedding is not None:
            embedding.join(timeout)
        served = self._served
        return served is not None and served.complete

    def _stamp(self) -> Stamp:
        with session_factory(self.url)() as session:
            return Stamp(latest_version(session), self.today())

    def refresh(self) -> bool:
        """Index the stored entries again if a version was published or the day changed; whether it swapped.

        A content that cannot be indexed (no entry in effect) raises once and is not tried again until the next
        version or day. An index served without its embeddings is built again once no embedding is under way.
        """
        with self._lock:
            stamp = self._stamp()
            served = self._served
            if served is not None and served.stamp == stamp and (served.complete or self._embedding_runs()):
                return False
            if stamp == self._failed and served is not None:
                return False
            started = time.perf_counter()
            content = read_content(self.url)
            entries = [entry for entry in content.entries if entry.in_effect(stamp.day)]
            # A new version reuses the re-rankers fitted for the day; a new day (and a start) fits them again.
            same_day = served is not None and served.stamp.day == stamp.day
            try:
                index = serving_knowledge_base(
                    entries, content.synonyms, served.index if served and same_day else None, defer=True
                )
            except Exception:
                self._failed = stamp
                raise
            self._served = _Served(stamp, index, complete=not index.embeddings_deferred)
            logger.info(
                "knowledge base version %d indexed: %d entries in effect, %.1f s%s",
                stamp.version, len(entries), time.perf_counter() - started,
                "; answering without sentence embeddings while they are computed" if index.embeddings_deferred
                else "",
            )
            # One embedding at a time: content published meanwhile is embedded after it (at the next check).
            if index.embeddings_deferred and not self._embedding_runs():
                self._embedding = threading.Thread(
                    target=self._embed, args=(stamp, entries, content.synonyms), name="kb-embed", daemon=True
                )
                self._embedding.start()
            return True

    def _embedding_runs(self) -> bool:
        return self._embedding is not None and self._embedding.is_alive()

    def _embed(self, stamp: Stamp, entries: list[FaqEntry], synonyms: dict[str, str]) -> None:
        """Build `stamp`'s index with its embeddings and serve it, unless newer content is served by then."""
        started = time.perf_counter()
        try:
            with default_embedder().exclusively():
                index = serving_knowledge_base(entries, synonyms)
        except Exception:  # the index without embeddings keeps answering; the next version tries again
            logger.exception("embedding knowledge base version %d failed", stamp.version)
            self._failed = stamp
            return
        with self._lock:
            if self._served is None or self._served.stamp != stamp:
                return
            self._served = _Served(stamp, index, complete=True)
        logger.info("knowledge base version %d embedded: %.1f s", stamp.version, time.perf_counter() - started)

    def start(self, every: float) -> None:
        """Check for changes every `every` seconds on a daemon thread (once per process)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._watch, args=(every,), name="kb-reload", daemon=True)
            self._thread.start()

    def _watch(self, every: float) -> None:
        while True:
            time.sleep(every)
            try:
                if self._failed is None or self._failed != self._stamp():
                    self.refresh()
            except SQLAlchemyError as error:  # the database is away: the index answering now stays
                logger.warning("knowledge base check failed: %s", error.__class__.__name__)
            except Exception:  # a failed rebuild keeps the index that answers now; a new version tries again
                logger.exception("knowledge base reload failed")
