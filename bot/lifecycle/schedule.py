"""Running a task now and then every `interval` seconds, in one long-running process: the daily purge
(`kefu privacy purge --daily`, which `kefu run` starts)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)
DAY = 24 * 3600.0
RETRY = 300.0
"""Seconds before a failed run is tried again (a database still starting or restarting, say)."""


def repeat(task: Callable[[], None], interval: float = DAY, stop: threading.Event | None = None,
           retry: float = RETRY) -> None:
    """Run `task`, then again every `interval` seconds until `stop` is set; a failed run is logged and tried
    again after `retry` seconds."""
    stop = stop or threading.Event()
    while True:
        try:
            task()
            pause = interval
        except Exception:
            pause = min(retry, interval)
            logger.exception("scheduled task failed; trying again in %.0f s", pause)
        if stop.wait(pause):
            return
