"""The injectable source of the current time (naive, local to the bank; or UTC for the audit log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current wall-clock time without time zone, as stored in the database."""
    return datetime.now().replace(microsecond=0)


def utc_clock() -> datetime:
    """The current UTC time without time zone (the audit log's timestamps)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
