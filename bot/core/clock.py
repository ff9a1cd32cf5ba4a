"""The injectable source of the current time (naive, local to the bank)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current wall-clock time without time zone, as stored in the database."""
    return datetime.now().replace(microsecond=0)
