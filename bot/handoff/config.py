"""Handoff settings: service hours, idle timeout, when an agent counts as online."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.core.settings import current_settings

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class ServiceHours:
    """Daily opening hours of the human service; `end` of 24:00 means until midnight."""

    start: time
    end_minutes: int

    @classmethod
    def parse(cls, spec: str) -> ServiceHours:
        """Parse `HH:MM-HH:MM` (e.g. `08:00-22:00`; `00:00-24:00` is round the clock)."""
        match = _HOURS.match(spec)
        if not match:
            raise ValueError(f"service hours must look like 08:00-22:00, got {spec!r}")
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        end_minutes = end_h * 60 + end_m
        if start_h > 23 or start_m > 59 or end_m > 59 or end_minutes > 24 * 60:
            raise ValueError(f"invalid service hours {spec!r}")
        return cls(time(start_h, start_m), end_minutes)

    def is_open(self, moment: datetime) -> bool:
        """True when `moment` falls within the hours."""
        minutes = moment.hour * 60 + moment.minute
        return self.start.hour * 60 + self.start.minute <= minutes < self.end_minutes

    def describe(self) -> str:
        """The hours as customers read them, e.g. `8:00-22:00`."""
        hours, minutes = divmod(self.end_minutes, 60)
        return f"{self.start.hour}:{self.start.minute:02d}-{hours}:{minutes:02d}"


def service_hours() -> ServiceHours:
    """`KEFU_SERVICE_HOURS`, round the clock by default."""
    return ServiceHours.parse(current_settings().service_hours)


def idle_timeout() -> timedelta:
    """After this long without activity an open live ticket is abandoned (`KEFU_HANDOFF_IDLE_MINUTES`, 10)."""
    return timedelta(minutes=current_settings().handoff_idle_minutes)


AGENT_ONLINE_WINDOW = timedelta(seconds=60)
"""An agent whose console checked in within this window counts as online."""
