"""The knowledge base a server answers from while the stored one changes: the entries in effect today, indexed
again in the background when a version is published or a new day begins, and swapped in whole.

Searches in progress finish on the index they started with; the next one uses the new index. Only texts whose
sentence embeddings are not cached yet (the changed ones) are embedded again, and a version published during the
day keeps the re-rankers fitted that day (at start or on the day's first check).
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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stamp:
    """What the served index was built from: the newest published version, on which day."""

    version: int
    day: date


class LiveKnowledgeBase:
    """The served index over the entries stored at `url`, kept up to date by `refresh` (or `start`'s thread)."""

    def __init__(self, url: str | None = None, today: Callable[[], date] = date.today) -> None:
        self.url = url
        self.today = today
        self._served: tuple[Stamp, KnowledgeBase] | None = None
        self._failed: Stamp | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def current(self) -> KnowledgeBase:
        """The index answering now (built on the first call)."""
        served = self._served
        if served is None:
            self.refresh()
            served = self._served
            assert served is not None
        return served[1]

    @property
    def version(self) -> int | None:
        """The published version the served index holds (None before the first build)."""
        return self._served[0].version if self._served else None

    def _stamp(self) -> Stamp:
        with session_factory(self.url)() as session:
            return Stamp(latest_version(session), self.today())

    def refresh(self) -> bool:
        """Index the stored entries again if a version was published or the day changed; whether it swapped.

        A content that cannot be indexed (no entry in effect) raises once and is not tried again until the next
        version or day.
        """
        with self._lock:
            stamp = self._stamp()
            if self._served is not None and self._served[0] == stamp:
                return False
            if stamp == self._failed and self._served is not None:
                return False
            started = time.perf_counter()
            content = read_content(self.url)
            entries = [entry for entry in content.entries if entry.in_effect(stamp.day)]
            # A new version reuses the re-rankers fitted for the day; a new day (and a start) fits them again.
            same_day = self._served is not None and self._served[0].day == stamp.day
            try:
                index = serving_knowledge_base(entries, content.synonyms, self._served[1] if same_day else None)
            except Exception:
                self._failed = stamp
                raise
            self._served = (stamp, index)
            logger.info(
                "knowledge base version %d indexed: %d entries in effect, %.1f s",
                stamp.version, len(entries), time.perf_counter() - started,
            )
            return True

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
