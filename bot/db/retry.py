"""Riding out a database restart or fail-over: retry connection errors for a while."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_SECONDS = 30.0
RETRY_PAUSE = 0.5


async def retry_database_errors(operation: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `operation`, retrying connection errors (OperationalError) for up to about `RETRY_SECONDS`."""
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return await operation()
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            logger.warning("%s: database unavailable, retrying", what)
            await asyncio.sleep(RETRY_PAUSE)
