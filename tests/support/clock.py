"""A clock for tests: it stands still until the test moves it."""

from __future__ import annotations

from datetime import datetime, timedelta


class ManualClock:
    """Injectable in place of `bot.core.clock.system_clock`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += timedelta(**delta)
