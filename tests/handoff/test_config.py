"""Service hours as banks write them."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.handoff.config import ServiceHours


def test_day_hours() -> None:
    hours = ServiceHours.parse("08:00-22:00")
    assert hours.is_open(datetime(2026, 11, 23, 8, 0))
    assert hours.is_open(datetime(2026, 11, 23, 21, 59))
    assert not hours.is_open(datetime(2026, 11, 23, 22, 0))
    assert not hours.is_open(datetime(2026, 11, 23, 7, 59))
    assert hours.describe() == "8:00-22:00"


def test_round_the_clock() -> None:
    hours = ServiceHours.parse("00:00-24:00")
    assert hours.is_open(datetime(2026, 11, 23, 0, 0)) and hours.is_open(datetime(2026, 11, 23, 23, 59))


@pytest.mark.parametrize("spec", ["", "8-22", "25:00-26:00", "08:00-24:30", "08:61-10:00"])
def test_malformed_hours_are_rejected(spec: str) -> None:
    with pytest.raises(ValueError):
        ServiceHours.parse(spec)
